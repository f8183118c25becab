package dev.qmt4j.oci;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds one image manifest from a config and layer files, then pushes it to any
 * {@link ImageTarget}. Layers are hashed by streaming, so large plugins never sit in memory; the
 * manifest is written by {@link ManifestCodec#write}, so the same inputs give the same digest.
 *
 * <pre>{@code
 * Digest d = ImagePackager.manifest()
 *         .config(MediaTypes.OCI_EMPTY, "{}".getBytes(UTF_8))
 *         .artifactType("application/vnd.wasm.v1.layer+wasm")
 *         .layer("application/octet-stream", wasmFile, Map.of())
 *         .push(target, "1.0");
 * }</pre>
 */
public final class ManifestBuilder {
    private String mediaType = MediaTypes.OCI_MANIFEST;
    private Optional<String> artifactType = Optional.empty();
    private String configMediaType = MediaTypes.OCI_EMPTY;
    private byte[] config = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();

    /** A layer descriptor together with the file holding its bytes. */
    public record Layer(Descriptor descriptor, Path file) {}

    /** What {@link #build()} produced: the manifest, its exact bytes and their digest. */
    public record Built(ImageManifest manifest, byte[] bytes, Digest digest, byte[] config, List<Layer> layers) {
        /** The descriptor an index uses to point at this manifest. */
        public Descriptor descriptor(Optional<Platform> platform) {
            return new Descriptor(manifest.mediaType(), digest, bytes.length, Map.of(), platform, Optional.empty());
        }
    }

    ManifestBuilder() {}

    /** The manifest media type; {@link MediaTypes#OCI_MANIFEST} unless set (e.g. Docker schema 2). */
    public ManifestBuilder mediaType(String mediaType) {
        this.mediaType = Objects.requireNonNull(mediaType);
        return this;
    }

    /** An OCI 1.1 {@code artifactType}. */
    public ManifestBuilder artifactType(String artifactType) {
        this.artifactType = Optional.of(artifactType);
        return this;
    }

    /** The config blob; defaults to the OCI empty descriptor content {@code {}}. */
    public ManifestBuilder config(String mediaType, byte[] content) {
        this.configMediaType = Objects.requireNonNull(mediaType);
        this.config = content.clone();
        return this;
    }

    /** Adds a layer from a file, hashing it now by streaming. */
    public ManifestBuilder layer(String mediaType, Path file, Map<String, String> layerAnnotations) {
        if (!Files.isRegularFile(file)) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "layer file " + file + " does not exist or is not a file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Descriptor d = new Descriptor(mediaType, Digest.sha256(file), size, layerAnnotations, Optional.empty(),
                Optional.empty());
        layers.add(new Layer(d, file));
        return this;
    }

    public ManifestBuilder annotation(String key, String value) {
        annotations.put(key, value);
        return this;
    }

    public ManifestBuilder annotations(Map<String, String> more) {
        annotations.putAll(more);
        return this;
    }

    /** Assembles the manifest without touching any target. */
    public Built build() {
        Descriptor configDescriptor = Descriptor.of(configMediaType, Digest.sha256(config), config.length);
        ImageManifest manifest = new ImageManifest(mediaType, artifactType, configDescriptor,
                layers.stream().map(Layer::descriptor).toList(), annotations, Optional.empty());
        byte[] bytes = ManifestCodec.write(manifest);
        return new Built(manifest, bytes, Digest.sha256(bytes), config.clone(), List.copyOf(layers));
    }

    /** Pushes config, layers (skipping those the target has) and the manifest; tags it if {@code tag} is non-null. */
    public Built push(ImageTarget target, String tag) {
        Built built = build();
        target.pushBlob(built.manifest().config(), built.config());
        for (Layer layer : built.layers()) {
            if (!target.hasBlob(layer.descriptor().digest())) {
                target.pushBlob(layer.descriptor(), layer.file());
            }
        }
        target.pushManifest(built.bytes(), built.manifest().mediaType(), tag);
        return built;
    }
}
