package dev.qmt4j.oci.registry;

import java.util.Objects;

/**
 * One {@code [[oci.registry.mirror]]}: where a copy of the entry's repositories can be read.
 *
 * @param location {@code host[:port][/namespace]} standing in for the entry's prefix
 * @param pullFrom what this mirror may serve
 * @param insecure plain HTTP to this mirror
 * @param apiRoot  the path its distribution API is served under ({@code /v2}; a containerd host may put it elsewhere)
 */
public record RegistryMirror(String location, PullFrom pullFrom, boolean insecure, String apiRoot) {
    public RegistryMirror {
        location = RegistryEntry.trimLocation(Objects.requireNonNull(location, "location"));
        Objects.requireNonNull(pullFrom, "pullFrom");
        apiRoot = apiRoot == null || apiRoot.isBlank() ? RouteSource.API_ROOT : apiRoot;
    }

    /** A registries.conf mirror: its API at {@code /v2}. */
    public RegistryMirror(String location, PullFrom pullFrom, boolean insecure) {
        this(location, pullFrom, insecure, RouteSource.API_ROOT);
    }
}
