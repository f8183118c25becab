package dev.qmt4j.sigstore.certs;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM and DER decoding of certificates and public keys (strict: unknown blocks and junk refused). */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n([A-Za-z0-9+/=\\r\\n]*?)-----END \\1-----\\r?\\n?");

    private Pem() {}

    /** One PEM block: its type label ("CERTIFICATE", "PUBLIC KEY", ...) and decoded DER bytes. */
    public record Block(String type, byte[] der) {}

    /**
     * Decodes every PEM block in {@code text}. Only whitespace may appear between and around blocks.
     *
     * @throws IllegalArgumentException on malformed PEM or stray text
     */
    public static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        int pos = 0;
        while (m.find()) {
            if (!text.substring(pos, m.start()).isBlank()) {
                throw new IllegalArgumentException("unexpected text before a PEM block");
            }
            String body = m.group(2).replaceAll("[\\r\\n]", "");
            try {
                out.add(new Block(m.group(1), Base64.getDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PEM block " + m.group(1) + " is not valid base64");
            }
            pos = m.end();
        }
        if (!text.substring(pos).isBlank()) {
            throw new IllegalArgumentException("unexpected text after the last PEM block");
        }
        return out;
    }

    /** Decodes every CERTIFICATE block of {@code text} (other block types are an error). */
    public static List<X509Certificate> certificates(String text) {
        List<X509Certificate> out = new ArrayList<>();
        for (Block b : blocks(text)) {
            if (!b.type().equals("CERTIFICATE")) {
                throw new IllegalArgumentException("expected CERTIFICATE PEM blocks, found " + b.type());
            }
            out.add(certificate(b.der()));
        }
        return out;
    }

    /** Parses one DER X.509 certificate; trailing bytes are refused. */
    public static X509Certificate certificate(byte[] der) {
        try {
            ByteArrayInputStream in = new ByteArrayInputStream(der);
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            if (in.available() != 0 || !java.util.Arrays.equals(c.getEncoded(), der)) {
                throw new IllegalArgumentException("certificate has trailing or non-canonical bytes");
            }
            return c;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a valid X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** Decodes a single PEM certificate (exactly one block). */
    public static X509Certificate certificate(String pem) {
        List<X509Certificate> certs = certificates(pem);
        if (certs.size() != 1) {
            throw new IllegalArgumentException("expected exactly one PEM certificate, found " + certs.size());
        }
        return certs.get(0);
    }

    /** Decodes every PUBLIC KEY (SPKI) block of {@code text} to DER. */
    public static List<byte[]> publicKeysDer(String text) {
        List<byte[]> out = new ArrayList<>();
        for (Block b : blocks(text)) {
            if (!b.type().equals("PUBLIC KEY")) {
                throw new IllegalArgumentException("expected PUBLIC KEY PEM blocks, found " + b.type());
            }
            out.add(b.der());
        }
        return out;
    }

    /** Encodes DER bytes as a PEM block of {@code type}. */
    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
