package dev.qmt4j.oci.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.testkit.Fault;
import dev.qmt4j.testkit.FaultProxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A blob download cut off mid-body resumes with {@code Range} instead of starting over, against the
 * real registry behind a fault proxy that records every request and how many body bytes it sent.
 */
class BlobResumeTest extends FaultProxiedRegistryTest {
    private static final String REPO = "resume/plugin";
    private static final int SIZE = 1_000_000;
    private static final int K = 300_000;

    private final List<long[]> progress = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pushImage() {
        startRegistry(REPO, TestImages.image(SIZE, 11));
    }

    private Path fetchLayer() {
        Path out = tmp.resolve("layer.tmp");
        client.source(ref).fetchBlob(image.layerDescriptor(), out, (done, total) -> progress.add(new long[] {done, total}));
        return out;
    }

    private static Predicate<FaultProxy.Request> blobGet() {
        return FaultProxy.request("GET", "/blobs/" + image.layerDescriptor().digest());
    }

    private List<FaultProxy.Exchange> blobExchanges() {
        return proxy.exchanges().stream().filter(e -> blobGet().test(e.request())).toList();
    }

    private static Optional<String> range(FaultProxy.Exchange e) {
        return e.request().header("Range");
    }

    @Test
    void aBodyCutAfterKBytesResumesAtK() throws Exception {
        proxy.inject(blobGet(), Fault.truncateAfter(K), 1);

        assertArrayEquals(image.layer(), Files.readAllBytes(fetchLayer()));

        List<FaultProxy.Exchange> x = blobExchanges();
        assertEquals(2, x.size());
        assertEquals(Optional.empty(), range(x.get(0)));
        assertEquals(Optional.of("bytes=" + K + "-"), range(x.get(1)));
        // The registry's ETag is the digest in quotes: a strong validator, sent back as If-Range.
        assertEquals(Optional.of("\"" + image.layerDescriptor().digest() + "\""), x.get(1).request().header("If-Range"));
        assertEquals(206, x.get(1).status());
        assertEquals(SIZE, proxy.bodyBytesSent(blobGet()), "K + (size - K) bytes on the wire, not K + size");
    }

    @Test
    void aResetConnectionResumesWhereTheBytesStopped() throws Exception {
        proxy.inject(blobGet(), Fault.resetAfter(K), 1);

        assertArrayEquals(image.layer(), Files.readAllBytes(fetchLayer()));

        List<FaultProxy.Exchange> x = blobExchanges();
        assertEquals(2, x.size());
        // A reset may discard bytes still in flight, so the resume point is at most K, never 0.
        long from = Long.parseLong(range(x.get(1)).orElseThrow().replaceAll("bytes=(\\d+)-", "$1"));
        assertTrue(from > 0 && from <= K, "resumed at " + from);
        assertEquals(SIZE - from, x.get(1).bodyBytes());
        assertTrue(proxy.bodyBytesSent(blobGet()) <= SIZE + (K - from), "at most the lost bytes twice");
    }

    @Test
    void progressNeverCountsAByteTwiceAcrossAResume() throws Exception {
        proxy.inject(blobGet(), Fault.truncateAfter(K), 1);
        fetchLayer();

        long last = -1;
        for (long[] p : progress) {
            assertEquals(SIZE, p[1]);
            assertTrue(p[0] >= last, "progress went back from " + last + " to " + p[0]);
            assertTrue(p[0] <= SIZE, "progress past the size: " + p[0]);
            last = p[0];
        }
        assertEquals(SIZE, last);
        assertTrue(progress.stream().anyMatch(p -> p[0] == K), "the resumed request reports from K on");
    }

    @Test
    void everyRetryOfARepeatedlyCutBodyAsksOnlyForTheRest() {
        proxy.inject(blobGet(), Fault.truncateAfter(1000), -1);

        Qmt4jException e = assertThrows(Qmt4jException.class, this::fetchLayer);

        assertEquals(ErrorKind.INTEGRITY, e.kind());
        assertTrue(e.getMessage().contains("truncated: got 4000 of " + SIZE + " bytes"), e.getMessage());
        assertEquals(List.of(Optional.empty(), Optional.of("bytes=1000-"), Optional.of("bytes=2000-"), Optional.of("bytes=3000-")),
                blobExchanges().stream().map(BlobResumeTest::range).toList());
        assertFalse(Files.exists(tmp.resolve("layer.tmp")), "no partial file is left when retries run out");
    }

    @Test
    void aServerIgnoringTheRangeSendsTheWholeBlobWhichStartsOver() throws Exception {
        proxy.inject(blobGet(), Fault.truncateAfter(K), 1);
        proxy.inject(blobGet(), Fault.ignoreRange(), 1);

        assertArrayEquals(image.layer(), Files.readAllBytes(fetchLayer()));

        List<FaultProxy.Exchange> x = blobExchanges();
        assertEquals(2, x.size(), "the 200's body is the whole blob: no third request");
        assertEquals(200, x.get(1).status());
        assertEquals(SIZE + K, proxy.bodyBytesSent(blobGet()));
        // Up to K, back to 0 for the whole body, up to SIZE: the bar restarts, it does not add the body to K.
        List<Long> done = progress.stream().map(p -> p[0]).toList();
        int atK = done.indexOf((long) K);
        assertTrue(atK >= 0, done.toString());
        assertEquals(0L, done.get(atK + 1));
        assertEquals((long) SIZE, done.stream().mapToLong(Long::longValue).max().orElseThrow());
        assertEquals((long) SIZE, done.get(done.size() - 1));
    }

