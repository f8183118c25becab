package dev.qmt4j.oci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestCodecTest {
    private static final String D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private static final String D2 = "sha256:" + "22".repeat(32);

    private static Manifest parse(String json, String contentType) {
        return ManifestCodec.parse(json.getBytes(UTF_8), contentType, "test");
    }

    private static Qmt4jException failure(String json) {
        return assertThrows(Qmt4jException.class, () -> parse(json, null));
    }

    @Test
    void parsesOciIndexWithPlatforms() {
        ImageIndex index = assertInstanceOf(ImageIndex.class, parse("""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
                 "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":7,
                   "platform":{"os":"linux","architecture":"arm64","variant":"v8"},"annotations":{"k":"v"}}],
                 "annotations":{"a":"b"}}""".formatted(D1), null));
        Descriptor child = index.manifests().get(0);
        assertEquals(Digest.parse(D1), child.digest());
        assertEquals(7, child.size());
        assertEquals(Optional.of(Platform.parse("linux/arm64/v8")), child.platform());
        assertEquals(Map.of("k", "v"), child.annotations());
        assertEquals(Map.of("a", "b"), index.annotations());
    }

    @Test
    void parsesDockerSchema2AndList() {
        Manifest list = parse("""
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
                 "manifests":[]}""", null);
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, assertInstanceOf(ImageIndex.class, list).mediaType());
        ImageManifest m = assertInstanceOf(ImageManifest.class, parse("""
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"%s","size":2},
                 "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"%s","size":9}]}"""
                .formatted(D1, D2), null));
        assertEquals(MediaTypes.DOCKER_LAYER_TAR_GZIP, m.layers().get(0).mediaType());
    }

    @Test
    void kindFromContentTypeThenShape() {
        String body = """
                {"schemaVersion":2,"config":{"mediaType":"x","digest":"%s","size":2},"layers":[]}""".formatted(D1);
        assertEquals(MediaTypes.DOCKER_MANIFEST,
                parse(body, MediaTypes.DOCKER_MANIFEST + "; charset=utf-8").mediaType());
        assertEquals(MediaTypes.OCI_MANIFEST, assertInstanceOf(ImageManifest.class, parse(body, null)).mediaType());
        assertInstanceOf(ImageIndex.class, parse("{\"schemaVersion\":2,\"manifests\":[]}", null));
    }

    @Test
    void artifactTypeAndSubject() {
        ImageManifest m = assertInstanceOf(ImageManifest.class, parse("""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "artifactType":"application/vnd.wasm.v1.layer+wasm",
                 "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2},
                 "layers":[], "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":3}}"""
                .formatted(D1, D2), null));
        assertEquals(Optional.of("application/vnd.wasm.v1.layer+wasm"), m.artifactType());
        assertEquals(Digest.parse(D2), m.subject().orElseThrow().digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json", "[]", "{\"schemaVersion\":2}", "{\"schemaVersion\":3,\"manifests\":[]}",
            "{\"manifests\":[{\"mediaType\":\"x\",\"size\":1}]}",
            "{\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:abc\",\"size\":1}]}",
            "{\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\"}]}",
            "{\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":-1}]}",
            "{\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":\"1\"}]}",
            "{\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1.5}]}",
            "{\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1,\"platform\":{\"os\":\"linux\"}}]}",
            "{\"manifests\":[], \"manifests\":[]}",
            "{\"manifests\":[]} trailing",
            "{\"mediaType\":\"application/x-unknown\",\"manifests\":[]}",
            "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}",
            "{\"annotations\":{\"a\":1},\"manifests\":[]}",
    })
    void malformedIsIntegrityError(String json) {
        Qmt4jException e = failure(json);
        assertEquals(ErrorKind.INTEGRITY, e.kind());
        assertTrue(e.getMessage().startsWith("malformed manifest from test: "), e.getMessage());
    }

    @Test
    void negativeSizeIsNamed() {
        Qmt4jException e = failure("{\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":-5}]}");
        assertTrue(e.getMessage().contains("manifests[0] has a negative size -5"), e.getMessage());
    }

    @Test
    void schema1IsRejectedWithHint() {
        Qmt4jException e = failure("{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}");
        assertEquals(ErrorKind.INTEGRITY, e.kind());
        assertTrue(e.getMessage().contains("schema 1"), e.getMessage());
        assertNotNull(e.hint());
    }

    @Test
    void writeIsDeterministicAndRoundTrips() {
        Descriptor config = Descriptor.of(MediaTypes.WASM_CONFIG, Digest.parse(D1), 2);
        Descriptor layer = new Descriptor(MediaTypes.WASM_LAYER, Digest.parse(D2), 10,
                Map.of(MediaTypes.ANNOTATION_TITLE, "plugin.wasm"), Optional.empty(), Optional.empty());
        ImageManifest m = new ImageManifest(MediaTypes.OCI_MANIFEST, Optional.empty(), config, List.of(layer),
                Map.of("z", "1", "a", "2"), Optional.empty());
        byte[] bytes = ManifestCodec.write(m);
        assertArrayEquals(bytes, ManifestCodec.write(m));
        assertEquals(m, ManifestCodec.parse(bytes, null, null));
        String json = new String(bytes, UTF_8);
        assertTrue(json.startsWith("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"), json);
        assertTrue(json.indexOf("\"a\":\"2\"") < json.indexOf("\"z\":\"1\""), "annotations sorted: " + json);

        ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, Optional.empty(), List.of(new Descriptor(
                MediaTypes.OCI_MANIFEST, Digest.parse(D1), 5, Map.of(), Optional.of(Platform.parse("linux/arm64/v8")),
                Optional.empty())), Map.of());
        assertEquals(index, ManifestCodec.parse(ManifestCodec.write(index), null, null));
    }
}
