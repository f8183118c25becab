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
 * The OCI rules around the core bundle verifier (https://github.com/sigstore/cosign/blob/main/specs/BUNDLE_SPEC.md):
 * only bundle v0.3 on the OCI path, with a single certificate or a public key (no {@code x509CertificateChain}: rejection case 9 of docs/verification.md),
 * a DSSE in-toto statement whose subject is the digest (checked by the core), and predicate type
 * {@value BundleSigner#COSIGN_SIGN_PREDICATE} so that an attestation does not count as a signature,
 * and the policy's required annotations on the matching in-toto subject.
 */
final class OciBundleCheck {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Supplier<TrustRoot> trustRoot;

    OciBundleCheck(Supplier<TrustRoot> trustRoot) {
        this.trustRoot = trustRoot;
    }

    VerificationResult verify(byte[] json, Digest digest, ImagePolicy policy) {
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
        if (usesCertificateChain(json)) {
            return new VerificationResult.Rejected(Check.FORMAT, "bundle v0.3 with x509CertificateChain (v0.3 requires a single"
                    + " certificate; cosign writes one)", List.of());
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
        JsonNode st;
        try {
            st = JSON.readTree(v.details().payload().orElse(new byte[0]));
            predicate = st.path("predicateType").asString("");
        } catch (JacksonException e) {
            st = null;
            predicate = "";
        }
        if (!predicate.equals(BundleSigner.COSIGN_SIGN_PREDICATE)) {
            return new VerificationResult.Rejected(Check.ARTIFACT, "bundle is an attestation with predicate type '" + predicate
                    + "', not a cosign signature (" + BundleSigner.COSIGN_SIGN_PREDICATE + ")",
                    v.details().identity().map(List::of).orElse(List.of()));
        }
        if (!policy.annotations().isEmpty()) {
            java.util.Optional<String> missing = missingAnnotation(st, digest.hex(), policy.annotations());
            if (missing.isPresent()) {
                return new VerificationResult.Rejected(Check.ANNOTATIONS, "required annotation " + missing.get()
                        + " on the in-toto subject " + digest, v.details().identity().map(List::of).orElse(List.of()));
            }
        }
        return r;
    }

    private static boolean usesCertificateChain(byte[] json) {
        try {
            return JSON.readTree(json).path("verificationMaterial").has("x509CertificateChain");
        } catch (JacksonException e) {
            return false; // already parsed once: cannot happen
        }
    }

    /** The first required annotation the subject naming {@code hex} lacks (cosign puts them on the in-toto subject). */
    static java.util.Optional<String> missingAnnotation(JsonNode statement, String hex, java.util.Map<String, String> required) {
        JsonNode subject = null;
        for (JsonNode s : statement.path("subject")) {
            if (hex.equals(s.path("digest").path("sha256").asString(""))) {
                subject = s;
                break;
            }
        }
        for (var e : new java.util.TreeMap<>(required).entrySet()) {
            JsonNode found = subject == null ? null : subject.path("annotations").get(e.getKey());
            String value = found == null || !found.isString() ? null : found.stringValue();
            if (!e.getValue().equals(value)) {
                return java.util.Optional.of(e.getKey() + "=" + e.getValue() + " (found " + (value == null ? "none" : value) + ")");
            }
        }
        return java.util.Optional.empty();
    }
}
