package dev.qmt4j.oci;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds plugin images the way QueryMT expects them and writes them to any {@link ImageTarget}
 * (a registry or an OCI layout). Output is reproducible: no timestamps unless the caller passes an
 * {@code org.opencontainers.image.created} annotation, so the same files give the same digest.
 *
 * <p>The builders behind {@link #manifest()} and {@link #index()} make the less common shapes
 * (annotation-only, OCI 1.1 artifacts, Docker manifest lists) for tests and the CLI.
 */
public final class ImagePackager {
    /** Media type of a Docker image config, used for Docker schema 2 children. */
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    /** The file name a Wasm plugin layer is titled with. */
    public static final String WASM_TITLE = "plugin.wasm";

    private ImagePackager() {}

    /** A new manifest builder. */
    public static ManifestBuilder manifest() {
        return new ManifestBuilder();
    }

    /** A new index builder. */
    public static IndexBuilder index() {
        return new IndexBuilder();
    }

    /** The QueryMT Wasm plugin image: Wasm config, one titled Wasm layer, {@code mt.query.plugin.type=extism}. */
    public static ManifestBuilder wasmManifest(Path wasm, Map<String, String> extraAnnotations) {
        return manifest()
                .config(MediaTypes.WASM_CONFIG, "{}".getBytes(StandardCharsets.UTF_8))
                .layer(MediaTypes.WASM_LAYER, wasm, Map.of(MediaTypes.ANNOTATION_TITLE, WASM_TITLE))
                .annotation(MediaTypes.ANNOTATION_PLUGIN_TYPE, "extism")
                .annotations(extraAnnotations);
    }

    /** A plugin typed only by annotation: a generic {@code application/octet-stream} layer. */
    public static ManifestBuilder annotationOnlyManifest(Path wasm, String pluginType) {
        return manifest()
                .config(MediaTypes.OCI_CONFIG, "{}".getBytes(StandardCharsets.UTF_8))
                .layer("application/octet-stream", wasm, Map.of(MediaTypes.ANNOTATION_TITLE, WASM_TITLE))
                .annotation(MediaTypes.ANNOTATION_PLUGIN_TYPE, pluginType);
    }

    /** An OCI 1.1 artifact: empty config, {@code artifactType} saying Wasm, one untyped-looking layer. */
    public static ManifestBuilder wasmArtifactManifest(Path wasm) {
        return manifest()
                .artifactType(MediaTypes.WASM_LAYER)
                .config(MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8))
                .layer("application/octet-stream", wasm, Map.of(MediaTypes.ANNOTATION_TITLE, WASM_TITLE));
    }

    /** Pushes a single-manifest Wasm plugin image and returns its digest. */
    public static Digest pushWasm(ImageTarget target, Path wasm, String tag, Map<String, String> extraAnnotations) {
        return wasmManifest(wasm, extraAnnotations).push(target, tag).digest();
    }

    /**
     * Pushes an image index with one native manifest per platform (each library as a tar+gzip layer
     * at the archive root) and an optional {@code wasi/wasm} entry; returns the index digest.
     */
    public static Digest pushNativeIndex(ImageTarget target, Map<Platform, Path> libraries, Optional<Path> wasmFallback,
            String tag, Map<String, String> annotations) {
        return nativeIndex(libraries, wasmFallback, annotations, false, target, tag);
    }

    /** Like {@link #pushNativeIndex} but as a Docker manifest list with Docker schema 2 children. */
    public static Digest pushDockerManifestList(ImageTarget target, Map<Platform, Path> libraries, String tag) {
        return nativeIndex(libraries, Optional.empty(), Map.of(), true, target, tag);
    }

    private static Digest nativeIndex(Map<Platform, Path> libraries, Optional<Path> wasmFallback,
            Map<String, String> annotations, boolean docker, ImageTarget target, String tag) {
        if (libraries.isEmpty() && wasmFallback.isEmpty()) {
            throw new Qmt4jException(ErrorKind.USAGE, "nothing to push: no native library and no Wasm fallback",
                    "give at least one --platform os/arch=FILE or a Wasm file");
        }
        List<Path> temps = new ArrayList<>();
        try {
            IndexBuilder index = index().mediaType(docker ? MediaTypes.DOCKER_MANIFEST_LIST : MediaTypes.OCI_INDEX)
                    .annotations(annotations);
            // Sorted so that the same libraries always give the same index digest.
            List<Map.Entry<Platform, Path>> sorted = libraries.entrySet().stream()
                    .sorted(Comparator.comparing(e -> e.getKey().toString())).toList();
            for (Map.Entry<Platform, Path> lib : sorted) {
                Platform platform = lib.getKey();
                if (!Files.isRegularFile(lib.getValue())) {
                    throw new Qmt4jException(ErrorKind.NOT_FOUND, "library " + lib.getValue() + " for " + platform
                            + " does not exist or is not a file");
                }
                Path tgz = Files.createTempFile("qmt4j-layer-", ".tar.gz");
                temps.add(tgz);
                TarGz.Layer layer = TarGz.pack(lib.getValue(), tgz);
                ManifestBuilder child = manifest()
                        .mediaType(docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST)
                        .config(docker ? DOCKER_CONFIG : MediaTypes.OCI_CONFIG, ManifestCodec.imageConfig(platform, layer.diffId()))
                        .layer(docker ? MediaTypes.DOCKER_LAYER_TAR_GZIP : MediaTypes.OCI_LAYER_TAR_GZIP, tgz, Map.of());
                if (!docker) {
                    child.annotation(MediaTypes.ANNOTATION_PLUGIN_TYPE, "native")
                            .annotation("org.opencontainers.image.os", platform.os())
                            .annotation("org.opencontainers.image.architecture", platform.architecture());
                }
                index.child(platform, child);
            }
            wasmFallback.ifPresent(wasm -> index.child(Platform.WASI_WASM, wasmManifest(wasm, Map.of())));
            return index.push(target, tag);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary layer file", e);
        } finally {
            temps.forEach(ImagePackager::deleteQuietly);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
