package dev.qmt4j.pull;

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
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginType;
import dev.qmt4j.oci.VerificationEvidence;
import dev.qmt4j.oci.layout.OciLayoutSource;
import dev.qmt4j.oci.layout.OciLayoutTarget;
import dev.qmt4j.pull.extract.Tars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull pipeline end to end against real OCI image layouts written by {@link ImagePackager}. */
class LayoutPullTest {
    private static final Platform LINUX_AMD64 = Platform.parse("linux/amd64");
    private static final Platform LINUX_ARM64 = Platform.parse("linux/arm64");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;

    private Path layout;
    private Path cacheDir;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger blobs = new AtomicInteger();
    private final List<String> verified = new ArrayList<>();
    private Instant now = T0;

    @BeforeEach
    void setUp() {
        layout = tmp.resolve("layout");
        cacheDir = tmp.resolve("cache");
    }

    // ------------------------------------------------------------------ types and platforms

    @Test
    void wasmManifestPullsToPluginWasmWhoseHashIsTheLayerDigest() throws IOException {
        Path wasm = write("echo.wasm", "\0asm echo");
        Digest top = ImagePackager.pushWasm(target("1.0"), wasm, "1.0", Map.of());
        Recorder events = new Recorder();

        PullResult r = puller().pull(request("1.0"), events);

        assertEquals(PluginType.WASM, r.type());
        assertEquals(top, r.digest());
        assertEquals("plugin.wasm", r.path().getFileName().toString());
        assertEquals(r.layerDigest(), Digest.sha256(Files.readAllBytes(r.path())));
        assertEquals(Digest.sha256(Files.readAllBytes(wasm)), r.layerDigest());
        assertFalse(r.cached());
        assertEquals(List.of("Resolving", "VerifyingSignature", "Downloading", "Extracting", "Persisting", "Completed"),
                events.phases());
        assertEquals(List.of(top.toString()), verified);
    }

    @Test
    void nativeIndexPicksTheHostEntryAndPlatformOverridePicksAnother() throws IOException {
        pushNativeIndex("1.0");

        PullResult host = puller().pull(request("1.0"), PullListener.NONE);
        assertEquals(PluginType.NATIVE, host.type());
        assertEquals("amd64 library", Files.readString(host.path()));
        assertEquals("libecho.so", host.path().getFileName().toString());
        assertEquals(Optional.of(LINUX_AMD64), host.platform());

        PullResult arm = puller().pull(withPlatform(request("1.0"), LINUX_ARM64), PullListener.NONE);
        assertEquals("arm64 library", Files.readString(arm.path()));
        assertEquals(host.digest(), arm.digest());

        PullResult wasi = puller().pull(withPlatform(request("1.0"), Platform.WASI_WASM), PullListener.NONE);
        assertEquals(PluginType.WASM, wasi.type());
    }

    @Test
    void hostWithoutANativeEntryFallsBackToWasi() throws IOException {
        pushNativeIndex("1.0");
        PullResult r = puller(Platform.parse("darwin/arm64"), RefreshPolicy.DEFAULT).pull(request("1.0"), PullListener.NONE);
        assertEquals(PluginType.WASM, r.type());
        assertEquals("\0asm fallback", Files.readString(r.path()));
    }

