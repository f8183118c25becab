package dev.qmt4j.oci.registry;

import dev.qmt4j.oci.RegistryRef;
import java.util.Objects;

/**
 * One place a {@link Route} may read from: a mirror or the primary location, with the reference as it is
 * spelled there (same tag or digest, the repository moved under the mirror's namespace).
 *
 * @param ref      the reference at this source
 * @param mirror   a mirror (requests carry {@code ?ns=<upstream host>}), or the primary location
 * @param pullFrom what it may serve ({@link PullFrom#ALL} for the primary)
 * @param insecure plain HTTP to it
 * @param apiRoot  the path the distribution API is served under: {@code /v2}, or a containerd host's own
 *                 ({@code /cache/v2}; {@code override_path} gives it whole)
 */
public record RouteSource(RegistryRef ref, boolean mirror, PullFrom pullFrom, boolean insecure, String apiRoot) {
    /** The distribution API's usual root. */
    public static final String API_ROOT = "/v2";

    public RouteSource {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(pullFrom, "pullFrom");
        Objects.requireNonNull(apiRoot, "apiRoot");
    }

    /** A source whose API is at {@code /v2}. */
    public RouteSource(RegistryRef ref, boolean mirror, PullFrom pullFrom, boolean insecure) {
        this(ref, mirror, pullFrom, insecure, API_ROOT);
    }

    /** {@code host[:port]} contacted, which also picks the credentials. */
    public String host() {
        return ref.registry();
    }

    /** Whether a tag may be resolved here. */
    public boolean servesTags() {
        return pullFrom.servesTags();
    }

    /** Whether content named by digest may be fetched here. */
    public boolean servesDigests() {
        return pullFrom.servesDigests();
    }

    /** {@code mirror 127.0.0.1:5001/ghcr/querymt/x} or {@code primary ghcr.io/querymt/x}, for messages. */
    public String describe() {
        return (mirror ? "mirror " : "primary ") + ref.name() + (apiRoot.equals(API_ROOT) ? "" : " (API at " + apiRoot + ")");
    }
}
