package dev.qmt4j.oci.registry;

import java.util.Locale;
import java.util.Optional;

/**
 * What a mirror may serve, as registries.conf's {@code pull-from-mirror} says: everything, content named by
 * digest only, or tags only. A {@code DIGEST_ONLY} mirror never receives a request naming a tag (a mirror that
 * cannot vouch for tags, such as Spegel or a content-addressed peer cache); a {@code TAG_ONLY} mirror is skipped
 * for digest references.
 */
public enum PullFrom {
    /** Tags and digests. */
    ALL("all"),
    /** Only content named by digest (manifests, blobs, cosign's {@code sha256-<hex>.sig} tags, referrers). */
    DIGEST_ONLY("digest-only"),
    /** Only tag resolution; a digest reference never uses this mirror. */
    TAG_ONLY("tag-only");

    private final String id;

    PullFrom(String id) {
        this.id = id;
    }

    /** The registries.conf spelling: {@code all}, {@code digest-only}, {@code tag-only}. */
    public String id() {
        return id;
    }

    /** Whether a tag may be resolved here. */
    public boolean servesTags() {
        return this != DIGEST_ONLY;
    }

    /** Whether content named by digest may be fetched here. */
    public boolean servesDigests() {
        return this != TAG_ONLY;
    }

    /** The value for a registries.conf spelling (case-insensitive), or empty. */
    public static Optional<PullFrom> parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (PullFrom p : values()) {
            if (p.id.equals(t)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
