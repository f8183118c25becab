package dev.qmt4j.sigstore;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.sigstore.bundle.Artifact;
import dev.qmt4j.sigstore.bundle.BundleVerifier;
import dev.qmt4j.sigstore.bundle.SigstoreBundle;
import dev.qmt4j.sigstore.cosign.BundleSigner;
import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.policy.VerificationResult;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OCI rules around the core bundle verifier (spec 2.4, 3.2): only bundle v0.3 on the OCI path,
 * a DSSE in-toto statement whose subject is the digest (checked by the core), and predicate type
 * {@value BundleSigner#COSIGN_SIGN_PREDICATE} so that an attestation does not count as a signature.
 */
final class OciBundleCheck {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Supplier<TrustRoot> trustRoot;

    OciBundleCheck(Supplier<TrustRoot> trustRoot) {
        this.trustRoot = trustRoot;
    }

    VerificationResult verify(byte[] json, Digest digest, VerificationPolicy policy) {
        SigstoreBundle bundle;
        try {
            bundle = SigstoreBundle.parse(json);
        } catch (VerificationException e) {
            return VerificationResult.Rejected.of(e, List.of());
        }
        if (!bundle.version().equals("0.3")) {
            return new VerificationResult.Rejected(Check.FORMAT, "bundle version " + bundle.version()
                    + " on an OCI image (cosign requires v0.3 or later there)", List.of());
        }
        if (!(bundle.content() instanceof SigstoreBundle.DsseEnvelope)) {
            return new VerificationResult.Rejected(Check.FORMAT, "an image signature bundle must hold a DSSE envelope", List.of());
        }
        if (!digest.algorithm().equals("sha256")) {
            return new VerificationResult.Rejected(Check.ARTIFACT, "only sha256 image digests are supported", List.of());
        }
        VerificationResult r = new BundleVerifier(trustRoot.get()).verify(bundle,
                new Artifact.Digest("SHA-256", HexFormat.of().parseHex(digest.hex())), policy.toCore());
        if (!(r instanceof VerificationResult.Verified v)) {
            return r;
        }
        String type = v.details().payloadType().orElse("");
        if (!type.equals(BundleSigner.IN_TOTO)) {
            return new VerificationResult.Rejected(Check.FORMAT, "DSSE payload type is " + type + ", not " + BundleSigner.IN_TOTO,
                    v.details().identity().map(List::of).orElse(List.of()));
        }
        String predicate;
        try {
            JsonNode st = JSON.readTree(v.details().payload().orElse(new byte[0]));
            predicate = st.path("predicateType").asString("");
        } catch (JacksonException e) {
            predicate = "";
        }
        if (!predicate.equals(BundleSigner.COSIGN_SIGN_PREDICATE)) {
            return new VerificationResult.Rejected(Check.ARTIFACT, "bundle is an attestation with predicate type '" + predicate
                    + "', not a cosign signature (" + BundleSigner.COSIGN_SIGN_PREDICATE + ")",
                    v.details().identity().map(List::of).orElse(List.of()));
        }
        return r;
    }
}
