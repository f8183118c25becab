package dev.qmt4j.sigstore;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.sigstore.cosign.CosignAnnotations;
import dev.qmt4j.sigstore.cosign.LegacySignatures;
import dev.qmt4j.sigstore.cosign.ReferrerBundles;
import dev.qmt4j.sigstore.cosign.SignatureLayer;
import dev.qmt4j.sigstore.policy.VerificationResult;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a resolved digest (docs/verification.md): discovers its signatures through the given source,
 * verifies each one independently and completely, and accepts if at least one satisfies the whole
 * policy by itself. Bad siblings are reported, never combined with good ones.
 */
public final class ImageSignatureVerifier {
    /** How a refusal starts when the image has no signature at all (none pushed yet, or none ever). */
    static final String NO_SIGNATURE = "no signature found for ";

    private final LegacyLayerVerifier layers;
    private final OciBundleCheck bundleCheck;

    /** The trust root is loaded only if a certificate or Rekor entry needs it. */
    public ImageSignatureVerifier(java.util.function.Supplier<TrustRoot> trustRoot) {
        this.layers = new LegacyLayerVerifier(trustRoot);
        this.bundleCheck = new OciBundleCheck(trustRoot);
    }

    /**
     * Discovers and verifies the signatures of {@code digest}: the legacy {@code .sig} signatures first, and
     * only when none of them satisfies the policy the Sigstore bundle referrers too (pooled with them). The
     * verdict is the same as with both discovered up front (legacy signatures are tried first either way), but
     * a pull signed the legacy way makes no bundle look-ups: two fewer round trips (referrers API, then the
     * referrers tag), which through a pull-through cache without the referrers API would reach the upstream
     * (docs/mirrors.md).
     */
    public ImageVerdict verify(ImageSource source, Digest digest, ImagePolicy policy) {
        LegacySignatures legacy = LegacySignatures.discover(source, digest);
        if (!legacy.layers().isEmpty()) {
            ImageVerdict first = verify(legacy, ReferrerBundles.NONE, digest, policy, source.describe());
            if (first instanceof ImageVerdict.Accepted) {
                return first;
            }
        }
        return verify(legacy, ReferrerBundles.discover(source, digest), digest, policy, source.describe());
    }

    /** Verifies already-discovered legacy signatures only. */
    public ImageVerdict verify(LegacySignatures found, Digest digest, ImagePolicy policy, String where) {
        return verify(found, ReferrerBundles.NONE, digest, policy, where);
    }

    /** Verifies already-discovered signatures (also used for offline re-verification of cached evidence). */
    public ImageVerdict verify(LegacySignatures found, ReferrerBundles bundles, Digest digest, ImagePolicy policy,
            String where) {
        List<String> candidates = new ArrayList<>(found.problems());
        candidates.addAll(bundles.problems());
        for (SignatureLayer layer : found.layers()) {
            VerificationResult r = layers.verify(layer, digest, policy);
            if (r instanceof VerificationResult.Verified v) {
                return new ImageVerdict.Accepted(digest, policy, layer.describe(), layer.payloadDigest(), v.details(), found, bundles);
            }
            candidates.add(layer.describe() + ": " + r);
        }
        for (ReferrerBundles.Candidate b : bundles.bundles()) {
            VerificationResult r = bundleCheck.verify(b.bundle(), digest, policy);
            if (r instanceof VerificationResult.Verified v) {
                return new ImageVerdict.Accepted(digest, policy, b.describe(), b.referrer(), v.details(), found, bundles);
            }
            candidates.add(b.describe() + ": " + r);
        }
        String reason;
        ImageVerdict.RefusalKind kind;
        if (found.manifest().isEmpty() && bundles.index().isEmpty()) {
            kind = ImageVerdict.RefusalKind.NO_SIGNATURE;
            reason = NO_SIGNATURE + digest + " in " + where + " (no tag " + CosignAnnotations.signatureTag(digest)
                    + ", no Sigstore bundle referrers)";
        } else {
            kind = ImageVerdict.RefusalKind.NOT_SATISFIED;
            reason = "none of the " + candidates.size() + " signature(s) of " + digest
                    + " satisfies the policy (" + policy.describe() + ")";
        }
        return new ImageVerdict.Refused(digest, policy, kind, reason, candidates);
    }
}