    @Test
    void missingPlatformFailsListingTheOfferedOnes() throws IOException {
        ImagePackager.pushNativeIndex(target("1.0"), Map.of(LINUX_AMD64, write("a/libecho.so", "a"),
                LINUX_ARM64, write("b/libecho.so", "b")), Optional.empty(), "1.0", Map.of());
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> puller().pull(withPlatform(request("1.0"), Platform.parse("windows/amd64")), PullListener.NONE));
        assertEquals(ErrorKind.PLATFORM, e.kind());
        assertTrue(e.getMessage().contains("linux/arm64"), e.getMessage());
    }

    @Test
    void configuredWasmFileNameIsUsedAndValidated() throws IOException {
        ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm"), "1.0", Map.of());
        PullRequest named = new PullRequest(ref("1.0"), Optional.empty(), Optional.of("echo.wasm"), false, false);
        assertEquals("echo.wasm", puller().pull(named, PullListener.NONE).path().getFileName().toString());

        PullRequest evil = new PullRequest(ref("1.0"), Optional.empty(), Optional.of("../echo.wasm"), false, false);
        assertEquals(ErrorKind.USAGE, assertThrows(Qmt4jException.class, () -> puller().pull(evil, PullListener.NONE)).kind());
    }

    @Test
    void nativeLayerKeepsCompanionsAndAConfiguredNamePicksTheFile() throws IOException {
        Path layer = tmp.resolve("src/native.tgz");
        Files.createDirectories(layer.getParent());
        try (Tars t = Tars.gzip(layer)) {
            t.dir("lib").file("lib/libecho.so", "ELF echo").file("lib/libhelper.so", "ELF helper").file("data.json", "{}");
        }
        ImagePackager.manifest()
                .layer(MediaTypes.OCI_LAYER_TAR_GZIP, layer, Map.of())
                .annotation(MediaTypes.ANNOTATION_PLUGIN_TYPE, "native")
                .push(target("1.0"), "1.0");

        PullRequest echo = new PullRequest(ref("1.0"), Optional.empty(), Optional.of("libecho.so"), false, false);
        PullResult r = puller().pull(echo, PullListener.NONE);
        assertEquals(PluginType.NATIVE, r.type());
        assertEquals("ELF echo", Files.readString(r.path()));
        assertEquals("{}", Files.readString(r.path().getParent().getParent().resolve("data.json")));
        assertEquals(Digest.sha256(Files.readAllBytes(layer)), r.layerDigest());

        // Same layer, other file: served from the same entry without downloading again.
        PullRequest helper = new PullRequest(ref("1.0"), Optional.empty(), Optional.of("libhelper.so"), false, false);
        PullResult h = puller().pull(helper, PullListener.NONE);
        assertEquals("ELF helper", Files.readString(h.path()));
        assertEquals(1, blobs.get());

        Qmt4jException e = assertThrows(Qmt4jException.class, () -> puller().pull(request("1.0"), PullListener.NONE));
        assertEquals(ErrorKind.EXTRACTION, e.kind(), "two libraries and no configured name");
    }

    // ------------------------------------------------------------------ signature seam

    @Test
    void defaultVerifierRefusesBeforeAnyBlobIsFetched() throws IOException {
        ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm"), "1.0", Map.of());
        PluginPuller puller = PluginPuller.builder().cache(PluginCache.open(cacheDir)).sources(this::open)
                .hostPlatform(LINUX_AMD64).build();
        Recorder events = new Recorder();

        Qmt4jException e = assertThrows(Qmt4jException.class, () -> puller.pull(request("1.0"), events));

        assertEquals(ErrorKind.VERIFICATION, e.kind());
        assertTrue(e.getMessage().contains("signature verification is not implemented"), e.getMessage());
        assertTrue(e.hint().contains("--insecure-skip-signature"), e.hint());
        assertEquals(0, blobs.get());
        assertEquals(List.of("Resolving", "VerifyingSignature", "Failed"), events.phases());
        assertEquals(List.of(), entries());
    }

    @Test
    void skippingVerificationWarnsAndIsNotRememberedAsVerified() throws IOException {
        ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm"), "1.0", Map.of());
        PullRequest insecure = new PullRequest(ref("1.0"), Optional.empty(), Optional.empty(), false, true);

        PullResult r = puller().pull(insecure, PullListener.NONE);
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("signature verification skipped")), r.warnings().toString());
        assertEquals(List.of(), verified);

        // A later secure pull must not take the unverified copy from the cache.
        PullResult secure = puller().pull(request("1.0"), PullListener.NONE);
        assertEquals(1, verified.size());
        assertTrue(secure.cached(), "the entry itself is reused once the digest is verified");
    }

    /** The test verifier's signer; its fields carry the summary text's labels, which must not matter. */
    private static final dev.qmt4j.oci.Signer TEST_SIGNER =
            new dev.qmt4j.oci.Signer.Keyless("ci@example.com issuer=x", Optional.of("https://issuer.example, Rekor log index 1"));

    @Test
    void theVerifiersSummaryComesBackFromTheVerifierAndThenFromTheCache() throws IOException {
        ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm"), "1.0", Map.of());

        PullResult fresh = puller().pull(request("1.0"), PullListener.NONE);
        assertEquals(Optional.of("accepted by test"), fresh.verification());
        assertEquals(Optional.of(TEST_SIGNER), fresh.signer());

        PullResult hit = puller().pull(request("1.0"), PullListener.NONE);
        assertTrue(hit.cached());
        assertEquals(1, verified.size(), "a cache hit is not verified again");
        assertEquals(Optional.of("accepted by test"), hit.verification(), "read back with the stored evidence");
        assertEquals(Optional.of(TEST_SIGNER), hit.signer(), "the structured signer stored with the evidence");

        PullResult insecure = puller().pull(new PullRequest(ref("1.0"), Optional.empty(), Optional.empty(), false, true),
                PullListener.NONE);
        assertEquals(Optional.empty(), insecure.verification(), "nothing verified, no summary");
        assertEquals(Optional.empty(), insecure.signer(), "nothing verified, no signer");
    }

    // ------------------------------------------------------------------ cache behaviour

    @Test
    void freshTagIsServedFromTheCacheWithoutOpeningTheSource() throws IOException {
        ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm"), "1.0", Map.of());
        PullResult first = puller().pull(request("1.0"), PullListener.NONE);
        int openedAfterFirst = opened.get();

        now = T0.plus(Duration.ofMinutes(59));
        Recorder events = new Recorder();
        PullResult second = puller().pull(request("1.0"), events);

        assertEquals(openedAfterFirst, opened.get());
        assertTrue(second.cached());
        assertEquals(first.path(), second.path());
        assertEquals(List.of("Resolving", "Completed"), events.phases());
    }

    @Test
    void staleTagIsRecheckedAndAMovedTagIsFollowed() throws IOException {
        ImagePackager.pushWasm(target("1.0"), write("v1.wasm", "\0asm v1"), "1.0", Map.of());
        puller().pull(request("1.0"), PullListener.NONE);
        ImagePackager.pushWasm(target("1.0"), write("v2.wasm", "\0asm v2"), "1.0", Map.of());

        now = T0.plus(Duration.ofMinutes(30));
        assertEquals("\0asm v1", Files.readString(puller().pull(request("1.0"), PullListener.NONE).path()), "still fresh");

        now = T0.plus(Duration.ofHours(2));
        PullResult moved = puller().pull(request("1.0"), PullListener.NONE);
        assertEquals("\0asm v2", Files.readString(moved.path()));
        assertFalse(moved.cached());
    }

    @Test
    void unchangedStaleTagIsConfirmedWithoutDownloadingAgain() throws IOException {
        ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm"), "1.0", Map.of());
        puller().pull(request("1.0"), PullListener.NONE);
        now = T0.plus(Duration.ofHours(5));

        PullResult r = puller(LINUX_AMD64, RefreshPolicy.parse("always")).pull(request("1.0"), PullListener.NONE);

        assertTrue(r.cached());
        assertEquals(1, blobs.get());
        assertEquals(now, PluginCache.open(cacheDir).findRef(ref("1.0")).orElseThrow().resolvedAt());
    }

    @Test
    void cachedDigestReferenceNeverOpensTheSource() throws IOException {
        Digest top = ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm"), "1.0", Map.of());
        ImageRef byDigest = new LayoutRef(layout, Optional.empty(), Optional.of(top));
        puller().pull(PullRequest.of(byDigest), PullListener.NONE);
        int openedBefore = opened.get();

        now = T0.plus(Duration.ofDays(400));
        PullResult again = puller().pull(PullRequest.of(byDigest), PullListener.NONE);

        assertEquals(openedBefore, opened.get());
        assertTrue(again.cached());
    }

    @Test
    void digestFirstSeenThroughATagIsServedOffline() throws IOException {
        Digest top = ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm"), "1.0", Map.of());
        puller().pull(request("1.0"), PullListener.NONE);
        int openedBefore = opened.get();

        PullResult r = puller().pull(PullRequest.of(new LayoutRef(layout, Optional.empty(), Optional.of(top))), PullListener.NONE);

        assertEquals(openedBefore, opened.get());
        assertTrue(r.cached());
    }

    @Test
    void damagedEntryIsReportedAndFetchedAgain() throws IOException {
        ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm good"), "1.0", Map.of());
        PullResult first = puller().pull(request("1.0"), PullListener.NONE);
        first.path().toFile().setWritable(true); // cached files are read-only (matters when not root)
        Files.writeString(first.path(), "\0asm evil");

        PullResult second = puller().pull(request("1.0"), PullListener.NONE);

        assertEquals("\0asm good", Files.readString(second.path()));
        assertFalse(second.cached());
        assertEquals(2, blobs.get());
        assertTrue(second.warnings().stream().anyMatch(w -> w.contains("damaged")), second.warnings().toString());
    }

    @Test
    void unreachableSourceFallsBackToTheLastResolvedDigestEvenWithForce() throws IOException {
        Digest top = ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm"), "1.0", Map.of());
        PullResult online = puller().pull(request("1.0"), PullListener.NONE);
        now = T0.plus(Duration.ofHours(3));
        PluginPuller offline = builder(LINUX_AMD64, RefreshPolicy.DEFAULT).sources(r -> {
            throw new Qmt4jException(ErrorKind.NETWORK, "connection refused");
        }).build();

        for (boolean force : new boolean[] {false, true}) {
            PullRequest req = new PullRequest(ref("1.0"), Optional.empty(), Optional.empty(), force, false);
            PullResult r = offline.pull(req, PullListener.NONE);
            assertTrue(r.offline());
            assertEquals(online.path(), r.path());
            assertEquals(1, r.warnings().size(), r.warnings().toString());
            assertTrue(r.warnings().get(0).contains("unreachable (connection refused); using cached " + top
                    + " resolved 3 h 0 min ago"), r.warnings().get(0));
        }
    }

    @Test
    void unreachableSourceWithNothingCachedFailsWithTheNetworkError() {
        PluginPuller offline = builder(LINUX_AMD64, RefreshPolicy.DEFAULT).sources(r -> {
            throw new Qmt4jException(ErrorKind.NETWORK, "connection refused");
        }).build();
        Recorder events = new Recorder();
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> offline.pull(request("1.0"), events));
        assertEquals(ErrorKind.NETWORK, e.kind());
        assertEquals(List.of("Resolving", "Failed"), events.phases());
    }

    @Test
    void corruptBlobInTheSourceFailsWithIntegrityAndLeavesNothing() throws IOException {
        Path wasm = write("echo.wasm", "\0asm original");
        ImagePackager.pushWasm(target("1.0"), wasm, "1.0", Map.of());
        Digest layer = Digest.sha256(Files.readAllBytes(wasm));
        Files.writeString(layout.resolve("blobs/sha256").resolve(layer.hex()), "\0asm tampered");

        Qmt4jException e = assertThrows(Qmt4jException.class, () -> puller().pull(request("1.0"), PullListener.NONE));

        assertEquals(ErrorKind.INTEGRITY, e.kind());
        assertEquals(List.of(), entries());
        assertEquals(List.of(), list(cacheDir.resolve("tmp")));
    }

    @Test
    void forceDownloadsAgainAndReplacesTheEntry() throws IOException {
        ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm"), "1.0", Map.of());
        puller().pull(request("1.0"), PullListener.NONE);
        PullResult forced = puller().pull(new PullRequest(ref("1.0"), Optional.empty(), Optional.empty(), true, false),
                PullListener.NONE);
        assertFalse(forced.cached());
        assertEquals(2, blobs.get());
        assertEquals(forced.layerDigest(), Digest.sha256(Files.readAllBytes(forced.path())));
        assertEquals(1, entries().size());
    }

    @Test
    void concurrentPullsOfOnePluginDownloadItOnce() throws Exception {
        ImagePackager.pushWasm(target("1.0"), write("echo.wasm", "\0asm shared"), "1.0", Map.of());
        List<PullResult> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PluginPuller own = puller(); // separate cache instances, like separate processes
            Thread t = new Thread(() -> {
                try {
                    results.add(own.pull(request("1.0"), PullListener.NONE));
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(4, results.size());
        assertEquals(1, blobs.get());
        assertEquals(1, results.stream().filter(r -> !r.cached()).count());
    }

    // ------------------------------------------------------------------ helpers

    private PluginPuller puller() {
        return puller(LINUX_AMD64, RefreshPolicy.DEFAULT);
    }

    private PluginPuller puller(Platform host, RefreshPolicy refresh) {
        return builder(host, refresh).build();
    }

    private PluginPuller.Builder builder(Platform host, RefreshPolicy refresh) {
        return PluginPuller.builder()
                .cache(PluginCache.open(cacheDir))
                .sources(this::open)
                .verifier((source, reference, digest) -> {
                    verified.add(digest.toString());
                    return new VerificationEvidence("accepted by test", Map.of(), Optional.of(TEST_SIGNER));
                })
                .refresh(refresh)
                .hostPlatform(host)
                .clock(new Clock() {
                    @Override
                    public ZoneOffset getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return now;
                    }
                });
    }

    private CountingSource open(ImageRef ref) {
        return new CountingSource(new OciLayoutSource((LayoutRef) ref), opened, blobs);
    }

    private OciLayoutTarget target(String tag) {
        return new OciLayoutTarget(new LayoutRef(layout, Optional.of(tag), Optional.empty()));
    }

    private LayoutRef ref(String tag) {
        return new LayoutRef(layout, Optional.of(tag), Optional.empty());
    }

    private PullRequest request(String tag) {
        return PullRequest.of(ref(tag));
    }

    private static PullRequest withPlatform(PullRequest r, Platform p) {
        return new PullRequest(r.reference(), Optional.of(p), r.fileName(), r.force(), r.insecureSkipSignature());
    }

    private void pushNativeIndex(String tag) throws IOException {
        Map<Platform, Path> libs = new LinkedHashMap<>();
        libs.put(LINUX_AMD64, write("amd64/libecho.so", "amd64 library"));
        libs.put(LINUX_ARM64, write("arm64/libecho.so", "arm64 library"));
        ImagePackager.pushNativeIndex(target(tag), libs, Optional.of(write("fallback.wasm", "\0asm fallback")), tag, Map.of());
    }

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve("src").resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, content.getBytes(StandardCharsets.UTF_8));
    }

    private List<Path> entries() throws IOException {
        Path e = cacheDir.resolve("entries");
        if (!Files.exists(e)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(e, 2)) {
            return s.filter(p -> e.relativize(p).getNameCount() == 2).toList();
        }
    }

    private static List<Path> list(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.toList();
        }
    }
}
