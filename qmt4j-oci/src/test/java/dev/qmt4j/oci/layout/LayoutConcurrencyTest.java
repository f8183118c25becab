package dev.qmt4j.oci.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.ManifestCodec;
import dev.qmt4j.oci.MediaTypes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** index.json updates from several processes and threads at once lose no tag and are never seen half-written. */
class LayoutConcurrencyTest {
    private static final int CHILDREN = 3;
    private static final int TAGS_EACH = 40;

    @TempDir
    Path tmp;

    @Test
    void concurrentPushesFromSeparateJvmsKeepEveryTag() throws Exception {
        Path layout = tmp.resolve("layout");
        Path go = tmp.resolve("go");
        List<Process> children = new ArrayList<>();
        for (int c = 0; c < CHILDREN; c++) {
            children.add(child("push", layout.toString(), "p" + c, String.valueOf(TAGS_EACH), go.toString()));
        }
        for (Process p : children) {
            assertEquals("ready", firstLine(p));
        }
        Files.createFile(go);
        // Read index.json while the children write it: every read must parse.
        int reads = 0;
        while (children.stream().anyMatch(Process::isAlive)) {
            try {
                parse(Files.readAllBytes(layout.resolve("index.json")));
                reads++;
            } catch (NoSuchFileException e) {
                // not created yet
            }
            Thread.sleep(1);
        }
        for (Process p : children) {
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "child failed: " + err);
        }
        assertTags(layout, CHILDREN, TAGS_EACH);
        assertTrue(reads > 0, "index.json was read while being written");
        assertTrue(Files.exists(layout.resolve(LayoutLock.FILE)), "the lock file stays; only its OS lock matters");
    }

    @Test
    void aLockLeftByAKilledProcessDoesNotBlock() throws Exception {
        Path layout = tmp.resolve("layout");
        Process holder = child("hold", layout.toString());
        try {
            assertEquals("locked", firstLine(holder));
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
        assertTrue(Files.exists(layout.resolve(LayoutLock.FILE)), "the killed process left its lock file");
        LayoutRef ref = (LayoutRef) ImageRef.parse("oci-layout://" + layout);
        try (OciLayoutTarget target = new OciLayoutTarget(ref)) {
            target.pushManifest(LayoutPushChild.manifestBytes("p0-0"), MediaTypes.OCI_MANIFEST, "p0-0");
        }
        assertTags(layout, 1, 1);
    }

    @Test
    void concurrentPushesFromThreadsWithTheirOwnTargetsKeepEveryTag() throws Exception {
        Path layout = tmp.resolve("layout");
        LayoutRef ref = (LayoutRef) ImageRef.parse("oci-layout://" + layout);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String prefix = "p" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        try (OciLayoutTarget target = new OciLayoutTarget(ref)) {
                            target.pushManifest(LayoutPushChild.manifestBytes(prefix + "-" + i), MediaTypes.OCI_MANIFEST,
                                    prefix + "-" + i);
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTags(layout, 4, 25);
    }

    private static void assertTags(Path layout, int prefixes, int each) throws IOException {
        ImageIndex index = parse(Files.readAllBytes(layout.resolve("index.json")));
        Map<String, Digest> tags = new HashMap<>();
        for (Descriptor d : index.manifests()) {
            tags.put(d.annotations().get(LayoutFiles.REF_NAME), d.digest());
        }
        assertEquals(prefixes * each, index.manifests().size(), "one entry per tag: " + tags.keySet());
        for (int c = 0; c < prefixes; c++) {
            for (int i = 0; i < each; i++) {
                String tag = "p" + c + "-" + i;
                assertEquals(Digest.sha256(LayoutPushChild.manifestBytes(tag)), tags.get(tag), "tag " + tag);
            }
        }
    }

    private static ImageIndex parse(byte[] bytes) {
        return (ImageIndex) ManifestCodec.parse(bytes, MediaTypes.OCI_INDEX, "index.json");
    }

    private static Process child(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LayoutPushChild.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static String firstLine(Process p) throws IOException {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
}
