package dev.qmt4j.oci;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides the plugin type and platform, and which layer holds the plugin.
 *
 * <p>For an image index: the entry for the requested platform (the {@code --platform} override, else
 * the host) is a native plugin, unless the request is itself {@code wasi/wasm}; failing that, and
 * only when no other platform was asked for explicitly, a {@code wasi/wasm} (or
 * {@code wasip1}/{@code wasip2}) entry is a Wasm plugin; failing that, the error lists what the
 * index offers. For a single manifest: a Wasm layer media type, or an
 * {@code artifactType}/config media type mentioning wasm, means Wasm; else the
 * {@code mt.query.plugin.type} annotation decides; else a tar layer means native.
 *
 * <p>Unlike QueryMT, the annotation is also read on index children (it may override what the
 * platform implies), and an unknown annotation value is an error rather than a crash.
 */
public final class PluginSelector {
    /** Values of {@link MediaTypes#ANNOTATION_PLUGIN_TYPE} we understand. */
    static final List<String> ACCEPTED_TYPE_ANNOTATIONS = List.of("extism", "wasm", "native");

    private static final String WASM_FILE = "plugin.wasm";

    private PluginSelector() {}

    /**
     * @param top          the resolved top-level manifest
     * @param fetchChild   fetches an index child by digest (checked)
     * @param host         the host platform
     * @param override     a {@code --platform} override, if any
     * @throws Qmt4jException {@code PLATFORM} when no entry fits or the type cannot be determined,
     *                        {@code INTEGRITY} when a child is not an image manifest
     */
    public static PluginImage select(ManifestBlob top, Function<Digest, ManifestBlob> fetchChild, Platform host,
            Optional<Platform> override) {
        Manifest manifest = top.parse();
        if (manifest instanceof ImageIndex index) {
            return fromIndex(index, fetchChild, override.orElse(host).normalize(), override.isPresent());
        }
        ImageManifest single = (ImageManifest) manifest;
        PluginType type = typeOf(single).orElseThrow(() -> new Qmt4jException(ErrorKind.PLATFORM,
                "could not determine plugin type of " + top.digest() + ": no Wasm layer, no "
                        + MediaTypes.ANNOTATION_PLUGIN_TYPE + " annotation and no tar layer (layers: "
                        + layerTypes(single) + ")",
                "publish the plugin with a " + MediaTypes.WASM_LAYER + " or " + MediaTypes.OCI_LAYER_TAR_GZIP
                        + " layer, or annotate the manifest with " + MediaTypes.ANNOTATION_PLUGIN_TYPE + "=extism|native"));
        // A single Wasm manifest runs anywhere; only a request for Wasm on a native-only image is impossible.
        if (type == PluginType.NATIVE && override.isPresent() && override.get().isWasi()) {
            throw new PlatformUnavailableException(override.get().normalize(), List.of(), "no plugin for " + override.get()
                    + ": " + top.digest() + " is a single native plugin image",
                    "drop --platform, or use an image that offers wasi/wasm");
        }
        return new PluginImage(type, top.digest(), single, pluginLayer(single, type, top.digest().toString()),
                Optional.empty());
    }

