package dev.qmt4j.sigstore;

/** What {@link PolicyResolver} decided for one reference: {@link Apply}, {@link Skip} or {@link NoPolicy}. */
public sealed interface PolicyDecision {

    /** Verify with this policy; {@code origin} says where it came from (flags, provider, [oci], built-in). */
    record Apply(ImagePolicy policy, String origin) implements PolicyDecision {}

    /** Verification explicitly switched off ({@code insecure_skip_signature}). */
    record Skip(String origin) implements PolicyDecision {}

    /** Nothing applies: refuse, showing {@code suggestion} (the config lines that would accept). */
    record NoPolicy(String suggestion) implements PolicyDecision {}
}
