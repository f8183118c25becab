package dev.qmt4j.oci.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.testkit.Fault;
import dev.qmt4j.testkit.FaultProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the client does when the network or the registry misbehaves, through a fault proxy. */
class RegistryFaultTest extends FaultProxiedRegistryTest {
    private static final String REPO = "faults/plugin";

    @BeforeAll
    static void pushImage() {
        startRegistry(REPO, TestImages.image(200_000, 7));
    }

    private Path fetchLayer() {
        Path out = tmp.resolve("layer.tmp");
        client.source(ref).fetchBlob(image.layerDescriptor(), out, (d, t) -> { });
        return out;
    }

    @Test
    void truncatedBlobIsAnIntegrityErrorAndLeavesNoFile() {
        proxy.inject(FaultProxy.path("/blobs/"), Fault.truncateAfter(1000), -1);
        Qmt4jException e = assertThrows(Qmt4jException.class, this::fetchLayer);
        assertEquals(ErrorKind.INTEGRITY, e.kind());
        // Each of the four attempts resumes where the last stopped, so 4 x 1000 bytes arrived.
        assertTrue(e.getMessage().contains("truncated: got 4000 of 200000 bytes"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("layer.tmp")));
    }

    @Test
    void flippedBytesAreAnIntegrityErrorAndLeaveNoFile() {
        proxy.inject(FaultProxy.path("/blobs/"), Fault.flipByte(12345), -1);
        Qmt4jException e = assertThrows(Qmt4jException.class, this::fetchLayer);
        assertEquals(ErrorKind.INTEGRITY, e.kind());
        assertTrue(e.getMessage().contains("hashes to"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("layer.tmp")));
        assertEquals(1, proxy.requestCount(FaultProxy.path("/blobs/")), "a wrong digest is not retried");
    }

    @Test
    void tooManyRequestsTwiceThenSuccess() throws Exception {
        proxy.inject(FaultProxy.path("/blobs/"), Fault.tooManyRequests(0), 2);
        assertArrayEquals(image.layer(), Files.readAllBytes(fetchLayer()));
        assertEquals(3, proxy.requestCount(FaultProxy.path("/blobs/")));
    }

    @Test
    void serviceUnavailableForeverIsANetworkError() {
        proxy.inject(FaultProxy.path("/manifests/"), Fault.status(503), -1);
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> client.source(ref).resolve());
        assertEquals(ErrorKind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertEquals(4, proxy.requestCount(FaultProxy.path("/manifests/")), "first attempt plus maxRetries");
    }

    @Test
    void connectionResetMidBlobIsRetried() throws Exception {
        proxy.inject(FaultProxy.path("/blobs/"), Fault.resetAfter(50_000), 1);
        assertArrayEquals(image.layer(), Files.readAllBytes(fetchLayer()));
        assertEquals(2, proxy.requestCount(FaultProxy.path("/blobs/")));
    }

    @Test
    void registryDownIsANetworkError() {
        proxy.down();
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> client.source(ref).resolve());
        assertEquals(ErrorKind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("cannot reach registry " + proxy.host()), e.getMessage());
        assertTrue(e.hint().contains("insecure_registries"), e.hint());
        assertThrows(Qmt4jException.class, () -> client.ping(proxy.host()));
    }

    @Test
    void oversizedManifestIsRejected() {
        byte[] huge = new byte[RegistrySource.MAX_MANIFEST_BYTES + 10];
        java.util.Arrays.fill(huge, (byte) ' ');
        proxy.inject(FaultProxy.path("/manifests/"), Fault.replaceBody(huge, null), -1);
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> client.source(ref).resolve());
        assertEquals(ErrorKind.INTEGRITY, e.kind());
        assertTrue(e.getMessage().contains("limit for manifests"), e.getMessage());
    }

    @Test
    void alteredManifestDisagreesWithDockerContentDigest() {
        proxy.inject(FaultProxy.path("/manifests/"), Fault.flipByte(5), -1);
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> client.source(ref).resolve());
        assertEquals(ErrorKind.INTEGRITY, e.kind());
        assertTrue(e.getMessage().contains("Docker-Content-Digest"), e.getMessage());
    }

    @Test
    void alteredManifestByDigestIsRejected() {
        proxy.inject(FaultProxy.path("/manifests/"), Fault.flipByte(5), -1);
        RegistryRef pinned = TestImages.ref(proxy.host(), REPO, image.manifestDigest());
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> client.source(pinned).resolve());
        assertEquals(ErrorKind.INTEGRITY, e.kind());
    }

    @Test
    void uploadSurvivesA503() {
        proxy.inject(FaultProxy.request("PUT", "/blobs/uploads/"), Fault.status(503), 1);
        RegistryRef target = TestImages.ref(proxy.host(), "faults/upload", "1");
        TestImages.Image other = RegistryRoundTripTest.push(client, target, TestImages.image(3000, 8));
        assertTrue(client.target(target).hasBlob(other.layerDescriptor().digest()));
    }
}