    private static PluginImage fromIndex(ImageIndex index, Function<Digest, ManifestBlob> fetchChild, Platform want,
            boolean explicit) {
        Optional<Descriptor> entry = Optional.empty();
        PluginType implied = PluginType.NATIVE;
        if (!want.isWasi()) {
            entry = index.manifests().stream()
                    .filter(d -> d.platform().isPresent() && want.matches(d.platform().get()))
                    .findFirst();
        }
        // An explicit --platform means exactly that platform: silently running the Wasm build instead
        // would hide that the asked-for one is missing. Only the host default falls back to wasi/wasm.
        if (entry.isEmpty() && (!explicit || want.isWasi())) {
            implied = PluginType.WASM;
            entry = index.manifests().stream()
                    .filter(d -> d.platform().isPresent() && d.platform().get().isWasi())
                    .findFirst();
        }
        if (entry.isEmpty()) {
            String offered = index.manifests().stream()
                    .map(d -> d.platform().map(Platform::toString).orElse("(no platform)"))
                    .distinct().collect(Collectors.joining(", "));
            List<Platform> platforms = index.manifests().stream().flatMap(d -> d.platform().stream()).distinct().toList();
            throw new PlatformUnavailableException(want, platforms, "no plugin for " + want + " in index; it offers: "
                    + (offered.isEmpty() ? "nothing" : offered),
                    "choose one of the offered platforms with --platform os/arch[/variant], or ask the publisher for a "
                            + want + " build or a wasi/wasm fallback");
        }
        Descriptor chosen = entry.get();
        String where = "index entry " + chosen.platform().orElseThrow() + " (" + chosen.digest() + ")";
        ManifestBlob childBlob = fetchChild.apply(chosen.digest());
        if (!childBlob.digest().equals(chosen.digest()) || childBlob.bytes().length != chosen.size()) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, where + " does not match the manifest fetched for it",
                    "the source is inconsistent or tampered with; try again or report it to the publisher");
        }
        if (!(childBlob.parse() instanceof ImageManifest child)) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, where + " is itself an image index; nested indexes are not supported",
                    "publish the platform entries as image manifests");
        }
        PluginType type = annotatedType(child).orElse(implied);
        return new PluginImage(type, chosen.digest(), child, pluginLayer(child, type, where), chosen.platform());
    }

    /** The type a single manifest declares, by layers, artifact type, annotation and layers again, in that order. */
    static Optional<PluginType> typeOf(ImageManifest m) {
        if (m.layers().stream().anyMatch(l -> MediaTypes.isWasmLayer(l.mediaType()))
                || m.artifactType().map(PluginSelector::mentionsWasm).orElse(false)
                || mentionsWasm(m.config().mediaType())) {
            return Optional.of(PluginType.WASM);
        }
        Optional<PluginType> annotated = annotatedType(m);
        if (annotated.isPresent()) {
            return annotated;
        }
        if (m.layers().stream().anyMatch(l -> MediaTypes.isTarLayer(l.mediaType()))) {
            return Optional.of(PluginType.NATIVE);
        }
        return Optional.empty();
    }

    private static Optional<PluginType> annotatedType(ImageManifest m) {
        String value = m.annotations().get(MediaTypes.ANNOTATION_PLUGIN_TYPE);
        if (value == null) {
            return Optional.empty();
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "extism", "wasm":
                return Optional.of(PluginType.WASM);
            case "native":
                return Optional.of(PluginType.NATIVE);
            default:
                throw new Qmt4jException(ErrorKind.PLATFORM, "unknown plugin type '" + value + "' in annotation "
                        + MediaTypes.ANNOTATION_PLUGIN_TYPE, "accepted values: " + String.join(", ", ACCEPTED_TYPE_ANNOTATIONS));
        }
    }

    private static boolean mentionsWasm(String mediaType) {
        return mediaType != null && mediaType.toLowerCase(Locale.ROOT).contains("wasm");
    }

    /**
     * The layer holding the plugin: for Wasm the first Wasm-typed layer, else the one titled
     * {@code plugin.wasm} (or any {@code *.wasm}), else the only layer; for native the first tar layer.
     */
    static Descriptor pluginLayer(ImageManifest m, PluginType type, String where) {
        List<Descriptor> layers = m.layers();
        Optional<Descriptor> layer;
        if (type == PluginType.WASM) {
            layer = layers.stream().filter(l -> MediaTypes.isWasmLayer(l.mediaType())).findFirst()
                    .or(() -> layers.stream().filter(l -> WASM_FILE.equals(title(l))).findFirst())
                    .or(() -> layers.stream().filter(l -> title(l) != null && title(l).endsWith(".wasm")).findFirst())
                    .or(() -> layers.size() == 1 ? Optional.of(layers.get(0)) : Optional.empty());
        } else {
            layer = layers.stream().filter(l -> MediaTypes.isTarLayer(l.mediaType())).findFirst();
        }
        return layer.orElseThrow(() -> new Qmt4jException(ErrorKind.PLATFORM,
                "no " + type.id() + " plugin layer in " + where + " (layers: " + layerTypes(m) + ")",
                type == PluginType.WASM
                        ? "a Wasm plugin needs a " + MediaTypes.WASM_LAYER + " layer or a single layer titled " + WASM_FILE
                        : "a native plugin needs a " + MediaTypes.OCI_LAYER_TAR_GZIP + " layer"));
    }

    private static String title(Descriptor layer) {
        return layer.annotations().get(MediaTypes.ANNOTATION_TITLE);
    }

    private static String layerTypes(ImageManifest m) {
        return m.layers().isEmpty() ? "none"
                : m.layers().stream().map(Descriptor::mediaType).collect(Collectors.joining(", "));
    }
}
