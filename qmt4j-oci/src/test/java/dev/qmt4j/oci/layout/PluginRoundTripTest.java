package dev.qmt4j.oci.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginImage;
import dev.qmt4j.oci.PluginSelector;
import dev.qmt4j.oci.PluginType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every plugin packaging qmt4j reads (single Wasm manifest, native index with a wasi/wasm fallback,
 * wasi-only index, annotation-only manifest, OCI artifact, Docker manifest list), packaged into an OCI layout, read back, selected and fetched:
 * the plugin type is right and the fetched layer hashes to its digest.
 */
class PluginRoundTripTest {
    private static final Platform LINUX_AMD64 = Platform.parse("linux/amd64");
    private static final Platform LINUX_ARM64 = Platform.parse("linux/arm64");

    @TempDir
    Path tmp;
    private Path wasm;
    private Path soAmd64;
    private Path soArm64;

    @BeforeEach
    void files() throws IOException {
        wasm = Files.write(tmp.resolve("plugin.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        soAmd64 = Files.writeString(tmp.resolve("libplugin.so"), "ELF for amd64");
        Files.createDirectories(tmp.resolve("arm"));
        soArm64 = Files.writeString(tmp.resolve("arm/libplugin.so"), "ELF for arm64");
    }

    private LayoutRef layout(String tag) {
        return (LayoutRef) ImageRef.parse("oci-layout://" + tmp.resolve("layout") + ":" + tag);
    }

    /** Selects from the layout and fetches the plugin layer, asserting it hashes to its digest. */
    private Fetched pull(String tag, Platform host, Optional<Platform> override) throws IOException {
        try (OciLayoutSource source = new OciLayoutSource(layout(tag))) {
            ManifestBlob top = source.resolve();
            PluginImage image = PluginSelector.select(top, source::manifest, host, override);
            Path out = tmp.resolve("fetched-" + tag + "-" + System.nanoTime());
            source.fetchBlob(image.layer(), out, (d, t) -> {});
            assertEquals(image.layer().digest(), Digest.sha256(out));
            assertEquals(image.layer().size(), Files.size(out));
            return new Fetched(image, out);
        }
    }

    private record Fetched(PluginImage image, Path file) {}

    private static byte[] onlyTarEntry(Path tgz, String expectedName) throws IOException {
        try (InputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(tgz)))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            TarArchiveEntry entry = tar.getNextEntry();
            assertEquals(expectedName, entry.getName());
            assertEquals(0, entry.getModTime().getTime());
            assertEquals(0, entry.getLongUserId());
            assertEquals(0755, entry.getMode() & 0777);
            byte[] content = tar.readAllBytes();
            assertEquals(null, tar.getNextEntry());
            return content;
        }
    }

    @Test
    void singleWasmManifest() throws IOException {
        try (OciLayoutTarget target = new OciLayoutTarget(layout("wasm"))) {
            ImagePackager.pushWasm(target, wasm, "wasm", Map.of());
        }
        Fetched f = pull("wasm", LINUX_AMD64, Optional.empty());
        assertEquals(PluginType.WASM, f.image().type());
        assertEquals(MediaTypes.WASM_LAYER, f.image().layer().mediaType());
        assertEquals("extism", f.image().manifest().annotations().get(MediaTypes.ANNOTATION_PLUGIN_TYPE));
        assertEquals(MediaTypes.WASM_CONFIG, f.image().manifest().config().mediaType());
        assertArrayEquals(Files.readAllBytes(wasm), Files.readAllBytes(f.file()));
    }

    @Test
    void nativeIndexWithWasiFallback() throws IOException {
        Map<Platform, Path> libs = new LinkedHashMap<>();
        libs.put(LINUX_AMD64, soAmd64);
        libs.put(LINUX_ARM64, soArm64);
        try (OciLayoutTarget target = new OciLayoutTarget(layout("multi"))) {
            ImagePackager.pushNativeIndex(target, libs, Optional.of(wasm), "multi", Map.of());
        }
        Fetched amd = pull("multi", LINUX_AMD64, Optional.empty());
        assertEquals(PluginType.NATIVE, amd.image().type());
        assertEquals(Optional.of(LINUX_AMD64), amd.image().platform());
        assertEquals("ELF for amd64", new String(onlyTarEntry(amd.file(), "libplugin.so")));

        Fetched arm = pull("multi", Platform.of("Linux", "aarch64").normalize(), Optional.empty());
        assertEquals("ELF for arm64", new String(onlyTarEntry(arm.file(), "libplugin.so")));

        Fetched overridden = pull("multi", LINUX_AMD64, Optional.of(LINUX_ARM64));
        assertEquals(Optional.of(LINUX_ARM64), overridden.image().platform());

        Fetched mac = pull("multi", Platform.parse("darwin/arm64"), Optional.empty());
        assertEquals(PluginType.WASM, mac.image().type());
        assertArrayEquals(Files.readAllBytes(wasm), Files.readAllBytes(mac.file()));
    }

