package dev.qmt4j.sigstore.bundle;

import dev.qmt4j.sigstore.certs.CertificateIdentity;
import dev.qmt4j.sigstore.certs.CertificateVerifier;
import dev.qmt4j.sigstore.certs.FulcioExtensions;
import dev.qmt4j.sigstore.certs.TimestampVerifier;
import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.IdentityMatch;
import dev.qmt4j.sigstore.policy.VerificationDetails;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.policy.VerificationPolicy;
import dev.qmt4j.sigstore.policy.VerificationResult;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Verifies Sigstore bundles (https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto)
 * against an artifact and a {@link VerificationPolicy}:
 * structure and version rules, the signature (message signature or DSSE over PAE, with the in-toto
 * subject bound to the artifact), every transparency-log entry (log lookup, SET, inclusion proof
 * and checkpoint, entry body bound to the signature, signer and artifact), RFC 3161 timestamps,
 * the certificate chain, SCT and validity at every trusted time, and the identity policy. Never
 * throws for bad input: returns {@link VerificationResult.Rejected} naming the failed check.
 */
public final class BundleVerifier {
    /** Allowed clock skew for "integrated time is not in the future". */
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final int MAX_TLOG_ENTRIES = 32;

    private final TrustRoot trustRoot;
    private final Supplier<Instant> clock;

    /** A verifier using {@code trustRoot} and the system clock. */
    public BundleVerifier(TrustRoot trustRoot) {
        this(trustRoot, Instant::now);
    }

    /** A verifier with an explicit clock (tests). */
    public BundleVerifier(TrustRoot trustRoot, Supplier<Instant> clock) {
        this.trustRoot = Objects.requireNonNull(trustRoot, "trustRoot");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Parses and verifies bundle JSON. */
    public VerificationResult verify(byte[] bundleJson, Artifact artifact, VerificationPolicy policy) {
        SigstoreBundle bundle;
        try {
            bundle = SigstoreBundle.parse(bundleJson);
        } catch (VerificationException e) {
            return VerificationResult.Rejected.of(e, List.of());
        }
        return verify(bundle, artifact, policy);
    }

    /** Verifies a parsed bundle. */
    public VerificationResult verify(SigstoreBundle bundle, Artifact artifact, VerificationPolicy policy) {
        List<CertificateIdentity> found = bundle.leaf().flatMap(FulcioExtensions::identityOrEmpty).map(List::of).orElse(List.of());
        try {
            return new VerificationResult.Verified(check(bundle, artifact, policy));
        } catch (VerificationException e) {
            return VerificationResult.Rejected.of(e, found);
        } catch (RuntimeException e) {
            return new VerificationResult.Rejected(Check.FORMAT, "bundle could not be verified: " + e, found);
        }
    }

    private VerificationDetails check(SigstoreBundle bundle, Artifact artifact, VerificationPolicy policy)
            throws VerificationException {
        // 1. material vs policy and version rules
        Optional<X509Certificate> leaf = bundle.leaf();
        if (bundle.version().equals("0.3") && bundle.certificates().size() > 1) {
            throw new VerificationException(Check.FORMAT, "a v0.3 bundle must carry a single certificate, not a chain");
        }
        for (int i = 1; i < bundle.certificates().size(); i++) {
            X509Certificate c = bundle.certificates().get(i);
            if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                throw new VerificationException(Check.CERTIFICATE_CHAIN,
                        "bundle certificate chain includes a root certificate; roots come only from the trust root");
            }
        }
        PublicKey key;
        byte[] signerDer;
        if (policy instanceof VerificationPolicy.Keyless k) {
            if (leaf.isEmpty()) {
                throw new VerificationException(Check.KEY,
                        "bundle is signed with a public key, but the policy expects a certificate identity (" + k.identity() + ")");
            }
            key = leaf.get().getPublicKey();
            signerDer = encoded(leaf.get());
        } else {
            VerificationPolicy.Keyed k = (VerificationPolicy.Keyed) policy;
            if (leaf.isPresent() && !Arrays.equals(leaf.get().getPublicKey().getEncoded(), k.key().getEncoded())) {
                throw new VerificationException(Check.KEY, "bundle certificate's key is not the configured public key");
            }
            key = k.key();
            signerDer = leaf.isPresent() ? encoded(leaf.get()) : k.key().getEncoded();
        }

        // 2. signature over the content, bound to the artifact
        byte[] signature = ContentCheck.verify(bundle.content(), artifact, key);

        // 3. RFC 3161 timestamps, then transparency-log entries
        List<Instant> times = new ArrayList<>();
        // RFC 3161 timestamps (first: log entries without an integrated time are checked against them)
        TimestampVerifier tsa = new TimestampVerifier(trustRoot);
        List<Instant> tsaTimes = new ArrayList<>();
        for (byte[] ts : bundle.rfc3161Timestamps()) {
            tsaTimes.add(tsa.verify(ts, signature));
        }
        Optional<Long> firstIndex = Optional.empty();
        Optional<Instant> firstTime = Optional.empty();
        if (bundle.tlogEntries().size() > MAX_TLOG_ENTRIES) {
            throw new VerificationException(Check.TLOG_ENTRY, "bundle has too many transparency-log entries");
        }
        Set<String> seen = new HashSet<>();
        TlogCheck tlog = new TlogCheck(trustRoot);
        for (SigstoreBundle.TlogEntry e : bundle.tlogEntries()) {
            if (!seen.add(Arrays.toString(e.logId()) + "/" + e.logIndex())) {
                throw new VerificationException(Check.TLOG_ENTRY, "bundle lists transparency-log entry " + e.logIndex() + " twice");
            }
            Optional<Instant> t = tlog.verify(bundle, e, signature, signerDer, key, artifact, tsaTimes);
            if (t.isPresent()) {
                if (t.get().isAfter(clock.get().plus(SKEW))) {
                    throw new VerificationException(Check.TLOG_ENTRY, "transparency-log integrated time " + t.get() + " is in the future");
                }
                times.add(t.get());
            }
            if (firstIndex.isEmpty()) {
                firstIndex = Optional.of(e.logIndex());
                firstTime = t;
            }
        }
        times.addAll(tsaTimes);
        if (policy.tlogRequired() && bundle.tlogEntries().isEmpty()) {
            throw new VerificationException(Check.TLOG_ENTRY, "bundle has no transparency-log entry, and the policy requires one");
        }

        // 4. certificate and identity
        Optional<CertificateIdentity> identity = Optional.empty();
        if (policy instanceof VerificationPolicy.Keyless k) {
            if (times.isEmpty()) {
                throw new VerificationException(Check.TIMESTAMP, "no trusted time: the bundle has neither a signed entry timestamp "
                        + "nor a valid RFC 3161 timestamp (Rekor v2 entries need a timestamp)");
            }
            new CertificateVerifier(trustRoot).verify(leaf.get(), times, k.sctRequired());
            IdentityMatch m = k.identity().match(leaf.get());
            if (m instanceof IdentityMatch.Mismatch mm) {
                throw new VerificationException(Check.IDENTITY, mm.reason());
            }
            identity = m.found();
        }
        Optional<String> payloadType = Optional.empty();
        Optional<byte[]> payload = Optional.empty();
        if (bundle.content() instanceof SigstoreBundle.DsseEnvelope env) {
            payloadType = Optional.of(env.payloadType());
            payload = Optional.of(env.payload().clone());
        }
        return new VerificationDetails(identity, firstIndex, firstTime, times, payloadType, payload);
    }

    private static byte[] encoded(X509Certificate c) throws VerificationException {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new VerificationException(Check.FORMAT, "certificate cannot be encoded");
        }
    }
}
