package dev.qmt4j.oci.layout;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.ManifestCodec;
import dev.qmt4j.oci.MediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {
    @TempDir
    Path tmp;

    private LayoutRef ref(String suffix) {
        return (LayoutRef) ImageRef.parse("oci-layout://" + tmp.resolve("layout") + suffix);
    }

    private static byte[] manifestBytes(String marker) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"x\","
                + "\"digest\":\"" + Digest.sha256(marker.getBytes(UTF_8)) + "\",\"size\":1},\"layers\":[]}").getBytes(UTF_8);
    }

    private ImageIndex indexJson() throws IOException {
        return (ImageIndex) ManifestCodec.parse(Files.readAllBytes(tmp.resolve("layout/index.json")), null, null);
    }

    @Test
    void targetCreatesLayoutFiles() throws IOException {
        try (OciLayoutTarget target = new OciLayoutTarget(ref(""))) {
            assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(tmp.resolve("layout/oci-layout")));
            assertEquals(List.of(), indexJson().manifests());
            assertFalse(target.hasBlob(Digest.sha256(new byte[0])));
        }
    }

    @Test
    void resolvesByTagDigestOrSingleEntry() {
        byte[] a = manifestBytes("a");
        byte[] b = manifestBytes("b");
        Digest da;
        try (OciLayoutTarget target = new OciLayoutTarget(ref(""))) {
            da = target.pushManifest(a, MediaTypes.OCI_MANIFEST, "one");
            assertEquals(Digest.sha256(a), da);
        }
        try (OciLayoutSource single = new OciLayoutSource(ref(""))) {
            ManifestBlob blob = single.resolve();
            assertEquals(da, blob.digest());
            assertArrayEquals(a, blob.bytes());
            assertEquals(MediaTypes.OCI_MANIFEST, blob.mediaType());
            assertEquals(Optional.of(da), single.peekDigest());
        }
        try (OciLayoutTarget target = new OciLayoutTarget(ref(""))) {
            target.pushManifest(b, MediaTypes.OCI_MANIFEST, "two");
        }
        assertEquals(da, new OciLayoutSource(ref(":one")).resolve().digest());
        assertEquals(Digest.sha256(b), new OciLayoutSource(ref(":two")).resolve().digest());
        assertEquals(da, new OciLayoutSource(ref("@" + da)).resolve().digest());

        Qmt4jException ambiguous = assertThrows(Qmt4jException.class, () -> new OciLayoutSource(ref("")).resolve());
        assertEquals(ErrorKind.NOT_FOUND, ambiguous.kind());
        assertTrue(ambiguous.hint().contains("one, two"), ambiguous.hint());

        Qmt4jException missingTag = assertThrows(Qmt4jException.class, () -> new OciLayoutSource(ref(":three")).resolve());
        assertEquals(ErrorKind.NOT_FOUND, missingTag.kind());
    }

    @Test
    void pushingATagAgainReplacesItsEntry() throws IOException {
        try (OciLayoutTarget target = new OciLayoutTarget(ref(""))) {
            target.pushManifest(manifestBytes("a"), MediaTypes.OCI_MANIFEST, "latest");
            Digest second = target.pushManifest(manifestBytes("b"), MediaTypes.OCI_MANIFEST, "latest");
            target.pushManifest(manifestBytes("c"), MediaTypes.OCI_MANIFEST, null);
            List<Descriptor> entries = indexJson().manifests();
            assertEquals(1, entries.size());
            assertEquals(second, entries.get(0).digest());
            assertEquals("latest", entries.get(0).annotations().get("org.opencontainers.image.ref.name"));
            assertTrue(target.hasBlob(Digest.sha256(manifestBytes("c"))), "untagged manifest is stored as a blob");
        }
    }

    @Test
    void missingLayoutIsNotFoundWithHint() throws IOException {
        Qmt4jException noDir = assertThrows(Qmt4jException.class, () -> new OciLayoutSource(ref("")));
        assertEquals(ErrorKind.NOT_FOUND, noDir.kind());
        assertTrue(noDir.hint() != null);
        Files.createDirectories(tmp.resolve("layout"));
        Qmt4jException noIndex = assertThrows(Qmt4jException.class, () -> new OciLayoutSource(ref("")));
        assertEquals(ErrorKind.NOT_FOUND, noIndex.kind());
        assertTrue(noIndex.getMessage().contains("index.json"), noIndex.getMessage());
    }

    @Test
    void blobsAreCopiedAndChecked() throws IOException {
        Path content = Files.write(tmp.resolve("content"), "hello plugin".getBytes(UTF_8));
        Descriptor d = Descriptor.of("application/octet-stream", Digest.sha256(content), Files.size(content));
        try (OciLayoutTarget target = new OciLayoutTarget(ref(""))) {
            target.pushBlob(d, content);
            assertTrue(target.hasBlob(d.digest()));
            target.pushManifest(manifestBytes("a"), MediaTypes.OCI_MANIFEST, "x");
        }
        List<Long> progress = new ArrayList<>();
        Path out = tmp.resolve("out");
        try (OciLayoutSource source = new OciLayoutSource(ref(":x"))) {
            source.fetchBlob(d, out, (done, total) -> progress.add(done));
        }
        assertEquals("hello plugin", Files.readString(out));
        assertEquals(d.size(), progress.get(progress.size() - 1));

        // tamper with the stored blob: same size, different bytes
        Path stored = tmp.resolve("layout/blobs/sha256/" + d.digest().hex());
        Files.writeString(stored, "HELLO PLUGIN");
        Path out2 = tmp.resolve("out2");
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> new OciLayoutSource(ref(":x")).fetchBlob(d, out2, (x, y) -> {}));
        assertEquals(ErrorKind.INTEGRITY, e.kind());
        assertFalse(Files.exists(out2));
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".partial-")), "no temp file left");
        }
    }

    @Test
    void wrongSizeIsIntegrityError() throws IOException {
        Path content = Files.write(tmp.resolve("content"), "12345".getBytes(UTF_8));
        Descriptor lying = Descriptor.of("application/octet-stream", Digest.sha256(content), 4);
        try (OciLayoutTarget target = new OciLayoutTarget(ref(""))) {
            Qmt4jException e = assertThrows(Qmt4jException.class, () -> target.pushBlob(lying, content));
            assertEquals(ErrorKind.INTEGRITY, e.kind());
            assertFalse(target.hasBlob(lying.digest()));
            Descriptor wrongDigest = Descriptor.of("x", Digest.sha256(new byte[] {1}), 5);
            assertThrows(Qmt4jException.class, () -> target.pushBlob(wrongDigest, content));
            assertFalse(target.hasBlob(wrongDigest.digest()));
        }
    }

    @Test
    void tamperedManifestIsIntegrityError() throws IOException {
        Digest d;
        try (OciLayoutTarget target = new OciLayoutTarget(ref(""))) {
            d = target.pushManifest(manifestBytes("a"), MediaTypes.OCI_MANIFEST, "x");
        }
        Files.write(tmp.resolve("layout/blobs/sha256/" + d.hex()), manifestBytes("z"));
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> new OciLayoutSource(ref(":x")).resolve());
        assertEquals(ErrorKind.INTEGRITY, e.kind());
        Qmt4jException missing = assertThrows(Qmt4jException.class,
                () -> new OciLayoutSource(ref(":x")).manifest(Digest.sha256(new byte[] {9})));
        assertEquals(ErrorKind.NOT_FOUND, missing.kind());
    }
}
