package dev.qmt4j.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * An RSA key and self-signed certificate for signing registry tokens. The registry trusts the
 * certificate through {@code auth.token.rootcertbundle}; tokens carry it in their {@code x5c}
 * header so the registry can verify the chain without a key id.
 *
 * <p>Made once per JVM with the {@code openssl} CLI, because the JDK has no certificate builder
 * and key generation is the slowest part of starting a token-auth registry.
 */
final class SigningKey {
    private static SigningKey shared;

    final Path certificatePem;
    final PrivateKey privateKey;
    final X509Certificate certificate;

    private SigningKey(Path certificatePem, PrivateKey privateKey, X509Certificate certificate) {
        this.certificatePem = certificatePem;
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    static synchronized SigningKey shared() {
        if (shared == null) {
            shared = generate();
        }
        return shared;
    }

    private static SigningKey generate() {
        Processes.requireExecutable(Path.of("/usr/bin/openssl"), "openssl");
        Path dir = TempDirs.create("qmt4j-token-key");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TempDirs.deleteQuietly(dir)));
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Processes.check(List.of("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=qmt4j-testkit-token"), null);
        try {
            String pem = Files.readString(key);
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey privateKey = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert)));
            return new SigningKey(cert, privateKey, x509);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the generated token key", e);
        }
    }

    /** The RS256 signature of {@code data}. */
    byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String certificateBase64() {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
