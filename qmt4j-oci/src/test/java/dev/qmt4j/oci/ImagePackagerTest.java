package dev.qmt4j.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePackagerTest {
    @TempDir
    Path tmp;

    @Test
    void wasmManifestHasQueryMtShape() throws IOException {
        Path wasm = Files.write(tmp.resolve("x.wasm"), new byte[] {0, 'a', 's', 'm'});
        ManifestBuilder.Built built = ImagePackager.wasmManifest(wasm, Map.of(MediaTypes.ANNOTATION_VERSION, "1.0")).build();
        ImageManifest m = built.manifest();
        assertEquals(MediaTypes.WASM_CONFIG, m.config().mediaType());
        assertEquals(Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)), m.config().digest());
        Descriptor layer = m.layers().get(0);
        assertEquals(MediaTypes.WASM_LAYER, layer.mediaType());
        assertEquals(Digest.sha256(wasm), layer.digest());
        assertEquals(4, layer.size());
        assertEquals("plugin.wasm", layer.annotations().get(MediaTypes.ANNOTATION_TITLE));
        assertEquals(Map.of(MediaTypes.ANNOTATION_PLUGIN_TYPE, "extism", MediaTypes.ANNOTATION_VERSION, "1.0"), m.annotations());
        assertEquals(Digest.sha256(built.bytes()), built.digest());
        assertEquals(m, ManifestCodec.parse(built.bytes(), null, null));
        assertEquals(Optional.empty(), built.descriptor(Optional.empty()).platform());
    }

    @Test
    void tarLayerIgnoresFileTimestamps() throws IOException {
        Path lib = Files.writeString(tmp.resolve("libp.so"), "library");
        TarGz.Layer first = TarGz.pack(lib, tmp.resolve("a.tgz"));
        Files.setLastModifiedTime(lib, FileTime.fromMillis(123_456_789_000L));
        TarGz.Layer second = TarGz.pack(lib, tmp.resolve("b.tgz"));
        assertArrayEquals(Files.readAllBytes(first.file()), Files.readAllBytes(second.file()));
        assertEquals(first.diffId(), second.diffId());
    }

    @Test
    void missingInputsAreUserErrors() {
        Qmt4jException missing = assertThrows(Qmt4jException.class,
                () -> ImagePackager.manifest().layer(MediaTypes.WASM_LAYER, tmp.resolve("nope.wasm"), Map.of()));
        assertEquals(ErrorKind.NOT_FOUND, missing.kind());
        Qmt4jException empty = assertThrows(Qmt4jException.class,
                () -> ImagePackager.pushNativeIndex(null, Map.of(), Optional.empty(), "t", Map.of()));
        assertEquals(ErrorKind.USAGE, empty.kind());
    }

    @Test
    void nativeConfigNamesPlatformAndRootfs() {
        String json = new String(ManifestCodec.imageConfig(Platform.parse("linux/arm64/v8"), Digest.sha256(new byte[0])),
                StandardCharsets.UTF_8);
        assertEquals("{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + Digest.sha256(new byte[0]) + "\"]}}", json);
    }
}
