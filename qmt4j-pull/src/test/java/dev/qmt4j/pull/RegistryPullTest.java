package dev.qmt4j.pull;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSources;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginType;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.testkit.Fault;
import dev.qmt4j.testkit.FaultProxy;
import dev.qmt4j.testkit.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pull pipeline against a real registry (CNCF Distribution on 127.0.0.1), with a fault proxy
 * in between for the failure cases. Fixtures are published once with {@link ImagePackager}.
 */
class RegistryPullTest {
    private static final Platform LINUX_AMD64 = Platform.parse("linux/amd64");
    private static final Platform LINUX_ARM64 = Platform.parse("linux/arm64");

    @TempDir
    static Path fixtures;

    private static RegistryServer registry;
    private static byte[] wasm;
    private static byte[] amd64;
    private static byte[] arm64;

    @TempDir
    Path tmp;

    private FaultProxy proxy;
    private RegistryClient client;
    private Path cacheDir;

    @BeforeAll
    static void publish() throws IOException {
        registry = RegistryServer.start(RegistryServer.Auth.NONE);
        wasm = random(200_000, 1);
        amd64 = random(50_000, 2);
        arm64 = random(50_000, 3);
        Path wasmFile = Files.write(fixtures.resolve("plugin.wasm"), wasm);
        Path amd64File = Files.write(Files.createDirectories(fixtures.resolve("amd64")).resolve("libecho.so"), amd64);
        Path arm64File = Files.write(Files.createDirectories(fixtures.resolve("arm64")).resolve("libecho.so"), arm64);
        RegistryClient direct = new RegistryClient(options().build());
        try (ImageTarget t = target(direct, "plugins/wasm:1")) {
            ImagePackager.pushWasm(t, wasmFile, "1", Map.of());
        }
        try (ImageTarget t = target(direct, "plugins/native:1")) {
            ImagePackager.pushNativeIndex(t, Map.of(LINUX_AMD64, amd64File, LINUX_ARM64, arm64File),
                    Optional.of(wasmFile), "1", Map.of());
        }
        try (ImageTarget t = target(direct, "plugins/wasi-only:1")) {
            ImagePackager.pushNativeIndex(t, Map.of(), Optional.of(wasmFile), "1", Map.of());
        }
        try (ImageTarget t = target(direct, "plugins/annotated:1")) {
            ImagePackager.annotationOnlyManifest(wasmFile, "extism").push(t, "1");
        }
        try (ImageTarget t = target(direct, "plugins/artifact:1")) {
            ImagePackager.wasmArtifactManifest(wasmFile).push(t, "1");
        }
        try (ImageTarget t = target(direct, "plugins/docker:1")) {
            ImagePackager.pushDockerManifestList(t, Map.of(LINUX_AMD64, amd64File, LINUX_ARM64, arm64File), "1");
        }
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.to(registry.host());
        client = new RegistryClient(options().build());
        cacheDir = tmp.resolve("cache");
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    // ------------------------------------------------------------------ fixtures

    @Test
    void everyFixturePullsToTheRightTypeWithTheRightBytes() throws IOException {
        record Case(String repo, PluginType type, byte[] content) {}
        for (Case c : List.of(new Case("plugins/wasm", PluginType.WASM, wasm),
                new Case("plugins/native", PluginType.NATIVE, amd64),
                new Case("plugins/wasi-only", PluginType.WASM, wasm),
                new Case("plugins/annotated", PluginType.WASM, wasm),
                new Case("plugins/artifact", PluginType.WASM, wasm),
                new Case("plugins/docker", PluginType.NATIVE, amd64))) {
            PullResult r = puller(RefreshPolicy.DEFAULT).pull(request(c.repo() + ":1"), PullListener.NONE);
            assertEquals(c.type(), r.type(), c.repo());
            assertArrayEquals(c.content(), Files.readAllBytes(r.path()), c.repo());
            if (c.type() == PluginType.WASM) {
                assertEquals(r.layerDigest(), Digest.sha256(Files.readAllBytes(r.path())), c.repo());
            }
        }
    }

    @Test
    void platformOverridePicksTheMatchingIndexEntry() throws IOException {
        PullRequest arm = new PullRequest(ref("plugins/native:1"), Optional.of(LINUX_ARM64), Optional.empty(), false, true);
        PullResult r = puller(RefreshPolicy.DEFAULT).pull(arm, PullListener.NONE);
        assertArrayEquals(arm64, Files.readAllBytes(r.path()));
        assertEquals(Optional.of(LINUX_ARM64), r.platform());
    }

    // ------------------------------------------------------------------ offline

    @Test
    void registryDownServesTheCachedTagOfflineWithAWarningAlsoWithForce() throws IOException {
        PullResult online = puller(RefreshPolicy.DEFAULT).pull(request("plugins/wasm:1"), PullListener.NONE);
        proxy.down();

        for (boolean force : new boolean[] {false, true}) {
            PullRequest req = new PullRequest(ref("plugins/wasm:1"), Optional.empty(), Optional.empty(), force, true);
            PullResult r = puller(RefreshPolicy.parse("always")).pull(req, PullListener.NONE);
            assertTrue(r.offline());
            assertEquals(online.path(), r.path());
            assertArrayEquals(wasm, Files.readAllBytes(r.path()));
            assertTrue(r.warnings().get(0).startsWith("registry " + proxy.host() + " unreachable"), r.warnings().toString());
            assertTrue(r.warnings().get(0).contains("using cached " + online.digest()), r.warnings().toString());
        }
    }

    @Test
    void cachedDigestReferenceNeedsNoNetwork() throws IOException {
        PullResult first = puller(RefreshPolicy.DEFAULT).pull(request("plugins/native:1"), PullListener.NONE);
        RegistryRef byDigest = ref("plugins/native:1").withDigest(first.digest());
        PullRequest insecure = new PullRequest(byDigest, Optional.empty(), Optional.empty(), false, true);
        puller(RefreshPolicy.DEFAULT).pull(insecure, PullListener.NONE);
        proxy.down();
        proxy.resetCounts();

        PullResult r = puller(RefreshPolicy.parse("always")).pull(insecure, PullListener.NONE);

        assertTrue(r.cached());
        assertFalse(r.offline(), "a digest needs no registry, so nothing was unreachable");
        assertEquals(0, proxy.requests().size());
    }

    // ------------------------------------------------------------------ faults

    @Test
    void truncatedBlobIsAnIntegrityErrorAndLeavesNothing() throws IOException {
        proxy.inject(FaultProxy.path("/blobs/"), Fault.truncateAfter(1000), -1);
        assertIntegrityFailureLeavesNothing();
    }

    @Test
    void wrongBytesAreAnIntegrityErrorAndLeaveNothing() throws IOException {
        proxy.inject(FaultProxy.path("/blobs/"), Fault.flipByte(4242), -1);
        assertIntegrityFailureLeavesNothing();
    }

    @Test
    void tooManyRequestsIsRetried() throws IOException {
        proxy.inject(FaultProxy.path("/blobs/"), Fault.tooManyRequests(0), 1);
        PullResult r = puller(RefreshPolicy.DEFAULT).pull(request("plugins/wasm:1"), PullListener.NONE);
        assertArrayEquals(wasm, Files.readAllBytes(r.path()));
        assertEquals(2, proxy.requestCount(blobGet()));
    }

    @Test
    void connectionResetMidBlobIsRetried() throws IOException {
        proxy.inject(FaultProxy.path("/blobs/"), Fault.resetAfter(5000), 1);
        PullResult r = puller(RefreshPolicy.DEFAULT).pull(request("plugins/wasm:1"), PullListener.NONE);
        assertArrayEquals(wasm, Files.readAllBytes(r.path()));
        assertEquals(2, proxy.requestCount(blobGet()));
        assertTrue(proxy.requests().stream().filter(blobGet()).skip(1).allMatch(q -> q.header("Range").isPresent()),
                "the retry asks for the rest only");
    }

    @Test
    void aCutDownloadResumesAndReportsEachByteOnce() throws IOException {
        int k = 80_000;
        proxy.inject(blobGet(), Fault.truncateAfter(k), 1);
        Recorder events = new Recorder();

        PullResult r = puller(RefreshPolicy.DEFAULT).pull(request("plugins/wasm:1"), events);

        assertArrayEquals(wasm, Files.readAllBytes(r.path()));
        assertEquals(r.layerDigest(), Digest.sha256(Files.readAllBytes(r.path())));
        List<FaultProxy.Request> gets = proxy.requests().stream().filter(blobGet()).toList();
        assertEquals(2, gets.size());
        assertEquals(Optional.of("bytes=" + k + "-"), gets.get(1).header("Range"));
        assertEquals(wasm.length, proxy.bodyBytesSent(blobGet()), "k + (size - k) bytes, not k + size");
        List<Long> done = events.events.stream().filter(e -> e instanceof PullEvent.Downloading)
                .map(e -> ((PullEvent.Downloading) e).bytesDone()).toList();
        for (int i = 1; i < done.size(); i++) {
            assertTrue(done.get(i) >= done.get(i - 1), "progress went back: " + done);
        }
        assertEquals((long) wasm.length, done.get(done.size() - 1));
        assertTrue(done.contains((long) k), done.toString());
        assertEquals(List.of(), children(cacheDir.resolve("tmp")));
    }

    @Test
    void flippedBytesInAResumedDownloadAreAnIntegrityErrorAndLeaveNothing() throws IOException {
        proxy.inject(blobGet(), Fault.truncateAfter(80_000), 1);
        proxy.inject(blobGet(), Fault.flipByte(100), 1);
        assertIntegrityFailureLeavesNothing();
        assertEquals(Optional.of("bytes=80000-"), proxy.requests().stream().filter(blobGet()).toList().get(1).header("Range"));
    }

    @Test
    void twoThreadsPullingOnePluginDownloadItOnce() throws Exception {
        List<PullResult> results = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            PluginPuller own = puller(RefreshPolicy.DEFAULT);
            threads.add(new Thread(() -> {
                try {
                    results.add(own.pull(request("plugins/wasm:1"), PullListener.NONE));
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(2, results.size());
        assertEquals(1, proxy.requestCount(blobGet()));
        for (PullResult r : results) {
            assertArrayEquals(wasm, Files.readAllBytes(r.path()));
        }
    }

    // ------------------------------------------------------------------ helpers

    private void assertIntegrityFailureLeavesNothing() throws IOException {
        Recorder events = new Recorder();
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> puller(RefreshPolicy.DEFAULT).pull(request("plugins/wasm:1"), events));
        assertEquals(ErrorKind.INTEGRITY, e.kind(), e.getMessage());
        assertEquals("Failed", events.phases().get(events.phases().size() - 1));
        assertEquals(List.of(), children(cacheDir.resolve("entries/sha256")));
        assertEquals(List.of(), children(cacheDir.resolve("tmp")));
        assertEquals(Optional.empty(), PluginCache.open(cacheDir).findRef(ref("plugins/wasm:1")));
    }

    private PluginPuller puller(RefreshPolicy refresh) {
        return PluginPuller.builder()
                .cache(PluginCache.open(cacheDir))
                .sources(r -> ImageSources.open(r, client))
                .hostPlatform(LINUX_AMD64)
                .refresh(refresh)
                .build();
    }

    /** Through the proxy, signature check skipped (verification has its own tests). */
    private PullRequest request(String repoAndTag) {
        return new PullRequest(ref(repoAndTag), Optional.empty(), Optional.empty(), false, true);
    }

    private RegistryRef ref(String repoAndTag) {
        return (RegistryRef) ImageRef.parse("oci://" + proxy.host() + "/" + repoAndTag);
    }

    private static Predicate<FaultProxy.Request> blobGet() {
        return FaultProxy.request("GET", "/blobs/sha256:" + Digest.sha256(wasm).hex());
    }

    private static ImageTarget target(RegistryClient direct, String repoAndTag) {
        return direct.target((RegistryRef) ImageRef.parse("oci://" + registry.host() + "/" + repoAndTag));
    }

    private static RegistryOptions.Builder options() {
        return RegistryOptions.builder()
                .credentials(CredentialStore.anonymous())
                .proxySelector(null)
                .maxRetries(3)
                .backoffBase(Duration.ofMillis(1))
                .maxRetryAfter(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(20));
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<Path> children(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
