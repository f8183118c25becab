package dev.qmt4j.oci.registry;

import java.util.Objects;

/**
 * One {@code [[oci.registry.mirror]]}: where a copy of the entry's repositories can be read.
 *
 * @param location {@code host[:port][/namespace]} standing in for the entry's prefix
 * @param pullFrom what this mirror may serve
 * @param insecure plain HTTP to this mirror
 */
public record RegistryMirror(String location, PullFrom pullFrom, boolean insecure) {
    public RegistryMirror {
        location = RegistryEntry.trimLocation(Objects.requireNonNull(location, "location"));
        Objects.requireNonNull(pullFrom, "pullFrom");
    }
}
