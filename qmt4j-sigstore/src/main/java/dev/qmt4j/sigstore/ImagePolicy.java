package dev.qmt4j.sigstore;

import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.sigstore.cosign.CosignPublicKeys;
import dev.qmt4j.sigstore.policy.IdentityPolicy;
import dev.qmt4j.sigstore.policy.VerificationPolicy;
import java.security.PublicKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a signature of an OCI image must satisfy, all on one signature: {@link Keyed} (a cosign
 * public key) or {@link Keyless} (a Fulcio certificate with an identity), plus the payload
 * annotations it must carry ({@code -a k=v}, {@code annotations}) and the repository its legacy
 * payload must name ({@code check_docker_reference}). Built by {@link PolicyResolver}.
 * The bundle-level part is {@link #toCore()} (the core {@link VerificationPolicy}); what is specific
 * to images (simple-signing claims, annotations, predicate type) is checked around it.
 */
public sealed interface ImagePolicy {

    /** One line for messages and evidence. */
    String describe();

    /** Required payload annotations (legacy: {@code optional}; bundles: the matching in-toto subject's {@code annotations}). */
    Map<String, String> annotations();

    /** The same policy with these required annotations added (later values win). */
    ImagePolicy withAnnotations(Map<String, String> more);

    /**
     * The repository a legacy signature's {@code critical.identity.docker-reference} must name (the
     * reference being pulled), or empty when not checked ({@code check_docker_reference = false},
     * oci-layout sources).
     */
    Optional<RegistryRef> dockerReference();

    /** The same policy checking the signed docker-reference against {@code repository} (empty: not checked). */
    ImagePolicy withDockerReference(Optional<RegistryRef> repository);

    /** The bundle-level part for the core bundle verifier. */
    default VerificationPolicy toCore() {
        if (this instanceof Keyed k) {
            return new VerificationPolicy.Keyed(k.key(), k.requireTlog());
        }
        Keyless k = (Keyless) this;
        return new VerificationPolicy.Keyless(k.identity(), k.sctRequired(), true);
    }

    private static String annotationText(Map<String, String> a) {
        return a.isEmpty() ? "" : ", annotations " + new TreeMap<>(a);
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new TreeMap<>(a);
        m.putAll(b);
        return m;
    }

    /**
     * A cosign public key ({@code --key}, {@code public_key}).
     *
     * @param key         the public key
     * @param source      where it came from (file path or "flag"), for messages
     * @param requireTlog whether a verified Rekor entry is required ({@code require_tlog}); a present but
     *                    invalid entry is refused either way
     * @param annotations required payload annotations
     * @param dockerReference the repository the payload's docker-reference must name, if checked
     */
    record Keyed(PublicKey key, String source, boolean requireTlog, Map<String, String> annotations,
            Optional<RegistryRef> dockerReference) implements ImagePolicy {
        public Keyed {
            Objects.requireNonNull(key, "key");
            annotations = Map.copyOf(annotations);
            Objects.requireNonNull(dockerReference, "dockerReference");
        }

        public Keyed(PublicKey key, String source, boolean requireTlog, Map<String, String> annotations) {
            this(key, source, requireTlog, annotations, Optional.empty());
        }

        public Keyed(PublicKey key, String source, boolean requireTlog) {
            this(key, source, requireTlog, Map.of());
        }

        @Override
        public String describe() {
            return "public key " + CosignPublicKeys.fingerprint(key) + " (" + source + ")" + (requireTlog ? ", transparency log required" : "")
                    + annotationText(annotations);
        }

        @Override
        public Keyed withAnnotations(Map<String, String> more) {
            return new Keyed(key, source, requireTlog, merge(annotations, more), dockerReference);
        }

        @Override
        public Keyed withDockerReference(Optional<RegistryRef> repository) {
            return new Keyed(key, source, requireTlog, annotations, repository);
        }
    }

    /**
     * A keyless signature: certificate chained to a Fulcio CA of the trust root at the Rekor
     * integrated time, an SCT (unless {@code sctRequired} is false), a verified Rekor entry, and
     * this identity.
     */
    record Keyless(IdentityPolicy identity, boolean sctRequired, Map<String, String> annotations,
            Optional<RegistryRef> dockerReference) implements ImagePolicy {
        public Keyless {
            Objects.requireNonNull(identity, "identity");
            annotations = Map.copyOf(annotations);
            Objects.requireNonNull(dockerReference, "dockerReference");
        }

        public Keyless(IdentityPolicy identity, boolean sctRequired, Map<String, String> annotations) {
            this(identity, sctRequired, annotations, Optional.empty());
        }

        public Keyless(IdentityPolicy identity, boolean sctRequired) {
            this(identity, sctRequired, Map.of());
        }

        @Override
        public String describe() {
            return "keyless " + identity + annotationText(annotations);
        }

        @Override
        public Keyless withAnnotations(Map<String, String> more) {
            return new Keyless(identity, sctRequired, merge(annotations, more), dockerReference);
        }

        @Override
        public Keyless withDockerReference(Optional<RegistryRef> repository) {
            return new Keyless(identity, sctRequired, annotations, repository);
        }
    }
}
