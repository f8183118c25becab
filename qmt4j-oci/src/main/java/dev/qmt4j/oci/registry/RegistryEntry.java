package dev.qmt4j.oci.registry;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code [[oci.registry]]} entry, with the names of containers' registries.conf v2.
 *
 * @param prefix   the references it applies to: {@code host}, {@code host/namespace} or {@code host/repo}; the longest
 *                 matching prefix wins
 * @param location where the prefix really lives (defaults to the prefix itself)
 * @param insecure plain HTTP to {@code location}
 * @param blocked  never contact {@code location} itself; the mirrors still serve
 * @param mirrors  tried in order before {@code location}
 */
public record RegistryEntry(String prefix, String location, boolean insecure, boolean blocked, List<RegistryMirror> mirrors) {
    public RegistryEntry {
        prefix = trimLocation(Objects.requireNonNull(prefix, "prefix"));
        location = location == null || location.isBlank() ? prefix : trimLocation(location);
        mirrors = List.copyOf(mirrors);
    }

    /** {@code host[:port]} of a location: lower-cased, without trailing slashes. */
    static String trimLocation(String location) {
        String l = location.strip();
        while (l.endsWith("/")) {
            l = l.substring(0, l.length() - 1);
        }
        int slash = l.indexOf('/');
        return slash < 0 ? l.toLowerCase(Locale.ROOT) : l.substring(0, slash).toLowerCase(Locale.ROOT) + l.substring(slash);
    }

    /** The {@code host[:port]} part of a location. */
    static String hostOf(String location) {
        int slash = location.indexOf('/');
        return slash < 0 ? location : location.substring(0, slash);
    }

    /** Whether {@code name} ({@code registry/repository}) falls under this entry's prefix. */
    boolean matches(String name) {
        return name.equals(prefix) || name.startsWith(prefix + "/");
    }
}
