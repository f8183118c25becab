package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSources;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.pull.PullEvent;
import dev.qmt4j.sigstore.cosign.CosignKeyPair;
import dev.qmt4j.sigstore.cosign.CosignKeys;
import dev.qmt4j.sigstore.cosign.LegacySigner;
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A signed provider from a real registry: verified load, chat, concurrency, hot swap and rollback. */
class SignedRegistryTest {
    private static RegistryServer registry;
    private static OpenAiTestServer openai;
    private static RegistryClient client;
    private static CosignKeyPair key;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        registry = RegistryServer.start(RegistryServer.Auth.NONE);
        openai = OpenAiTestServer.start();
        client = new RegistryClient(RegistryOptions.builder().credentials(CredentialStore.anonymous()).proxySelector(null)
                .insecureRegistries(List.of(registry.host())).connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(20)).build());
        key = CosignKeys.generate();
    }

    @AfterAll
    static void stop() {
        registry.close();
        openai.close();
    }

    private static RegistryRef ref(String repo) {
        return (RegistryRef) ImageRef.parse("oci://" + registry.host() + "/" + repo + ":1.0");
    }

    /** Pushes qmt-openai with a version annotation (a new manifest digest per version), optionally signed. */
    private static Digest publish(RegistryRef ref, String version, CosignKeyPair signer) {
        Digest d;
        try (ImageTarget t = ImageSources.openTarget(ref, client)) {
            d = ImagePackager.pushWasm(t, TestPlugins.path(TestPlugins.QMT_OPENAI), "1.0",
                    Map.of("org.opencontainers.image.version", version));
        }
        if (signer != null) {
            try (ImageSource s = ImageSources.open(ref, client); ImageTarget t = ImageSources.openTarget(ref, client)) {
                LegacySigner.sign(s, t, d, ref.name(), signer.privateKey(), Map.of());
            }
        }
        return d;
    }

    private PluginRegistry registry(RegistryRef ref) throws Exception {
        Path pub = tmp.resolve("cosign.pub");
        Files.writeString(pub, CosignKeys.publicKeyPem(key.publicKey()));
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, """
                [[providers]]
                name = "openai"
                path = "oci://%s"
                [providers.config]
                base_url = "%s/v1"
                model = "%s"
                [providers.verify]
                public_key = "%s"

                [oci]
                insecure_registries = ["%s"]
                refresh = "never"
                """.formatted(ref.toString().replaceFirst("^oci://", ""), openai.url(), OpenAiTestServer.MODEL_A, pub,
                registry.host()));
        return PluginRegistry.builder().config(cfg).env(Map.of("OPENAI_API_KEY", openai.apiKey())).home(tmp)
                .cacheDir(tmp.resolve("cache")).build();
    }

    private static JsonNode user(String text) {
        return Jsons.MAPPER.createArrayNode().add(Jsons.MAPPER.createObjectNode().put("role", "user").put("content", text));
    }

    @Test
    void signedPluginLoadsVerifiedAndServesConcurrentChats() throws Exception {
        RegistryRef ref = ref("signed/openai");
        Digest d = publish(ref, "1", key);
        try (PluginRegistry r = registry(ref)) {
            LoadResult.Loaded l = assertInstanceOf(LoadResult.Loaded.class, r.loadAll().get(0));
            assertEquals(d.toString(), l.digest());
            assertTrue(l.verification().isPresent() && !l.verification().get().startsWith("not verified"), l.verification().toString());
            ProviderHandle h = r.builder("openai").build();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> replies = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String msg = "thread " + i;
                    replies.add(pool.submit(() -> h.chat(user(msg), null).get("text").stringValue()));
                }
                for (int i = 0; i < 8; i++) {
                    assertEquals("Echo: thread " + i, replies.get(i).get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void unsignedPluginIsAFailedResult() throws Exception {
        RegistryRef ref = ref("unsigned/openai");
        publish(ref, "1", null);
        try (PluginRegistry r = registry(ref)) {
            LoadResult.Failed f = assertInstanceOf(LoadResult.Failed.class, r.loadAll().get(0));
            assertEquals(ErrorKind.VERIFICATION, ((Qmt4jException) f.error()).kind());
            // named once, with its config file, in front of the verifier's own message
            ProviderLoadException e = assertInstanceOf(ProviderLoadException.class, f.error());
            assertTrue(e.getMessage().startsWith("provider 'openai' in " + r.configFile().source() + ": "), e.getMessage());
            assertEquals(1, e.getMessage().split("provider '", -1).length - 1, e.getMessage());
            assertEquals(ErrorKind.VERIFICATION, ((Qmt4jException) org.junit.jupiter.api.Assertions.assertThrows(
                    Qmt4jException.class, () -> r.require("openai"))).kind());
        }
    }

    @Test
    void updateSendsEachProvidersPullEventsToItsListener() throws Exception {
        RegistryRef ref = ref("progress/openai");
        publish(ref, "1", key);
        try (PluginRegistry r = registry(ref)) {
            assertInstanceOf(LoadResult.Loaded.class, r.load("openai"));
            Digest v2 = publish(ref, "2", key);
            List<String> asked = new ArrayList<>();
            List<PullEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
            List<UpdateResult> results = r.update(List.of("openai"), name -> {
                asked.add(name);
                return events::add;
            });
            UpdateResult.Updated u = assertInstanceOf(UpdateResult.Updated.class, results.get(0));
            assertEquals(v2.toString(), u.digest());
            assertEquals(List.of("openai"), asked);
            assertInstanceOf(PullEvent.Resolving.class, events.get(0));
            assertTrue(events.stream().anyMatch(e -> e instanceof PullEvent.VerifyingSignature v
                    && v.digest().equals(v2.toString())), events.toString());
            long size = Files.size(TestPlugins.path(TestPlugins.QMT_OPENAI));
            assertTrue(events.stream().anyMatch(e -> e instanceof PullEvent.Downloading d
                    && d.bytesDone() == size && d.total() == size), "the whole layer is reported: " + events);
            PullEvent.Completed done = assertInstanceOf(PullEvent.Completed.class, events.get(events.size() - 1));
            assertEquals(v2, done.result().digest());
        }
    }

    @Test
    void updateSwapsWhileACallIsInFlightAndRollsBackOnBadSignature() throws Exception {
        RegistryRef ref = ref("swap/openai");
        Digest v1 = publish(ref, "1", key);
        try (PluginRegistry r = registry(ref)) {
            ProviderHandle h = r.builder("openai").build();
            assertEquals(v1.toString(), h.digest());
            LoadedPlugin old = r.inService("openai");

            // A streamed call held open inside its consumer while the update happens.
            CountDownLatch streaming = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            StringBuilder streamed = new StringBuilder();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<?> inFlight = pool.submit(() -> h.chatStream(user("still old"), null, chunk -> {
                if (chunk.has("text")) {
                    streamed.append(chunk.get("text").stringValue());
                }
                streaming.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(streaming.await(60, TimeUnit.SECONDS));

            Digest v2 = publish(ref, "2", key);
            List<UpdateResult> results = r.update();
            UpdateResult.Updated u = assertInstanceOf(UpdateResult.Updated.class, results.get(0));
            assertTrue(u.changed());
            assertEquals(v2.toString(), u.digest());
            assertEquals(v2.toString(), h.digest(), "new calls get the new version");
            assertEquals("Echo: new", h.chat(user("new"), null).get("text").stringValue());
            assertFalse(old.closed(), "the old version stays open while its call runs");

            release.countDown();
            inFlight.get(60, TimeUnit.SECONDS);
            pool.shutdown();
            assertEquals("Echo: still old", streamed.toString());
            assertTrue(old.closed(), "the old version is closed when its last call ends");

            // A version signed with another key: refused, v2 stays in service.
            publish(ref, "3", CosignKeys.generate());
            UpdateResult.Failed f = assertInstanceOf(UpdateResult.Failed.class, r.update().get(0));
            assertEquals(ErrorKind.VERIFICATION, ((Qmt4jException) f.error()).kind());
            assertEquals(v2.toString(), f.stillServing().orElseThrow());
            assertEquals(v2.toString(), h.digest());
            assertEquals("Echo: after rollback", h.chat(user("after rollback"), null).get("text").stringValue());

            // An unsigned one: same.
            publish(ref, "4", null);
            assertInstanceOf(UpdateResult.Failed.class, r.update().get(0));
            assertNotEquals(null, r.inService("openai"));
            assertEquals(v2.toString(), h.digest());
        }
    }
}