    @Test
    void aRangeAnsweredAtTheWrongOffsetIsDiscardedAndTheBlobFetchedWhole() throws Exception {
        proxy.inject(blobGet(), Fault.truncateAfter(K), 1);
        proxy.inject(blobGet(), Fault.shiftRange(100), 1);

        assertArrayEquals(image.layer(), Files.readAllBytes(fetchLayer()));

        List<FaultProxy.Exchange> x = blobExchanges();
        assertEquals(3, x.size());
        assertEquals(206, x.get(1).status(), "the registry answered the shifted range");
        assertEquals(Optional.empty(), range(x.get(2)), "then the whole blob, without Range");
        assertEquals(200, x.get(2).status());
    }

    @Test
    void aRangePastTheEndIsAnsweredWith416AndTheBlobFetchedWhole() throws Exception {
        proxy.inject(blobGet(), Fault.truncateAfter(K), 1);
        proxy.inject(blobGet(), Fault.shiftRange(SIZE), 1);

        assertArrayEquals(image.layer(), Files.readAllBytes(fetchLayer()));

        List<FaultProxy.Exchange> x = blobExchanges();
        assertEquals(List.of(200, 416, 200), x.stream().map(FaultProxy.Exchange::status).toList());
    }

    @Test
    void flippedBytesInTheResumedPartAreAnIntegrityErrorAndLeaveNoFile() {
        proxy.inject(blobGet(), Fault.truncateAfter(K), 1);
        proxy.inject(blobGet(), Fault.flipByte(10), 1);

        Qmt4jException e = assertThrows(Qmt4jException.class, this::fetchLayer);

        assertEquals(ErrorKind.INTEGRITY, e.kind());
        assertTrue(e.getMessage().contains("hashes to"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("layer.tmp")));
        assertEquals(2, blobExchanges().size(), "a wrong digest is not retried");
    }

    @Test
    void aBodyThatGoesSilentIsAbandonedAfterTheTimeoutAndResumed() throws Exception {
        // One byte a minute after K: without an idle limit the JDK client would wait on the body for ever.
        client = new RegistryClient(TestImages.options(registry).requestTimeout(java.time.Duration.ofSeconds(1)).build());
        proxy.inject(blobGet(), Fault.stallAfter(K, 60_000), 1);

        assertArrayEquals(image.layer(), Files.readAllBytes(fetchLayer()));

        List<FaultProxy.Exchange> x = blobExchanges();
        assertEquals(2, x.size());
        assertEquals(Optional.of("bytes=" + K + "-"), range(x.get(1)));
    }

    @Test
    void attemptsThatBringAMebibyteOrMoreDoNotUseUpTheRetries() throws Exception {
        int size = 3 * 1024 * 1024 + 500_000;
        TestImages.Image big = RegistryRoundTripTest.push(new RegistryClient(TestImages.options(registry).build()),
                TestImages.ref(registry.host(), "resume/big", "1"), TestImages.image(size, 12));
        client = new RegistryClient(TestImages.options(registry).maxRetries(1).build());
        Predicate<FaultProxy.Request> get = FaultProxy.request("GET", "/blobs/" + big.layerDescriptor().digest());
        // Every connection drops after 1 MiB: four requests with a single retry allowed.
        proxy.inject(get, Fault.truncateAfter(RegistrySource.PRODUCTIVE_ATTEMPT), -1);

        Path out = tmp.resolve("big.tmp");
        client.source(TestImages.ref(proxy.host(), "resume/big", "1")).fetchBlob(big.layerDescriptor(), out, (d, t) -> { });

        assertArrayEquals(big.layer(), Files.readAllBytes(out));
        assertEquals(4, proxy.requestCount(get));
        assertEquals(size, proxy.bodyBytesSent(get));
    }

    /**
     * Blob GETs are often redirected to object storage; the resumed request carries its Range to the
     * final URL. Here a registry stand-in 307s to the real registry's blob URL on another port (the real
     * registry cannot redirect), through the fault proxy that cuts the first body.
     */
    @Test
    void aRedirectedBlobResumesAtTheRedirectTarget() throws Exception {
        List<String> rangesAtFrontDoor = new CopyOnWriteArrayList<>();
        HttpServer front = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        front.createContext("/", ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            rangesAtFrontDoor.add(range == null ? "(none)" : range);
            ex.getResponseHeaders().set("Connection", "close");
            ex.getResponseHeaders().set("Location", proxy.url() + ex.getRequestURI().getPath() + "?X-Amz-Signature=1");
            ex.sendResponseHeaders(307, -1);
            ex.close();
        });
        front.start();
        try {
            String host = "127.0.0.1:" + front.getAddress().getPort();
            client = new RegistryClient(TestImages.options(registry).insecureRegistries(List.of(host)).build());
            ref = TestImages.ref(host, REPO, "1");
            proxy.inject(blobGet(), Fault.truncateAfter(K), 1);

            assertArrayEquals(image.layer(), Files.readAllBytes(fetchLayer()));

            assertEquals(List.of("(none)", "bytes=" + K + "-"), rangesAtFrontDoor);
            List<FaultProxy.Exchange> x = blobExchanges();
            assertEquals(2, x.size());
            assertTrue(x.get(1).request().path().contains("X-Amz-Signature"), x.get(1).request().path());
            assertEquals(Optional.of("bytes=" + K + "-"), range(x.get(1)));
            assertEquals(206, x.get(1).status());
        } finally {
            front.stop(0);
        }
    }
}
