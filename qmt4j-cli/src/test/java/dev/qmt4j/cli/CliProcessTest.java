package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.testkit.Fault;
import dev.qmt4j.testkit.FaultProxy;
import dev.qmt4j.testkit.RegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as real child processes: killed mid-download, and racing another process for the same
 * plugin. A fault proxy in front of the registry stalls the blob and counts downloads.
 */
class CliProcessTest {
    static RegistryServer registry;

    @TempDir
    Path tmp;

    FaultProxy proxy;
    final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void start() {
        registry = RegistryServer.start(RegistryServer.Auth.NONE);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Pushes a Wasm plugin of {@code size} bytes; returns the blob path fragment of its layer. */
    private String publish(Path wasm, String repo) throws IOException {
        Cli.Result push = new Cli(tmp.resolve("push-cache")).run("push", "oci://" + registry.host() + "/" + repo + ":1", "--wasm",
                wasm.toString());
        assertEquals(0, push.exitCode(), push::toString);
        return "/blobs/" + Fixtures.sha256(wasm);
    }

    private Process startPull(Path cache, String ref, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "pull", "--insecure-skip-signature", "--json", "--cache-dir", cache.toString(), ref)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("QMT4J_CACHE_DIR");
        Process p = pb.start();
        children.add(p);
        return p;
    }

    private static boolean hasPartialDownload(Path cache) throws IOException {
        Path tmpDir = cache.resolve("tmp");
        if (!Files.isDirectory(tmpDir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(tmpDir)) {
            return files.anyMatch(f -> Files.isRegularFile(f) && !f.toString().endsWith(".lock") && size(f) > 0);
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void killDuringDownloadLeavesNoEntryAndNextPullSucceeds() throws Exception {
        Path wasm = Fixtures.wasm(tmp, "big.wasm", 2 * 1024 * 1024, 3);
        String blob = publish(wasm, "proc/kill");
        proxy = FaultProxy.to(registry.host());
        Predicate<FaultProxy.Request> blobGet = FaultProxy.request("GET", blob);
        // Half the blob, then a byte every 50 ms: the download is still running when we kill it.
        proxy.inject(blobGet, Fault.stallAfter(1024 * 1024, 50), -1);
        String ref = "oci://" + proxy.host() + "/proc/kill:1";
        Path cache = tmp.resolve("cache");

        Process pull = startPull(cache, ref, tmp.resolve("kill.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(proxy.requestCount(blobGet) > 0 && hasPartialDownload(cache))) {
            assertTrue(pull.isAlive(), () -> "pull ended early: " + read(tmp.resolve("kill.log")));
            assertTrue(System.nanoTime() < deadline, "the download never started");
            Thread.sleep(20);
        }
        pull.destroyForcibly();
        pull.waitFor(30, TimeUnit.SECONDS);

        Cli cli = new Cli(cache);
        assertEquals("[]", cli.run("cache", "ls", "--json").out().strip(), "a killed pull left a visible entry");
        try (Stream<Path> entries = Files.list(cache.resolve("entries"))) {
            assertEquals(0, entries.count(), "a killed pull left a committed entry");
        }

        proxy.clearFaults();
        Cli.Result again = cli.run("pull", "--insecure-skip-signature", "--json", ref);
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("\"cached\": false"), again.out());
        String path = again.out().replaceAll("(?s).*\"path\": \"([^\"]+)\".*", "$1");
        assertEquals(Fixtures.sha256(wasm), Fixtures.sha256(Path.of(path)));
    }

    @Test
    void twoProcessesPullingTheSamePluginDownloadItOnce() throws Exception {
        Path wasm = Fixtures.wasm(tmp, "shared.wasm", 16 * 1024, 5);
        String blob = publish(wasm, "proc/race");
        proxy = FaultProxy.to(registry.host());
        Predicate<FaultProxy.Request> blobGet = FaultProxy.request("GET", blob);
        // Slow the (single) download's tail so the second process arrives while it is in flight.
        proxy.inject(blobGet, Fault.stallAfter(16 * 1024 - 300, 5), 1);
        String ref = "oci://" + proxy.host() + "/proc/race:1";
        Path cache = tmp.resolve("cache");

        Process a = startPull(cache, ref, tmp.resolve("a.log"));
        Process b = startPull(cache, ref, tmp.resolve("b.log"));
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS), "pulls did not finish");
        String outA = read(tmp.resolve("a.log"));
        String outB = read(tmp.resolve("b.log"));
        assertEquals(0, a.exitValue(), outA);
        assertEquals(0, b.exitValue(), outB);

        String pathA = outA.replaceAll("(?s).*\"path\": \"([^\"]+)\".*", "$1");
        String pathB = outB.replaceAll("(?s).*\"path\": \"([^\"]+)\".*", "$1");
        assertEquals(pathA, pathB);
        assertEquals(Fixtures.sha256(wasm), Fixtures.sha256(Path.of(pathA)));
        assertEquals(1, proxy.requestCount(blobGet), "the blob was downloaded more than once");
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
