package dev.qmt4j.sigstore.trust;

import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.certs.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The trust material verification is anchored in: Fulcio certificate authorities, Rekor
 * transparency logs, certificate-transparency logs and timestamp authorities, each with a validity
 * window ({@code TrustedRoot}, https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_trustroot.proto).
 * Immutable.
 *
 * <p>Sources: {@link #publicGood()} (the Sigstore public-good {@code trusted_root.json} embedded in
 * this jar), {@link #fromFile(Path)} (a {@code trusted_root.json}, cosign {@code --trusted-root}
 * semantics), {@link #manual} (PEM files, for private Sigstore instances and air-gapped sites).
 * TUF refresh of the public-good root is a separate concern: a TUF client produces
 * {@code trusted_root.json} bytes and hands them to {@link #fromJson(byte[], String)} (not done yet).
 */
public final class TrustRoot {
    private static final String PUBLIC_GOOD_RESOURCE = "public-good-trusted_root.json";

    private final String source;
    private final boolean manual;
    private final List<CertificateAuthority> certificateAuthorities;
    private final List<TransparencyLog> tlogs;
    private final List<TransparencyLog> ctlogs;
    private final List<CertificateAuthority> timestampAuthorities;

    /** Builds a trust root from its parts (lists are copied). */
    public TrustRoot(String source, boolean manual, List<CertificateAuthority> certificateAuthorities,
            List<TransparencyLog> tlogs, List<TransparencyLog> ctlogs, List<CertificateAuthority> timestampAuthorities) {
        this.source = Objects.requireNonNull(source, "source");
        this.manual = manual;
        this.certificateAuthorities = List.copyOf(certificateAuthorities);
        this.tlogs = List.copyOf(tlogs);
        this.ctlogs = List.copyOf(ctlogs);
        this.timestampAuthorities = List.copyOf(timestampAuthorities);
    }

    /** The Sigstore public-good trust root embedded in this jar (a snapshot; see {@link #source()}). */
    public static TrustRoot publicGood() {
        try (InputStream in = TrustRoot.class.getResourceAsStream(PUBLIC_GOOD_RESOURCE)) {
            if (in == null) {
                throw new TrustRootException("embedded public-good trusted_root.json is missing from the jar");
            }
            return fromJson(in.readAllBytes(), "embedded public-good trusted_root.json");
        } catch (IOException e) {
            throw new TrustRootException("cannot read the embedded public-good trusted_root.json", e);
        }
    }

    /**
     * Reads a {@code trusted_root.json} (protobuf-specs {@code TrustedRoot} JSON).
     *
     * @throws TrustRootException if the file cannot be read or is invalid
     */
    public static TrustRoot fromFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TrustRootException("cannot read trusted root " + file + ": " + e.getMessage(), e);
        }
        return fromJson(bytes, file.toString());
    }

    /**
     * Parses {@code trusted_root.json} bytes. Strict: a transparency or CT log without
     * {@code validFor.start}, an undecodable key or certificate, or an unknown media type make the
     * whole root invalid.
     *
     * @param source a description for messages (file name, "TUF", ...)
     * @throws TrustRootException if invalid
     */
    public static TrustRoot fromJson(byte[] json, String source) {
        return TrustRootParser.parse(json, source);
    }

    /**
     * A manual trust root from PEM files (docs/verification.md, "Policy"): Fulcio certificates (self-signed ones become
     * trust anchors, the others trusted intermediates), Rekor public keys and CT log public keys
     * (log ID = sha256 of the DER SubjectPublicKeyInfo, unbounded validity). No timestamp
     * authorities. Each file may hold several PEM blocks.
     *
     * @throws TrustRootException if a file cannot be read or holds anything else
     */
    public static TrustRoot manual(List<Path> fulcioPems, List<Path> rekorKeyPems, List<Path> ctLogKeyPems) {
        List<X509Certificate> roots = new ArrayList<>();
        List<X509Certificate> intermediates = new ArrayList<>();
        for (Path p : fulcioPems) {
            for (X509Certificate c : readCerts(p)) {
                boolean selfSigned = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
                (selfSigned ? roots : intermediates).add(c);
            }
        }
        if (!fulcioPems.isEmpty() && roots.isEmpty()) {
            throw new TrustRootException("no self-signed (root) certificate in " + fulcioPems
                    + ": a manual trust root needs the Fulcio root certificate");
        }
        List<CertificateAuthority> cas = new ArrayList<>();
        for (X509Certificate root : roots) {
            List<X509Certificate> chain = new ArrayList<>(intermediates);
            chain.add(root);
            cas.add(new CertificateAuthority("manual:" + root.getSubjectX500Principal().getName(), chain, ValidityPeriod.ALWAYS));
        }
        List<String> names = new ArrayList<>();
        fulcioPems.forEach(p -> names.add(p.toString()));
        return new TrustRoot("manual trust root " + names, true, cas,
                readKeys(rekorKeyPems, "rekor"), readKeys(ctLogKeyPems, "ctlog"), List.of());
    }

    private static List<X509Certificate> readCerts(Path p) {
        try {
            List<X509Certificate> certs = Pem.certificates(Files.readString(p, StandardCharsets.US_ASCII));
            if (certs.isEmpty()) {
                throw new TrustRootException("no PEM certificate in " + p);
            }
            return certs;
        } catch (IOException | IllegalArgumentException e) {
            throw new TrustRootException("cannot read certificates from " + p + ": " + e.getMessage(), e);
        }
    }

    private static List<TransparencyLog> readKeys(List<Path> files, String kind) {
        List<TransparencyLog> out = new ArrayList<>();
        for (Path p : files) {
            try {
                List<byte[]> ders = Pem.publicKeysDer(Files.readString(p, StandardCharsets.US_ASCII));
                if (ders.isEmpty()) {
                    throw new TrustRootException("no PEM public key in " + p);
                }
                for (byte[] der : ders) {
                    PublicKey key = Keys.publicKey(der);
                    out.add(new TransparencyLog("manual:" + kind + ":" + p, Keys.sha256(der), key, "", ValidityPeriod.ALWAYS));
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new TrustRootException("cannot read public keys from " + p + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Where this root came from (file name, "embedded public-good trusted_root.json", "manual ..."). */
    public String source() {
        return source;
    }

    /** True for a root built by {@link #manual}. */
    public boolean isManual() {
        return manual;
    }

    /** Fulcio CAs. */
    public List<CertificateAuthority> certificateAuthorities() {
        return certificateAuthorities;
    }

    /** Rekor logs. */
    public List<TransparencyLog> tlogs() {
        return tlogs;
    }

    /** Certificate-transparency logs. */
    public List<TransparencyLog> ctlogs() {
        return ctlogs;
    }

    /** RFC 3161 timestamp authorities. */
    public List<CertificateAuthority> timestampAuthorities() {
        return timestampAuthorities;
    }

    /** The Rekor log whose stored log ID equals {@code logId} (no time check: see {@link TransparencyLog#validFor()}). */
    public Optional<TransparencyLog> tlog(byte[] logId) {
        return tlogs.stream().filter(l -> Arrays.equals(l.logId(), logId)).findFirst();
    }

    /** Every Rekor log with this ID (a root may list the same key with several validity windows). */
    public List<TransparencyLog> tlogs(byte[] logId) {
        return tlogs.stream().filter(l -> Arrays.equals(l.logId(), logId)).toList();
    }

    /** Every CT log with this ID. */
    public List<TransparencyLog> ctlogs(byte[] logId) {
        return ctlogs.stream().filter(l -> Arrays.equals(l.logId(), logId)).toList();
    }

    @Override
    public String toString() {
        return "TrustRoot[" + source + ": " + certificateAuthorities.size() + " CAs, " + tlogs.size() + " tlogs, "
                + ctlogs.size() + " ctlogs, " + timestampAuthorities.size() + " TSAs]";
    }
}
