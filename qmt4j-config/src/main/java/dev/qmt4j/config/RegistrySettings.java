package dev.qmt4j.config;

import java.util.List;
import java.util.Optional;

/**
 * One {@code [[oci.registry]]} table, with the names of containers' registries.conf v2 (docs/mirrors.md).
 *
 * @param prefix   {@code prefix}: {@code host}, {@code host/namespace} or {@code host/repo}; the longest match wins
 * @param location {@code location}: where the prefix really lives (default: the prefix)
 * @param insecure {@code insecure}: plain HTTP to the location
 * @param blocked  {@code blocked}: never contact the location itself; its mirrors still serve
 * @param mirrors  the {@code [[oci.registry.mirror]]} tables, in order
 */
public record RegistrySettings(String prefix, Optional<String> location, boolean insecure, boolean blocked,
        List<MirrorSettings> mirrors) {

    /** The keys of an {@code [[oci.registry]]} table. */
    public static final List<String> KEYS = List.of("prefix", "location", "insecure", "blocked", "mirror");

    public RegistrySettings {
        mirrors = List.copyOf(mirrors);
    }

    /**
     * One {@code [[oci.registry.mirror]]} table.
     *
     * @param location       {@code location}: {@code host[:port][/namespace]} standing in for the prefix
     * @param pullFromMirror {@code pull-from-mirror}: {@code all}, {@code digest-only} or {@code tag-only}
     * @param insecure       {@code insecure}: plain HTTP to the mirror
     * @param apiRoot        where the mirror serves the distribution API: {@code /v2} (null), or a containerd
     *                       host's path ({@code hosts_dir})
     */
    public record MirrorSettings(String location, String pullFromMirror, boolean insecure, String apiRoot) {
        /** A mirror serving the API at {@code /v2}. */
        public MirrorSettings(String location, String pullFromMirror, boolean insecure) {
            this(location, pullFromMirror, insecure, null);
        }

        /** The keys of an {@code [[oci.registry.mirror]]} table. */
        public static final List<String> KEYS = List.of("location", "pull-from-mirror", "insecure");
        /** The values {@code pull-from-mirror} accepts. */
        public static final List<String> PULL_FROM = List.of("all", "digest-only", "tag-only");
    }
}
