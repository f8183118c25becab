package dev.qmt4j.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An image index (or Docker manifest list): one child manifest per platform. */
public record ImageIndex(String mediaType, Optional<String> artifactType, List<Descriptor> manifests,
        Map<String, String> annotations) implements Manifest {

    public ImageIndex {
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }
}
