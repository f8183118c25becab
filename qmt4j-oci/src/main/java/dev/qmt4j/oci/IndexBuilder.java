package dev.qmt4j.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds an image index (or Docker manifest list) from per-platform manifests and pushes it with
 * its children to any {@link ImageTarget}. Children are pushed untagged, the index under the tag.
 */
public final class IndexBuilder {
    private String mediaType = MediaTypes.OCI_INDEX;
    private final List<Map.Entry<Platform, ManifestBuilder>> children = new ArrayList<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();

    IndexBuilder() {}

    /** The index media type; {@link MediaTypes#OCI_INDEX} unless set (e.g. Docker manifest list). */
    public IndexBuilder mediaType(String mediaType) {
        this.mediaType = Objects.requireNonNull(mediaType);
        return this;
    }

    /** Adds an entry for {@code platform}. */
    public IndexBuilder child(Platform platform, ManifestBuilder manifest) {
        children.add(Map.entry(platform, manifest));
        return this;
    }

    public IndexBuilder annotation(String key, String value) {
        annotations.put(key, value);
        return this;
    }

    public IndexBuilder annotations(Map<String, String> more) {
        annotations.putAll(more);
        return this;
    }

    /** Pushes every child, then the index; returns the index digest. */
    public Digest push(ImageTarget target, String tag) {
        List<Descriptor> entries = new ArrayList<>();
        for (Map.Entry<Platform, ManifestBuilder> child : children) {
            ManifestBuilder.Built built = child.getValue().push(target, null);
            entries.add(built.descriptor(Optional.of(child.getKey())));
        }
        ImageIndex index = new ImageIndex(mediaType, Optional.empty(), entries, annotations);
        return target.pushManifest(ManifestCodec.write(index), mediaType, tag);
    }
}
