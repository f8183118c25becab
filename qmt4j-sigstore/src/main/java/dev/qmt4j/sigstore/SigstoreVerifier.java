package dev.qmt4j.sigstore;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.Recheck;
import dev.qmt4j.oci.SignatureVerifier;
import dev.qmt4j.oci.Signer;
import dev.qmt4j.oci.VerificationEvidence;
import dev.qmt4j.sigstore.certs.CertificateIdentity;
import dev.qmt4j.sigstore.certs.FulcioExtensions;
import dev.qmt4j.sigstore.certs.Pem;
import dev.qmt4j.sigstore.cosign.CosignPublicKeys;
import dev.qmt4j.sigstore.cosign.LegacySignatures;
import dev.qmt4j.sigstore.cosign.SignatureLayer;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The pull pipeline's {@link SignatureVerifier}: picks the policy for the reference
 * ({@link PolicyResolver}), discovers the signatures of the <em>resolved</em> digest through the
 * pull's own source, and accepts only if one signature satisfies the whole policy. Refusals are
 * {@code VERIFICATION} errors naming the failed check and the identities found.
 *
 * <p>The evidence it returns (signature manifest, payloads, policy) is stored with the cache entry;
 * {@link #reverify} checks it again offline when a cached plugin is loaded.
 */
public final class SigstoreVerifier implements SignatureVerifier {
    static final String POLICY_FILE = "policy.txt";
    static final String TRUST_ROOT_FILE = "trust-root.txt";

    private final PolicyResolver policies;
    private final java.util.function.BiFunction<ImageRef, Boolean, TrustRoot> trustRoot;
    private TrustRoot loaded;

    /**
     * A verifier with one fixed trust root for every reference, online and offline.
     *
     * @param policies  decides the policy per reference
     * @param trustRoot loaded on first use (keyed verification without a Rekor entry never needs it)
     */
    public SigstoreVerifier(PolicyResolver policies, Supplier<TrustRoot> trustRoot) {
        this.policies = policies;
        this.trustRoot = (ref, network) -> trustRoot.get();
    }

    /**
     * A verifier whose trust root follows {@link PolicyResolver#trustSource} per reference: online
     * verification may refresh through TUF, offline re-verification of cached evidence never touches
     * the network (the cached TUF root, else the embedded one).
     *
     * @param policies decides the policy and trust source per reference
     * @param roots    loads trust roots (only when a certificate or Rekor entry must be checked)
     */
    public SigstoreVerifier(PolicyResolver policies, TrustRoots roots) {
        this.policies = policies;
        this.trustRoot = (ref, network) -> roots.load(policies.trustSource(ref), network);
    }

    @Override
    public VerificationEvidence verify(ImageSource source, ImageRef reference, Digest digest) {
        ImageVerdict verdict = check(source, reference, digest);
        if (verdict instanceof ImageVerdict.Refused r) {
            throw refusal(reference, r);
        }
        ImageVerdict.Accepted a = (ImageVerdict.Accepted) verdict;
        Map<String, byte[]> files = new HashMap<>(EvidenceSource.files(a.signatures(), a.bundles()));
        files.put(POLICY_FILE, a.policy().describe().getBytes(StandardCharsets.UTF_8));
        files.put(TRUST_ROOT_FILE, trustRootName().getBytes(StandardCharsets.UTF_8));
        return new VerificationEvidence(summary(a), files, Optional.of(signer(a)));
    }

    /**
     * Discovers and verifies, returning the verdict instead of throwing (for {@code qmt4j verify}).
     *
     * @throws Qmt4jException {@code VERIFICATION} when no policy applies (with the config lines that would)
     */
    public ImageVerdict check(ImageSource source, ImageRef reference, Digest digest) {
        ImagePolicy policy = policyFor(source, reference, digest);
        return new ImageSignatureVerifier(() -> trustRoot(reference, true)).verify(source, digest, policy);
    }

    /**
     * Re-verifies stored evidence offline against the current policy.
     *
     * @return why it no longer verifies, or empty if it does
     */
    public Optional<String> reverify(ImageRef reference, Digest digest, Map<String, byte[]> files) {
        return reverify(reference, digest, new VerificationEvidence("", files));
    }

    @Override
    public Optional<String> reverify(ImageRef reference, Digest digest, VerificationEvidence evidence) {
        return recheck(reference, digest, evidence) instanceof Recheck.Fails f ? Optional.of(f.why()) : Optional.empty();
    }

    /**
     * Re-verifies stored evidence offline against the current policy, and derives the signer from the
     * signature that verified, as {@link #verify} does: the signer stored beside the evidence is only
     * checked against it (a differing one means the cache was altered), never believed instead.
     */
    @Override
    public Recheck recheck(ImageRef reference, Digest digest, VerificationEvidence evidence) {
        try {
            EvidenceSource source = new EvidenceSource(reference, digest, evidence.files());
            ImagePolicy policy = policyFor(source, reference, digest);
            // The same discovery as online, over the stored files: a tampered file fails its digest check.
            ImageVerdict v = new ImageSignatureVerifier(() -> trustRoot(reference, false)).verify(source, digest, policy);
            if (v instanceof ImageVerdict.Refused r) {
                return new Recheck.Fails(r.message());
            }
            Signer proven = signer((ImageVerdict.Accepted) v);
            if (evidence.signer().isPresent() && !evidence.signer().get().equals(proven)) {
                return new Recheck.Fails("the signer stored with the evidence (" + evidence.signer().get().describe()
                        + ") is not the one the evidence proves (" + proven.describe() + ")");
            }
            return new Recheck.Holds(Optional.of(proven));
        } catch (Qmt4jException e) {
            return new Recheck.Fails(e.getMessage());
        }
    }

    private ImagePolicy policyFor(ImageSource source, ImageRef reference, Digest digest) {
        PolicyDecision d = policies.resolve(reference);
        if (d instanceof PolicyDecision.Apply a) {
            return a.policy();
        }
        if (d instanceof PolicyDecision.Skip) {
            throw new IllegalStateException("skipping is decided by the puller, not the verifier");
        }
        // Show what the signatures claim (unverified) so the suggested lines fit this plugin.
        throw new Qmt4jException(ErrorKind.VERIFICATION, PolicyResolver.suggestion(reference, claimedIdentities(source, digest)),
                "add one of the suggested lines to your config, or pass --key / --certificate-identity-regexp with"
                        + " --certificate-oidc-issuer for a one-off pull (or, only for images you trust, --insecure-skip-signature)");
    }

    private static List<CertificateIdentity> claimedIdentities(ImageSource source, Digest digest) {
        List<CertificateIdentity> out = new ArrayList<>();
        try {
            for (SignatureLayer l : LegacySignatures.discover(source, digest).layers()) {
                l.certificatePem().flatMap(pem -> {
                    try {
                        return FulcioExtensions.identityOrEmpty(Pem.certificate(pem));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                }).filter(id -> !out.contains(id)).ifPresent(out::add);
            }
        } catch (Qmt4jException e) {
            // only a hint: the refusal stands either way
        }
        return out;
    }

    private synchronized TrustRoot trustRoot(ImageRef reference, boolean network) {
        try {
            loaded = trustRoot.apply(reference, network);
        } catch (dev.qmt4j.sigstore.trust.TrustRootException e) {
            throw new Qmt4jException(ErrorKind.VERIFICATION, "trust root: " + e.getMessage(),
                    "the Sigstore trust root could not be established; see docs/verification.md (trust root)");
        }
        return loaded;
    }

    private synchronized String trustRootName() {
        return loaded == null ? "(not needed)" : loaded.source();
    }

    /**
     * The source of the trust root used last (file, manual, "Sigstore trust root from TUF ...", or
     * "using Sigstore trust root fetched 3 days ago ...; TUF refresh failed: ..."), if one was needed.
     */
    public synchronized Optional<String> trustRootSource() {
        return Optional.ofNullable(loaded).map(TrustRoot::source);
    }

    /** Whether the last trust root is a fallback the user should hear about (stale TUF cache or embedded snapshot). */
    public synchronized Optional<String> trustRootNotice() {
        return trustRootSource().filter(s -> s.startsWith("using "));
    }

    /**
     * Whether {@code e} is, or was caused by, this verifier's refusal of an image that has no signature at all
     * ({@link ImageVerdict.RefusalKind#NO_SIGNATURE}), as opposed to signatures that do not satisfy the policy:
     * a release pushed before its signature looks like this for a moment, so a follower retries it rather than
     * refusing it for good. Decided by the refusal's kind, set where the verifier saw no signature, never by the
     * message: a refusal quotes certificate fields, which whoever requested the certificate chose.
     */
    public static boolean isUnsigned(Throwable e) {
        // Bounded walk: the host wraps the refusal once (ProviderLoadException); a cycle must not hang the follower.
        Throwable t = e;
        for (int i = 0; t != null && i < 16; i++, t = t.getCause()) {
            if (t instanceof SignatureRefusedException r) {
                return r.refusal() == ImageVerdict.RefusalKind.NO_SIGNATURE;
            }
        }
        return false;
    }

    static Qmt4jException refusal(ImageRef reference, ImageVerdict.Refused r) {
        return new SignatureRefusedException(r.kind(), "signature verification of " + reference.canonical()
                + " failed: " + r.message(), "nothing was downloaded; check that the plugin is signed by the signer your policy names"
                + " (qmt4j verify " + reference.canonical() + " shows what was found)");
    }

    /**
     * Who signed, from the accepted signature itself: the policy key the signature verified against,
     * or the identity (first SAN) and OIDC issuer of the certificate that chained to the trust root.
     */
    public static Signer signer(ImageVerdict.Accepted a) {
        if (a.policy() instanceof ImagePolicy.Keyed k) {
            return new Signer.Key(CosignPublicKeys.fingerprint(k.key()));
        }
        // A keyless acceptance always checked a certificate identity (ImageSignatureVerifier); its absence is a bug.
        CertificateIdentity id = a.details().identity()
                .orElseThrow(() -> new IllegalStateException("a keyless signature was accepted without a certificate identity"));
        return new Signer.Keyless(id.subject(), id.issuer());
    }

    /**
     * "signed by identity=... issuer=... (log index N, integrated T)" or "signed with key sha256:...": for
     * display only; decisions compare {@link #signer}, since certificate fields can imitate this text.
     */
    public static String summary(ImageVerdict.Accepted a) {
        StringBuilder sb = new StringBuilder("verified ").append(a.digest()).append(": ");
        if (a.policy() instanceof ImagePolicy.Keyed k) {
            sb.append("signed with key ").append(CosignPublicKeys.fingerprint(k.key()));
        } else {
            sb.append("signed by ").append(a.details().identity().map(CertificateIdentity::toString).orElse("?"));
        }
        a.details().logIndex().ifPresent(i -> sb.append(", Rekor log index ").append(i));
        a.details().integratedTime().ifPresent(t -> sb.append(", integrated ").append(t));
        return sb.toString();
    }
}
