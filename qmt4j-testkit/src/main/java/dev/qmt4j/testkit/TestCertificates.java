package dev.qmt4j.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private CA and a server certificate it signed for {@code IP:127.0.0.1}, {@code DNS:localhost} and
 * {@code DNS:}{@value #PROXIED_NAME} (a name only a test proxy resolves, see {@link ForwardingProxy#route}),
 * made with the real {@code openssl} CLI (EC P-256, valid two days), for TLS test servers: the
 * registry's {@code http.tls}, {@link HttpsFileServer}, and clients that must (or must not) trust the CA.
 *
 * <p>Made once per JVM ({@link #shared()}); the files are removed at exit.
 */
public final class TestCertificates {
    /** A name the server certificate holds that no DNS resolves ({@code .test} is reserved): for tests through a proxy. */
    public static final String PROXIED_NAME = "registry.qmt4j.test";
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static TestCertificates shared;

    private final Path caPem;
    private final Path certificatePem;
    private final Path keyPem;
    private final X509Certificate ca;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private TestCertificates(Path caPem, Path certificatePem, Path keyPem) throws IOException, GeneralSecurityException {
        this.caPem = caPem;
        this.certificatePem = certificatePem;
        this.keyPem = keyPem;
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        this.ca = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caPem)));
        this.certificate = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificatePem)));
        String body = Files.readString(keyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        this.key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /** The CA and server certificate of this JVM, generated on first use. */
    public static synchronized TestCertificates shared() {
        if (shared == null) {
            shared = generate();
        }
        return shared;
    }

    private static TestCertificates generate() {
        Processes.requireExecutable(OPENSSL, "openssl");
        Path dir = TempDirs.create("qmt4j-tls");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TempDirs.deleteQuietly(dir)));
        String o = OPENSSL.toString();
        Path caKey = dir.resolve("ca.key");
        Path ca = dir.resolve("ca.pem");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.pem");
        Path ext = dir.resolve("server.ext");
        Processes.check(List.of(o, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", caKey.toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=qmt4j test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"), null);
        Processes.check(List.of(o, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=localhost"), null);
        try {
            Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:" + PROXIED_NAME + "\nbasicConstraints=critical,CA:FALSE\n"
                    + "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
            Processes.check(List.of(o, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                    "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString()), null);
            return new TestCertificates(ca, cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the certificates openssl made", e);
        }
    }

    /** The CA certificate (PEM): what a client adds to its trust to reach the test servers. */
    public Path caCertificate() {
        return caPem;
    }

    /** The server certificate (PEM), for {@code 127.0.0.1} and {@code localhost}, signed by the CA. */
    public Path certificate() {
        return certificatePem;
    }

    /** The server's private key (PKCS#8 PEM). */
    public Path privateKey() {
        return keyPem;
    }

    /** The CA's subject, as a client reports it. */
    public String caSubject() {
        return ca.getSubjectX500Principal().getName();
    }

    /** A TLS context that serves the server certificate (for JDK servers). */
    public SSLContext serverContext() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, new char[0], new Certificate[] {certificate, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the server TLS context", e);
        }
    }

    /** A TLS context that trusts only the CA (for test clients, e.g. readiness checks). */
    public SSLContext clientContext() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the client TLS context", e);
        }
    }
}
