package dev.qmt4j.oci;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A reference into an OCI image-layout directory: {@code oci-layout://DIR[:tag|@digest]}. The tag
 * is matched against {@code org.opencontainers.image.ref.name} in the layout's {@code index.json};
 * with neither tag nor digest the layout must hold exactly one image. The directory is kept
 * absolute and normalised so that one layout has one canonical form.
 */
public record LayoutRef(Path directory, Optional<String> tag, Optional<Digest> digest) implements ImageRef {

    @Override
    public String canonical() {
        return "oci-layout://" + directory + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }

    @Override
    public LayoutRef withDigest(Digest d) {
        return new LayoutRef(directory, tag, Optional.of(d));
    }

    @Override
    public String toString() {
        return canonical();
    }
}
