package dev.qmt4j.oci.registry;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code [[oci.registry]]} entry, with the names of containers' registries.conf v2.
 *
 * @param prefix   the references it applies to: {@code host}, {@code host/namespace} or {@code host/repo}, or
 *                 {@code *.example.com} for every registry host under that domain; the longest matching prefix
 *                 (as a string) wins, as in containers/image
 * @param location where the prefix really lives (defaults to the prefix itself; a wildcard prefix has none)
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

    /** Whether the prefix is {@code *.domain}. */
    public boolean wildcard() {
        return prefix.startsWith("*.");
    }

    /** Whether {@code name} ({@code registry/repository}) falls under this entry's prefix. */
    boolean matches(String name) {
        if (wildcard()) {
            return hostOf(name).endsWith(prefix.substring(1));
        }
        return name.equals(prefix) || name.startsWith(prefix + "/");
    }

    /** How much of {@code name} the prefix stands for: the host for a wildcard, else the prefix. */
    int matchedLength(String name) {
        return wildcard() ? hostOf(name).length() : prefix.length();
    }
}
