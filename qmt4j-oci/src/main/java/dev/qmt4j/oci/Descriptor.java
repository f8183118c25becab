package dev.qmt4j.oci;

import java.util.Map;
import java.util.Optional;

/** An OCI content descriptor: what a manifest says about a blob or a child manifest. */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
        Optional<Platform> platform, Optional<String> artifactType) {

    public Descriptor {
        annotations = Map.copyOf(annotations);
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, Map.of(), Optional.empty(), Optional.empty());
    }
}
