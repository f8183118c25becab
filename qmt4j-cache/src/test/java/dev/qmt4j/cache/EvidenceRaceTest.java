package dev.qmt4j.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.Digest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several pulls verifying the same plugin at once all store its evidence: every store must succeed,
 * and a reader must only ever see complete evidence from one writer.
 */
class EvidenceRaceTest {
    private static final Digest TOP = Digest.sha256("the same plugin".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    static String summary(String writer) {
        return "verified by " + writer;
    }

    @Test
    void manyThreadsStoringEvidenceForOneDigestAllSucceed() throws Exception {
        PluginCache cache = PluginCache.open(dir);
        int writers = 8;
        int rounds = 150;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> torn = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String writer = "thread-" + w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        cache.putEvidence(TOP, summary(writer), Map.of("bundle.json", writer.getBytes(StandardCharsets.UTF_8)));
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                start.await();
                while (writing.get()) {
                    Optional<Map<String, byte[]>> seen = cache.readEvidence(TOP).map(StoredEvidence::files);
                    if (seen.isPresent() && !seen.get().containsKey("bundle.json")) {
                        torn.add(seen.get().keySet().toString());
                    }
                }
                return null;
            });
            start.countDown();
            for (Future<?> f : done) {
                f.get(); // rethrows a writer's failure, such as "Directory not empty"
            }
            writing.set(false);
            reader.get();
        } finally {
            pool.shutdownNow();
        }
        assertTrue(torn.isEmpty(), "a reader saw evidence without its files: " + torn);
        assertConsistent();
    }

    @Test
    void severalProcessesStoringEvidenceForOneDigestAllSucceed() throws Exception {
        List<Process> children = new ArrayList<>();
        PluginCache.open(dir).putEvidence(TOP, summary("parent"), Map.of("bundle.json", "parent".getBytes(StandardCharsets.UTF_8)));
        for (int c = 0; c < 3; c++) {
            children.add(child("process-" + c, 300));
        }
        children.add(child(EvidenceChild.READER, 3000));
        for (Process p : children) {
            assertEquals("ready", firstLine(p));
        }
        for (Process p : children) {
            p.getOutputStream().write('\n');
            p.getOutputStream().flush();
        }
        for (Process p : children) {
            int code = p.waitFor();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, code, "child failed: " + err);
        }
        assertConsistent();
    }

    /** The evidence left in place is one writer's complete set: its summary and its bundle agree. */
    private void assertConsistent() throws IOException {
        PluginCache cache = PluginCache.open(dir);
        assertTrue(cache.hasEvidence(TOP));
        byte[] bundle = cache.readEvidence(TOP).orElseThrow().files().get("bundle.json");
        String writer = new String(bundle, StandardCharsets.UTF_8);
        Path stored = dir.resolve("evidence").resolve(TOP.algorithm()).resolve(TOP.hex());
        assertEquals(summary(writer), Files.readString(stored.resolve(EvidenceStore.SUMMARY)));
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.filter(Files::isDirectory).toList(), "no staging left behind");
        }
    }

    private Process child(String writer, int rounds) throws IOException {
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), EvidenceChild.class.getName(),
                dir.toString(), TOP.toString(), writer, Integer.toString(rounds))).start();
    }

    private static String firstLine(Process p) throws IOException {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
}
