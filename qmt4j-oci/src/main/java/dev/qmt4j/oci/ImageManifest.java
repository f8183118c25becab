package dev.qmt4j.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One image: a config blob and layers. */
public record ImageManifest(String mediaType, Optional<String> artifactType, Descriptor config,
        List<Descriptor> layers, Map<String, String> annotations, Optional<Descriptor> subject) implements Manifest {

    public ImageManifest {
        layers = List.copyOf(layers);
        annotations = Map.copyOf(annotations);
    }
}
