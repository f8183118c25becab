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
 */
public record RouteSource(RegistryRef ref, boolean mirror, PullFrom pullFrom, boolean insecure) {
    public RouteSource {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(pullFrom, "pullFrom");
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
        return (mirror ? "mirror " : "primary ") + ref.name();
    }
}
