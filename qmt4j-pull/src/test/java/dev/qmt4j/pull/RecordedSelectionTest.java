package dev.qmt4j.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.cache.RefRecord;
import dev.qmt4j.cache.Selection;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginType;
import dev.qmt4j.oci.layout.OciLayoutSource;
import dev.qmt4j.oci.layout.OciLayoutTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The selection recorded in a reference record: a cache hit uses it instead of parsing manifests, and
 * anything about it that does not fit (another request, digests the cached manifests do not name, a
 * malformed record) makes the hit select afresh, with the same result.
 */
class RecordedSelectionTest {
    private static final Platform LINUX_AMD64 = Platform.parse("linux/amd64");
    private static final Platform LINUX_ARM64 = Platform.parse("linux/arm64");

    @TempDir
    Path tmp;

    private Path layout;
    private Path cacheDir;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger blobs = new AtomicInteger();

    @BeforeEach
    void setUp() {
        layout = tmp.resolve("layout");
        cacheDir = tmp.resolve("cache");
    }

    @Test
    void aPullRecordsTheSelectionAndAHitServesTheSameResultWithoutOpeningTheSource() throws IOException {
        pushNativeIndex();
        PullResult first = puller().pull(request(Optional.empty()), PullListener.NONE);

        Selection s = record().selection().orElseThrow();
        assertEquals(LINUX_AMD64, s.requested());
        assertFalse(s.explicit());
        assertEquals(PluginType.NATIVE, s.type());
        assertEquals(first.manifestDigest(), s.manifest());
        assertEquals(first.layerDigest(), s.layer());
        assertEquals(Optional.of(LINUX_AMD64), s.platform());

        int openedBefore = opened.get();
        PullResult hit = puller().pull(request(Optional.empty()), PullListener.NONE);
        assertEquals(openedBefore, opened.get());
        assertSame(first, hit);
        assertTrue(hit.cached());
    }

    @Test
    void aHitForAnotherPlatformDoesNotUseTheRecordedSelection() throws IOException {
        pushNativeIndex();
        puller().pull(request(Optional.empty()), PullListener.NONE);
        PullResult arm = puller().pull(request(Optional.of(LINUX_ARM64)), PullListener.NONE);
        assertEquals("arm64 library", Files.readString(arm.path()));
        assertEquals(Optional.of(LINUX_ARM64), arm.platform());

        // The arm64 pull was online (its entry was not cached), so the record now holds its selection;
        // a host (implicit amd64) hit must not take it.
        assertTrue(record().selection().orElseThrow().explicit());
        PullResult host = puller().pull(request(Optional.empty()), PullListener.NONE);
        assertTrue(host.cached());
        assertEquals("amd64 library", Files.readString(host.path()));
        assertEquals(Optional.of(LINUX_AMD64), host.platform());
    }

    @Test
    void aSelectionNamingDigestsTheManifestsDoNotHoldFallsBackToSelecting() throws IOException {
        pushNativeIndex();
        PullResult first = puller().pull(request(Optional.empty()), PullListener.NONE);
        RefRecord r = record();
        Selection s = r.selection().orElseThrow();
        Digest stranger = Digest.sha256("not in any manifest".getBytes(StandardCharsets.UTF_8));

        for (Selection bad : List.of(
                new Selection(s.requested(), false, s.type(), s.manifest(), stranger, s.platform()),
                new Selection(s.requested(), false, s.type(), stranger, s.layer(), s.platform()))) {
            cache().putRef(new RefRecord(r.reference(), r.digest(), r.mediaType(), r.resolvedAt(), r.entry(), r.type(),
                    Optional.of(bad)));
            PullResult hit = puller().pull(request(Optional.empty()), PullListener.NONE);
            assertSame(first, hit);
            assertTrue(hit.cached());
        }
    }

    @Test
    void aCorruptSelectionInTheRecordFallsBackToSelectingAndKeepsTheRecord() throws IOException {
        pushNativeIndex();
        PullResult first = puller().pull(request(Optional.empty()), PullListener.NONE);
        Path file = refFile();
        String json = Files.readString(file);
        int at = json.indexOf("\"selection\"");
        assertTrue(at > 0, json);
        for (String corrupt : List.of("\"selection\" : 42\n}", "\"selection\" : { \"for\" : 7 }\n}",
                "\"selection\" : { \"for\" : \"linux\", \"explicit\" : false }\n}",
                "\"selection\" : { \"for\" : \"linux/amd64\", \"explicit\" : \"no\", \"type\" : \"native\","
                        + " \"manifest\" : \"sha256:00\", \"layer\" : \"x\" }\n}")) {
            Files.writeString(file, json.substring(0, at) + corrupt);
            assertTrue(cache().findRef(first.reference()).isPresent(), corrupt);
            assertTrue(cache().findRef(first.reference()).orElseThrow().selection().isEmpty(), corrupt);

            int openedBefore = opened.get();
            PullResult hit = puller().pull(request(Optional.empty()), PullListener.NONE);
            assertEquals(openedBefore, opened.get(), "still a hit: " + corrupt);
            assertSame(first, hit);
        }
    }

