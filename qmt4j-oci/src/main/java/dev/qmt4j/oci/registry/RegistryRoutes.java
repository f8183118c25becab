package dev.qmt4j.oci.registry;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.RegistryRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code [[oci.registry]]} entries: for a reference, its {@link Route}. A value; the longest matching prefix
 * wins, as in containers' registries.conf.
 */
public record RegistryRoutes(List<RegistryEntry> entries) {
    private static final RegistryRoutes NONE = new RegistryRoutes(List.of());

    public RegistryRoutes {
        entries = List.copyOf(entries);
    }

    /** No entries: every reference goes straight to its registry. */
    public static RegistryRoutes none() {
        return NONE;
    }

    /** Whether there are no entries. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entry with the longest prefix matching {@code ref}, if any. */
    public Optional<RegistryEntry> entryFor(RegistryRef ref) {
        String name = ref.name();
        return entries.stream().filter(e -> e.matches(name)).max(Comparator.comparingInt(e -> e.prefix().length()));
    }

    /** The ordered sources for {@code ref}. */
    public Route route(RegistryRef ref) {
        Optional<RegistryEntry> match = entryFor(ref);
        if (match.isEmpty()) {
            return Route.direct(ref);
        }
        RegistryEntry e = match.get();
        String rest = ref.name().substring(e.matchedLength(ref.name()));
        // A wildcard entry has no location of its own: the primary is the registry the reference names.
        RegistryRef primary = e.wildcard() ? ref : at(e.location(), rest, ref, "location of prefix '" + e.prefix() + "'");
        List<RouteSource> sources = new ArrayList<>();
        for (RegistryMirror m : e.mirrors()) {
            sources.add(new RouteSource(at(m.location(), rest, ref, "mirror of prefix '" + e.prefix() + "'"), true,
                    m.pullFrom(), m.insecure(), m.apiRoot()));
        }
        if (!e.blocked()) {
            sources.add(new RouteSource(primary, false, PullFrom.ALL, e.insecure()));
        }
        return new Route(ref, match, primary, sources);
    }

    /** Every {@code host[:port]} an entry marks {@code insecure} (plain HTTP). */
    public List<String> insecureHosts() {
        List<String> hosts = new ArrayList<>();
        for (RegistryEntry e : entries) {
            if (e.insecure() && !e.wildcard()) {
                hosts.add(RegistryEntry.hostOf(e.location()));
            }
            e.mirrors().stream().filter(RegistryMirror::insecure).map(m -> RegistryEntry.hostOf(m.location())).forEach(hosts::add);
        }
        return hosts;
    }

    /** {@code location + rest} as a reference with {@code ref}'s tag and digest. */
    private static RegistryRef at(String location, String rest, RegistryRef ref, String what) {
        String full = location + rest;
        int slash = full.indexOf('/');
        if (slash <= 0 || slash == full.length() - 1) {
            throw new Qmt4jException(ErrorKind.CONFIG, "the " + what + ", '" + location + "', leaves no repository for "
                    + ref.name(), "a location that stands for a whole repository must name one: host[:port]/repository");
        }
        return new RegistryRef(full.substring(0, slash), full.substring(slash + 1), ref.tag(), ref.digest());
    }
}
