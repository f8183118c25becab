package dev.qmt4j.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Selection rules on in-memory manifests; the layout round trips exercise the same rules end to end. */
class PluginSelectorTest {
    private static final Platform LINUX_AMD64 = Platform.parse("linux/amd64");
    private final Map<Digest, ManifestBlob> store = new HashMap<>();

    private static Descriptor blob(String mediaType, String content, Map<String, String> annotations) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new Descriptor(mediaType, Digest.sha256(bytes), bytes.length, annotations, Optional.empty(), Optional.empty());
    }

    private ManifestBlob put(Manifest m) {
        byte[] bytes = ManifestCodec.write(m);
        ManifestBlob b = new ManifestBlob(Digest.sha256(bytes), m.mediaType(), bytes);
        store.put(b.digest(), b);
        return b;
    }

    private ManifestBlob image(String configType, Optional<String> artifactType, Map<String, String> annotations,
            Descriptor... layers) {
        return put(new ImageManifest(MediaTypes.OCI_MANIFEST, artifactType, blob(configType, "{}", Map.of()),
                List.of(layers), annotations, Optional.empty()));
    }

    private ManifestBlob index(Map<String, ManifestBlob> children) {
        List<Descriptor> entries = children.entrySet().stream().map(e -> new Descriptor(MediaTypes.OCI_MANIFEST,
                e.getValue().digest(), e.getValue().bytes().length, Map.of(), Optional.of(Platform.parse(e.getKey())),
                Optional.empty())).toList();
        return put(new ImageIndex(MediaTypes.OCI_INDEX, Optional.empty(), entries, Map.of()));
    }

    private PluginImage select(ManifestBlob top, Platform host, Optional<Platform> override) {
        return PluginSelector.select(top, store::get, host, override);
    }

    private ManifestBlob nativeImage(String name) {
        return image(MediaTypes.OCI_CONFIG, Optional.empty(), Map.of(), blob(MediaTypes.OCI_LAYER_TAR_GZIP, name, Map.of()));
    }

    private ManifestBlob wasmImage() {
        return image(MediaTypes.WASM_CONFIG, Optional.empty(), Map.of(), blob(MediaTypes.WASM_LAYER, "wasm", Map.of()));
    }

    @Test
    void indexPrefersHostThenWasi() {
        ManifestBlob amd = nativeImage("amd");
        ManifestBlob top = index(new java.util.LinkedHashMap<>(Map.of("linux/amd64", amd, "wasi/wasm", wasmImage())));
        PluginImage onAmd = select(top, LINUX_AMD64, Optional.empty());
        assertEquals(PluginType.NATIVE, onAmd.type());
        assertEquals(amd.digest(), onAmd.manifestDigest());
        assertEquals(Optional.of(LINUX_AMD64), onAmd.platform());

        PluginImage onMac = select(top, Platform.parse("darwin/arm64"), Optional.empty());
        assertEquals(PluginType.WASM, onMac.type());
        assertEquals(MediaTypes.WASM_LAYER, onMac.layer().mediaType());

        PluginImage forced = select(top, LINUX_AMD64, Optional.of(Platform.WASI_WASM));
        assertEquals(PluginType.WASM, forced.type());
    }

    @Test
    void explicitPlatformNeverFallsBackToWasi() {
        ManifestBlob top = index(new java.util.LinkedHashMap<>(Map.of("linux/amd64", nativeImage("amd"), "wasi/wasm", wasmImage())));
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> select(top, LINUX_AMD64, Optional.of(Platform.parse("windows/amd64"))));
        assertEquals(ErrorKind.PLATFORM, e.kind());
        assertTrue(e.getMessage().contains("no plugin for windows/amd64"), e.getMessage());
        assertTrue(e.getMessage().contains("linux/amd64") && e.getMessage().contains("wasi/wasm"), e.getMessage());
    }

    @Test
    void arm64HostMatchesV8Entry() {
        ManifestBlob arm = nativeImage("arm");
        PluginImage chosen = select(index(Map.of("linux/arm64/v8", arm)), Platform.of("Linux", "aarch64").normalize(),
                Optional.empty());
        assertEquals(arm.digest(), chosen.manifestDigest());
    }

    @Test
    void wasip2EntryIsWasm() {
        assertEquals(PluginType.WASM, select(index(Map.of("wasip2/wasm", wasmImage())), LINUX_AMD64, Optional.empty()).type());
    }

    @Test
    void missingPlatformListsOffered() {
        ManifestBlob top = index(new java.util.TreeMap<>(Map.of("linux/arm64", nativeImage("a"), "darwin/arm64", nativeImage("d"))));
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> select(top, LINUX_AMD64, Optional.empty()));
        assertEquals(ErrorKind.PLATFORM, e.kind());
        assertEquals("no plugin for linux/amd64 in index; it offers: darwin/arm64, linux/arm64", e.getMessage());
        assertTrue(e.hint().contains("--platform"));
    }

    @Test
    void nestedIndexIsRejected() {
        ManifestBlob inner = index(Map.of("linux/amd64", nativeImage("x")));
        ManifestBlob outer = index(Map.of("linux/amd64", inner));
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> select(outer, LINUX_AMD64, Optional.empty()));
        assertEquals(ErrorKind.INTEGRITY, e.kind());
    }

    @Test
    void childAnnotationIsConsulted() {
        ManifestBlob bogus = image(MediaTypes.OCI_CONFIG, Optional.empty(), Map.of(MediaTypes.ANNOTATION_PLUGIN_TYPE, "python"),
                blob(MediaTypes.OCI_LAYER_TAR_GZIP, "x", Map.of()));
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> select(index(Map.of("linux/amd64", bogus)), LINUX_AMD64, Optional.empty()));
        assertEquals(ErrorKind.PLATFORM, e.kind());
    }

    @Test
    void singleManifestRules() {
        assertEquals(PluginType.WASM, select(wasmImage(), LINUX_AMD64, Optional.empty()).type());
        assertEquals(PluginType.WASM, select(image(MediaTypes.OCI_CONFIG, Optional.empty(), Map.of(),
                blob(MediaTypes.WASM_LAYER_CNCF, "w", Map.of())), LINUX_AMD64, Optional.empty()).type());
        PluginImage artifact = select(image(MediaTypes.OCI_EMPTY, Optional.of("application/vnd.wasm.v1.layer+wasm"), Map.of(),
                blob("application/octet-stream", "w", Map.of())), LINUX_AMD64, Optional.empty());
        assertEquals(PluginType.WASM, artifact.type());
        assertEquals("application/octet-stream", artifact.layer().mediaType());
        assertEquals(PluginType.NATIVE, select(nativeImage("n"), LINUX_AMD64, Optional.empty()).type());
        assertEquals(PluginType.NATIVE, select(image(MediaTypes.OCI_CONFIG, Optional.empty(), Map.of(),
                blob(MediaTypes.DOCKER_LAYER_TAR_GZIP, "n", Map.of())), LINUX_AMD64, Optional.empty()).type());
    }

    @Test
    void annotationOnlyPicksTitledLayer() {
        Descriptor readme = blob("text/plain", "readme", Map.of(MediaTypes.ANNOTATION_TITLE, "README"));
        Descriptor module = blob("application/octet-stream", "wasm", Map.of(MediaTypes.ANNOTATION_TITLE, "plugin.wasm"));
        PluginImage img = select(image(MediaTypes.OCI_CONFIG, Optional.empty(), Map.of(MediaTypes.ANNOTATION_PLUGIN_TYPE, "extism"),
                readme, module), LINUX_AMD64, Optional.empty());
        assertEquals(PluginType.WASM, img.type());
        assertEquals(module, img.layer());
    }

    @Test
    void unknownAnnotationValueIsPlatformErrorNamingValues() {
        ManifestBlob m = image(MediaTypes.OCI_CONFIG, Optional.empty(), Map.of(MediaTypes.ANNOTATION_PLUGIN_TYPE, "jvm"),
                blob("application/octet-stream", "x", Map.of()));
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> select(m, LINUX_AMD64, Optional.empty()));
        assertEquals(ErrorKind.PLATFORM, e.kind());
        assertTrue(e.getMessage().contains("'jvm'"), e.getMessage());
        assertTrue(e.hint().contains("extism, wasm, native"), e.hint());
    }

    @Test
    void undeterminableTypeListsLayers() {
        ManifestBlob m = image(MediaTypes.OCI_CONFIG, Optional.empty(), Map.of(), blob("text/plain", "x", Map.of()));
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> select(m, LINUX_AMD64, Optional.empty()));
        assertEquals(ErrorKind.PLATFORM, e.kind());
        assertTrue(e.getMessage().contains("could not determine plugin type") && e.getMessage().contains("text/plain"),
                e.getMessage());
    }

    @Test
    void wasiOverrideOnNativeSingleManifestFails() {
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> select(nativeImage("n"), LINUX_AMD64, Optional.of(Platform.WASI_WASM)));
        assertEquals(ErrorKind.PLATFORM, e.kind());
        assertEquals(PluginType.WASM, select(wasmImage(), LINUX_AMD64, Optional.of(Platform.parse("linux/riscv64"))).type());
    }
}