    @Test
    void aHitLoadsNoJacksonDatabindClass() throws Exception {
        Path wasm = Files.write(tmp.resolve("echo.wasm"), "\0asm echo".getBytes(StandardCharsets.UTF_8));
        ImagePackager.pushWasm(new OciLayoutTarget(ref()), wasm, "1.0", Map.of());
        PullRequest skip = new PullRequest(ref(), Optional.empty(), Optional.empty(), false, true);
        PullResult first = puller().pull(skip, PullListener.NONE);

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class", "-cp", System.getProperty("java.class.path"), HitMain.class.getName(),
                cacheDir.toString(), layout.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("HIT " + first.path()), out);
        List<String> databind = out.lines().filter(l -> l.contains("tools.jackson.databind")).toList();
        assertEquals(List.of(), databind);
        // nor a record's generated equals/hashCode (Digest, FileStamp write theirs out): its bootstrap costs start-up
        assertEquals(List.of(), out.lines().filter(l -> l.contains("java.lang.runtime.ObjectMethods")).toList());
        assertTrue(out.contains("dev.qmt4j.pull.PullAttempt"), "the class log is there");
    }

    /** The child JVM of {@link #aHitLoadsNoJacksonDatabindClass}: one cache hit, then exit. */
    public static final class HitMain {
        public static void main(String[] args) {
            PluginPuller puller = PluginPuller.builder()
                    .cache(PluginCache.open(Path.of(args[0])))
                    .sources(r -> {
                        throw new AssertionError("a hit opens no source");
                    })
                    .hostPlatform(LINUX_AMD64)
                    .build();
            LayoutRef ref = new LayoutRef(Path.of(args[1]), Optional.of("1.0"), Optional.empty());
            PullResult r = puller.pull(new PullRequest(ref, Optional.empty(), Optional.empty(), false, true), PullListener.NONE);
            if (!r.cached()) {
                throw new AssertionError("not a hit");
            }
            System.out.println("HIT " + r.path());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void assertSame(PullResult want, PullResult got) {
        assertEquals(want.digest(), got.digest());
        assertEquals(want.manifestDigest(), got.manifestDigest());
        assertEquals(want.layerDigest(), got.layerDigest());
        assertEquals(want.type(), got.type());
        assertEquals(want.platform(), got.platform());
        assertEquals(want.path(), got.path());
    }

    private PluginPuller puller() {
        return PluginPuller.builder()
                .cache(cache())
                .sources(ref -> new CountingSource(new OciLayoutSource((LayoutRef) ref), opened, blobs))
                .hostPlatform(LINUX_AMD64)
                .build();
    }

    private PluginCache cache() {
        return PluginCache.open(cacheDir);
    }

    private RefRecord record() {
        return cache().findRef(ref()).orElseThrow();
    }

    private Path refFile() throws IOException {
        try (Stream<Path> s = Files.list(cacheDir.resolve("refs"))) {
            List<Path> files = s.filter(f -> f.toString().endsWith(".json")).toList();
            assertEquals(1, files.size());
            return files.get(0);
        }
    }

    private LayoutRef ref() {
        return new LayoutRef(layout, Optional.of("1.0"), Optional.empty());
    }

    private PullRequest request(Optional<Platform> platform) {
        return new PullRequest(ref(), platform, Optional.empty(), false, true);
    }

    private void pushNativeIndex() throws IOException {
        Map<Platform, Path> libs = new LinkedHashMap<>();
        libs.put(LINUX_AMD64, write("amd64/libecho.so", "amd64 library"));
        libs.put(LINUX_ARM64, write("arm64/libecho.so", "arm64 library"));
        ImagePackager.pushNativeIndex(new OciLayoutTarget(ref()), libs, Optional.of(write("fallback.wasm", "\0asm fallback")),
                "1.0", Map.of());
    }

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve("src").resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, content.getBytes(StandardCharsets.UTF_8));
    }
}
