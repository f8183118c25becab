package dev.qmt4j.oci.registry;

import dev.qmt4j.oci.RegistryRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ordered sources for one reference: the matching entry's mirrors in order, then the primary location
 * unless the entry is blocked. A tag is resolved on the first of {@link #forTags()}; everything named by
 * digest comes from the first of {@link #forDigests()} that answers (see docs/mirrors.md).
 *
 * @param upstream the reference as asked for: what verification and the cache name, never a mirror's name
 * @param entry    the {@code [[oci.registry]]} entry that matched, if any
 * @param primary  the primary location's reference (the prefix remapped to {@code location})
 * @param sources  mirrors in order, then the primary unless blocked
 */
public record Route(RegistryRef upstream, Optional<RegistryEntry> entry, RegistryRef primary, List<RouteSource> sources) {
    public Route {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(primary, "primary");
        sources = List.copyOf(sources);
    }

    /** The route of a reference no entry matches: the registry it names, nothing else. */
    public static Route direct(RegistryRef ref) {
        return new Route(ref, Optional.empty(), ref, List.of(new RouteSource(ref, false, PullFrom.ALL, false)));
    }

    /** Whether the entry forbids contacting the primary location. */
    public boolean blocked() {
        return entry.map(RegistryEntry::blocked).orElse(false);
    }

    /** Whether anything but the plain registry is involved (a mirror, a remap or a block). */
    public boolean routed() {
        return entry.isPresent() && (blocked() || !entry.get().mirrors().isEmpty() || !primary.equals(upstream));
    }

    /** The sources a tag may be resolved on, in order. */
    public List<RouteSource> forTags() {
        return sources.stream().filter(RouteSource::servesTags).toList();
    }

    /** The sources content named by digest may come from, in order. */
    public List<RouteSource> forDigests() {
        return sources.stream().filter(RouteSource::servesDigests).toList();
    }

    /** The sources the reference itself is resolved on: {@link #forDigests()} for a digest reference, else {@link #forTags()}. */
    public List<RouteSource> forReference() {
        return upstream.digest().isPresent() ? forDigests() : forTags();
    }

    /**
     * One line per source, mirrors first then the primary, saying what each may serve and whether this
     * reference uses it (and why not), as {@code qmt4j inspect --route} prints them.
     */
    public List<String> explain() {
        List<String> lines = new ArrayList<>();
        boolean digestRef = upstream.digest().isPresent();
        int n = 1;
        for (RouteSource s : sources) {
            String use;
            if (digestRef) {
                use = s.servesDigests() ? "used: resolves the digest and serves content"
                        : "skipped: tag-only, and this is a digest reference";
            } else if (s.servesTags()) {
                use = "used: resolves the tag" + (s.servesDigests() ? " and serves content by digest" : " (content by digest from the next sources)");
            } else {
                use = "used for content by digest only, after the tag is resolved elsewhere (never sent the tag)";
            }
            String what = s.mirror() ? "pull-from-mirror=" + s.pullFrom().id() : "primary";
            lines.add(n++ + ". " + (s.mirror() ? "mirror  " : "primary ") + s.ref().name() + (s.insecure() ? " (http)" : "")
                    + (s.apiRoot().equals(RouteSource.API_ROOT) ? "" : " (API at " + s.apiRoot() + ")")
                    + "  [" + what + "]  " + use);
        }
        if (blocked()) {
            lines.add("-. primary " + primary.name() + "  [blocked]  never contacted: blocked = true for prefix '"
                    + entry.get().prefix() + "'");
        }
        if (entry.isEmpty()) {
            lines.add("   (no [[oci.registry]] prefix matches " + upstream.name() + ": the registry it names is used directly)");
        } else {
            lines.add("   (matched [[oci.registry]] prefix '" + entry.get().prefix() + "'"
                    + (primary.equals(upstream) ? "" : ", location '" + entry.get().location() + "'") + ")");
        }
        if (forReference().isEmpty()) {
            lines.add("   no source can serve this reference" + (digestRef ? "" : "; a digest reference could use the digest-only mirrors"));
        }
        return lines;
    }
}
