package dev.qmt4j.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The signature policy keys of the {@code [oci]} table or of a provider's {@code verify} table, read once by the
 * config reader: typed, each error with {@code file:line}, the file keys ({@link #FILE_KEYS}) resolved against
 * the config file's directory. qmt4j-sigstore's {@code PolicyResolver} turns them into a policy
 * (docs/verification.md). QueryMT's keys come first, then ours.
 *
 * @param useSigstoreTufData        {@code use_sigstore_tuf_data}
 * @param rekorPubKeys              {@code rekor_pub_keys}: path to a PEM Rekor key
 * @param fulcioCerts               {@code fulcio_certs}: path to a PEM Fulcio CA
 * @param certEmail                 {@code cert_email}: exact SAN email
 * @param certIssuer                {@code cert_issuer}: exact OIDC issuer
 * @param certUrl                   {@code cert_url}: exact SAN URI
 * @param githubWorkflowRepository  {@code github_workflow_repository}
 * @param certIdentityRegexp        {@code cert_identity_regexp} (ours)
 * @param certIssuerRegexp          {@code cert_issuer_regexp} (ours)
 * @param publicKey                 {@code public_key} (ours): path to a PEM public key for keyed verification
 * @param requireTlog               {@code require_tlog} (ours)
 * @param ctfePubKeys               {@code ctfe_pub_keys} (ours): path to PEM CT log keys, for a manual trust root
 * @param annotations               {@code annotations} (ours): payload annotations a signature must carry (cosign {@code -a k=v})
 * @param checkDockerReference      {@code check_docker_reference} (ours, default true): a legacy signature's
 *                                  {@code docker-reference} must name the repository being pulled
 * @param explicitlyUnset           keys the file set to {@code null} (JSON/YAML), so a default can be
 *                                  told apart from "switched off"
 * @param origin                    where the keys were read, for errors found when they are used
 *                                  ({@code file:line: [oci]}, {@code file:line: verify block of provider 'x'});
 *                                  empty when they come from elsewhere
 */
public record VerifyPolicySettings(Optional<Boolean> useSigstoreTufData, Optional<String> rekorPubKeys,
        Optional<String> fulcioCerts, Optional<String> certEmail, Optional<String> certIssuer,
        Optional<String> certUrl, Optional<String> githubWorkflowRepository, Optional<String> certIdentityRegexp,
        Optional<String> certIssuerRegexp, Optional<String> publicKey, Optional<Boolean> requireTlog,
        Optional<String> ctfePubKeys, Map<String, String> annotations, Optional<Boolean> checkDockerReference,
        Set<String> explicitlyUnset, String origin) {

    /** The keys, as spelled in the config file. */
    public static final List<String> KEYS = List.of("use_sigstore_tuf_data", "rekor_pub_keys", "fulcio_certs",
            "cert_email", "cert_issuer", "cert_url", "github_workflow_repository", "cert_identity_regexp",
            "cert_issuer_regexp", "public_key", "require_tlog", "ctfe_pub_keys", "annotations", "check_docker_reference");

    /** The keys that name files (read as paths relative to the config file). */
    public static final List<String> FILE_KEYS = List.of("rekor_pub_keys", "fulcio_certs", "public_key", "ctfe_pub_keys");

    /** The keys that choose the trust root rather than the signer. */
    public static final List<String> TRUST_ROOT_KEYS = List.of("use_sigstore_tuf_data", "rekor_pub_keys", "fulcio_certs",
            "ctfe_pub_keys");

    public VerifyPolicySettings {
        annotations = Map.copyOf(annotations);
        explicitlyUnset = Set.copyOf(explicitlyUnset);
        origin = origin == null ? "" : origin;
    }

    /** Without an origin. */
    public VerifyPolicySettings(Optional<Boolean> useSigstoreTufData, Optional<String> rekorPubKeys,
            Optional<String> fulcioCerts, Optional<String> certEmail, Optional<String> certIssuer,
            Optional<String> certUrl, Optional<String> githubWorkflowRepository, Optional<String> certIdentityRegexp,
            Optional<String> certIssuerRegexp, Optional<String> publicKey, Optional<Boolean> requireTlog,
            Optional<String> ctfePubKeys, Map<String, String> annotations, Optional<Boolean> checkDockerReference,
            Set<String> explicitlyUnset) {
        this(useSigstoreTufData, rekorPubKeys, fulcioCerts, certEmail, certIssuer, certUrl, githubWorkflowRepository,
                certIdentityRegexp, certIssuerRegexp, publicKey, requireTlog, ctfePubKeys, annotations, checkDockerReference,
                explicitlyUnset, "");
    }

    /** The same keys with the same values, wherever they were read: {@link #origin} is not part of the policy. */
    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyPolicySettings v && withoutOrigin().equals(v.withoutOrigin());
    }

    @Override
    public int hashCode() {
        return withoutOrigin().hashCode();
    }

    private List<Object> withoutOrigin() {
        return List.of(useSigstoreTufData, rekorPubKeys, fulcioCerts, certEmail, certIssuer, certUrl, githubWorkflowRepository,
                certIdentityRegexp, certIssuerRegexp, publicKey, requireTlog, ctfePubKeys, annotations, checkDockerReference,
                explicitlyUnset);
    }

    /** Where these keys were read, or {@code fallback} when that is not known. */
    public String originOr(String fallback) {
        return origin.isEmpty() ? fallback : origin;
    }

    /** Without {@code ctfe_pub_keys}, {@code annotations} and {@code check_docker_reference}. */
    public VerifyPolicySettings(Optional<Boolean> useSigstoreTufData, Optional<String> rekorPubKeys,
            Optional<String> fulcioCerts, Optional<String> certEmail, Optional<String> certIssuer,
            Optional<String> certUrl, Optional<String> githubWorkflowRepository, Optional<String> certIdentityRegexp,
            Optional<String> certIssuerRegexp, Optional<String> publicKey, Optional<Boolean> requireTlog,
            Set<String> explicitlyUnset) {
        this(useSigstoreTufData, rekorPubKeys, fulcioCerts, certEmail, certIssuer, certUrl, githubWorkflowRepository,
                certIdentityRegexp, certIssuerRegexp, publicKey, requireTlog, Optional.empty(), Map.of(), Optional.empty(),
                explicitlyUnset);
    }

    /** Whether any key choosing the trust root ({@link #TRUST_ROOT_KEYS}) is set. */
    public boolean definesTrustRoot() {
        return useSigstoreTufData.isPresent() || rekorPubKeys.isPresent() || fulcioCerts.isPresent() || ctfePubKeys.isPresent();
    }

    /** Nothing configured. */
    public static VerifyPolicySettings none() {
        return new VerifyPolicySettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), Set.of());
    }
}