    @Test
    void wasiOnlyIndex() throws IOException {
        try (OciLayoutTarget target = new OciLayoutTarget(layout("wasi"))) {
            ImagePackager.pushNativeIndex(target, Map.of(), Optional.of(wasm), "wasi", Map.of());
        }
        Fetched f = pull("wasi", LINUX_AMD64, Optional.empty());
        assertEquals(PluginType.WASM, f.image().type());
        assertEquals(Optional.of(Platform.WASI_WASM), f.image().platform());
    }

    @Test
    void annotationOnlyManifest() throws IOException {
        try (OciLayoutTarget target = new OciLayoutTarget(layout("annotated"))) {
            ImagePackager.annotationOnlyManifest(wasm, "extism").push(target, "annotated");
        }
        Fetched f = pull("annotated", LINUX_AMD64, Optional.empty());
        assertEquals(PluginType.WASM, f.image().type());
        assertEquals("application/octet-stream", f.image().layer().mediaType());
    }

    @Test
    void unknownAnnotationValueIsPlatformError() throws IOException {
        try (OciLayoutTarget target = new OciLayoutTarget(layout("odd"))) {
            ImagePackager.annotationOnlyManifest(wasm, "python").push(target, "odd");
        }
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> pull("odd", LINUX_AMD64, Optional.empty()));
        assertEquals(ErrorKind.PLATFORM, e.kind());
        assertTrue(e.getMessage().contains("'python'"), e.getMessage());
    }

    @Test
    void ociArtifactWithArtifactType() throws IOException {
        try (OciLayoutTarget target = new OciLayoutTarget(layout("artifact"))) {
            ImagePackager.wasmArtifactManifest(wasm).push(target, "artifact");
        }
        Fetched f = pull("artifact", LINUX_AMD64, Optional.empty());
        assertEquals(PluginType.WASM, f.image().type());
        assertEquals(Optional.of(MediaTypes.WASM_LAYER), f.image().manifest().artifactType());
        assertEquals(MediaTypes.OCI_EMPTY, f.image().manifest().config().mediaType());
    }

    @Test
    void dockerManifestList() throws IOException {
        try (OciLayoutTarget target = new OciLayoutTarget(layout("docker"))) {
            ImagePackager.pushDockerManifestList(target, Map.of(LINUX_AMD64, soAmd64, LINUX_ARM64, soArm64), "docker");
        }
        try (OciLayoutSource source = new OciLayoutSource(layout("docker"))) {
            assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, ((ImageIndex) source.resolve().parse()).mediaType());
        }
        Fetched f = pull("docker", LINUX_ARM64, Optional.empty());
        assertEquals(PluginType.NATIVE, f.image().type());
        assertEquals(MediaTypes.DOCKER_MANIFEST, f.image().manifest().mediaType());
        assertEquals(MediaTypes.DOCKER_LAYER_TAR_GZIP, f.image().layer().mediaType());
        assertEquals("ELF for arm64", new String(onlyTarEntry(f.file(), "libplugin.so")));
    }

    @Test
    void missingPlatformListsOfferedOnes() throws IOException {
        try (OciLayoutTarget target = new OciLayoutTarget(layout("arm"))) {
            ImagePackager.pushNativeIndex(target, Map.of(LINUX_ARM64, soArm64, Platform.parse("darwin/arm64"), soAmd64),
                    Optional.empty(), "arm", Map.of());
        }
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> pull("arm", LINUX_AMD64, Optional.empty()));
        assertEquals(ErrorKind.PLATFORM, e.kind());
        assertEquals("no plugin for linux/amd64 in index; it offers: darwin/arm64, linux/arm64", e.getMessage());
    }

    @Test
    void arm64V8EntryMatchesPlainArm64Host() throws IOException {
        try (OciLayoutTarget target = new OciLayoutTarget(layout("v8"))) {
            ImagePackager.pushNativeIndex(target, Map.of(Platform.parse("linux/arm64/v8"), soArm64), Optional.empty(),
                    "v8", Map.of());
        }
        Fetched f = pull("v8", LINUX_ARM64, Optional.empty());
        assertEquals(Optional.of(Platform.parse("linux/arm64/v8")), f.image().platform());
    }

    @Test
    void packagingIsReproducible() {
        Map<Platform, Path> libs = Map.of(LINUX_AMD64, soAmd64, LINUX_ARM64, soArm64);
        Digest first;
        Digest wasmFirst;
        try (OciLayoutTarget a = new OciLayoutTarget((LayoutRef) ImageRef.parse("oci-layout://" + tmp.resolve("a")))) {
            first = ImagePackager.pushNativeIndex(a, libs, Optional.of(wasm), "t", Map.of());
            wasmFirst = ImagePackager.pushWasm(a, wasm, "w", Map.of());
        }
        try (OciLayoutTarget b = new OciLayoutTarget((LayoutRef) ImageRef.parse("oci-layout://" + tmp.resolve("b")))) {
            assertEquals(first, ImagePackager.pushNativeIndex(b, new LinkedHashMap<>(libs), Optional.of(wasm), "t", Map.of()));
            assertEquals(wasmFirst, ImagePackager.pushWasm(b, wasm, "w", Map.of()));
        }
    }
}
