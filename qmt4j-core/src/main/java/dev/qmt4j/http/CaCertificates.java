package dev.qmt4j.http;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Extra CA certificates (PEM files) trusted for TLS <em>in addition to</em> the JDK's default trust
 * anchors: private registries, their token servers and {@code https://} plugin downloads, which in
 * air-gapped setups nearly always use a private CA.
 *
 * <p>They come from {@code [oci] ca_certificates} and from {@link #ENV} (a path list); a file that is
 * missing, unreadable or holds no PEM certificate is a {@code CONFIG} error naming it.
 */
public final class CaCertificates {
    /** The environment variable naming extra CA files, separated like {@code PATH} ({@code :} on Unix). */
    public static final String ENV = "QMT4J_CA_CERTIFICATES";
    /** What a user does about a server whose certificate is not trusted. */
    public static final String UNTRUSTED_HINT = "if the server uses a private CA, add its CA certificate (PEM) to [oci] "
            + "ca_certificates in the config (or to " + ENV + ")";

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----\\s*([A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----");
    private static final CaCertificates NONE = new CaCertificates(List.of());

    /** One file and the certificates it holds. */
    public record CaFile(Path file, List<X509Certificate> certificates) {
        public CaFile {
            certificates = List.copyOf(certificates);
        }
    }

    private final List<CaFile> files;
    private volatile SSLContext context;

    private CaCertificates(List<CaFile> files) {
        this.files = List.copyOf(files);
    }

    /** No extra certificates: the JDK's defaults only. */
    public static CaCertificates none() {
        return NONE;
    }

    /**
     * Reads PEM certificate files.
     *
     * @throws Qmt4jException {@code CONFIG} naming the first file that is missing, unreadable or holds no certificate
     */
    public static CaCertificates load(List<Path> files) {
        if (files.isEmpty()) {
            return NONE;
        }
        List<CaFile> out = new ArrayList<>();
        for (Path f : files) {
            out.add(read(f));
        }
        return new CaCertificates(out);
    }

    /** The files {@link #ENV} names in {@code env} (relative ones against the working directory); empty without it. */
    public static List<Path> fromEnvironment(Map<String, String> env) {
        String v = env.get(ENV);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String part : v.split(Pattern.quote(File.pathSeparator))) {
            if (!part.isBlank()) {
                out.add(Path.of(part.strip()).toAbsolutePath().normalize());
            }
        }
        return out;
    }

    private static CaFile read(Path file) {
        String hint = "ca_certificates (and " + ENV + ") must name readable PEM files with -----BEGIN CERTIFICATE----- blocks";
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new Qmt4jException(ErrorKind.CONFIG, "CA certificate file not found: " + file, hint);
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.CONFIG, "cannot read CA certificate file " + file + ": " + e, hint, e);
        }
        List<X509Certificate> certs = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                byte[] der = java.util.Base64.getMimeDecoder().decode(m.group(1));
                certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new Qmt4jException(ErrorKind.CONFIG, "CA certificate file " + file + " holds a malformed certificate: "
                    + e.getMessage(), hint, e);
        }
        if (certs.isEmpty()) {
            throw new Qmt4jException(ErrorKind.CONFIG, "CA certificate file " + file + " holds no PEM certificate", hint);
        }
        return new CaFile(file, certs);
    }

    /** The files, in the order given. */
    public List<CaFile> files() {
        return files;
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    /** Every extra certificate. */
    public List<X509Certificate> certificates() {
        return files.stream().flatMap(f -> f.certificates().stream()).toList();
    }

    /**
     * A TLS context trusting the JDK's default anchors (including {@code javax.net.ssl.trustStore}) plus
     * these certificates; the JDK's default context when there are none. Built once.
     */
    public SSLContext sslContext() {
        SSLContext c = context;
        if (c == null) {
            synchronized (this) {
                if (context == null) {
                    context = build();
                }
                c = context;
            }
        }
        return c;
    }

    private SSLContext build() {
        try {
            if (files.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (X509Certificate c : defaultAnchors()) {
                anchors.setCertificateEntry("jdk-" + i++, c);
            }
            for (X509Certificate c : certificates()) {
                anchors.setCertificateEntry("extra-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new Qmt4jException(ErrorKind.INTERNAL, "cannot build a TLS context with the extra CA certificates: " + e, null, e);
        }
    }

    private static List<X509Certificate> defaultAnchors() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        List<X509Certificate> out = new ArrayList<>();
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                out.addAll(List.of(x.getAcceptedIssuers()));
            }
        }
        return out;
    }

    /**
     * Whether {@code e} (or a cause) says the peer's certificate chain leads to no trusted CA, the failure
     * {@code ca_certificates} fixes (unlike a host name mismatch or an expired certificate).
     */
    public static boolean isUntrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} (or a cause) is a rejected server certificate of any kind (untrusted, expired, wrong name). */
    public static boolean isCertificateFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

    /** The certificate's subject, for messages. */
    public static String subject(Certificate c) {
        return c instanceof X509Certificate x ? x.getSubjectX500Principal().getName() : c.getType();
    }
}
