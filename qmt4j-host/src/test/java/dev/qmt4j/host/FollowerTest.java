package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageSources;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.sigstore.cosign.CosignKeyPair;
import dev.qmt4j.sigstore.cosign.CosignKeys;
import dev.qmt4j.sigstore.cosign.LegacySigner;
import dev.qmt4j.testkit.FaultProxy;
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following a tag against a real registry behind a counting proxy: one HEAD per interval, swap, refusal of another key. */
class FollowerTest {
    @TempDir
    Path tmp;

    private static final Duration EVERY = Duration.ofMillis(600);
    private static final Duration JITTER = Duration.ofMillis(200);

    /** A client that publishes to the test registry directly (plain HTTP, no proxy, anonymous). */
    private static RegistryClient client(RegistryServer server) {
        return new RegistryClient(RegistryOptions.builder().credentials(CredentialStore.anonymous())
                .proxySelector(null).insecureRegistries(List.of(server.host())).connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(20)).build());
    }

    /** Pushes the qmt-openai plugin under {@code ref}'s tag, labelled {@code version}, and signs it with {@code signer}. */
    private static Digest publish(RegistryClient client, RegistryRef ref, String version, CosignKeyPair signer) {
        Digest d = pushUnsigned(client, ref, version);
        sign(client, ref, d, signer);
        return d;
    }

    private static Digest pushUnsigned(RegistryClient client, RegistryRef ref, String version) {
        try (ImageTarget t = ImageSources.openTarget(ref, client)) {
            return ImagePackager.pushWasm(t, TestPlugins.path(TestPlugins.QMT_OPENAI), "1.0",
                    Map.of("org.opencontainers.image.version", version));
        }
    }

    private static void sign(RegistryClient client, RegistryRef ref, Digest d, CosignKeyPair signer) {
        try (ImageSource s = ImageSources.open(ref, client); ImageTarget t = ImageSources.openTarget(ref, client)) {
            LegacySigner.sign(s, t, d, ref.name(), signer.privateKey(), Map.of());
        }
    }

    /** Writes {@code key}'s public key as PEM to {@code tmp/name}, for a config's {@code public_key}. */
    private Path publicKeyFile(String name, CosignKeyPair key) throws IOException {
        return Files.writeString(tmp.resolve(name), CosignKeys.publicKeyPem(key.publicKey()));
    }

    private static <T> T await(List<FollowEvent> events, Class<T> type, Predicate<T> which, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            synchronized (events) {
                for (FollowEvent e : events) {
                    if (type.isInstance(e) && which.test(type.cast(e))) {
                        return type.cast(e);
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + type.getSimpleName() + " within " + within + ": " + events);
    }

    @Test
    void followsTheTagWithOneHeadPerIntervalSwapsASameSignerDigestAndRefusesAnotherKey() throws Exception {
        try (RegistryServer server = RegistryServer.start(RegistryServer.Auth.NONE);
                FaultProxy proxy = FaultProxy.to(server.host())) {
            RegistryClient client = client(server);
            CosignKeyPair key = CosignKeys.generate();
            CosignKeyPair other = CosignKeys.generate();
            RegistryRef direct = (RegistryRef) ImageRef.parse("oci://" + server.host() + "/follow/openai:1.0");
            Digest v1 = publish(client, direct, "1", key);
            Path pub = publicKeyFile("cosign.pub", key);
            Path cfg = tmp.resolve("providers.toml");
            Files.writeString(cfg, """
                    [[providers]]
                    name = "openai"
                    path = "oci://%s/follow/openai:1.0"
                    [providers.verify]
                    public_key = "%s"
                    check_docker_reference = false

                    [oci]
                    insecure_registries = ["%s"]
                    refresh = "never"
                    """.formatted(proxy.host(), pub, proxy.host()));
            try (PluginRegistry r = PluginRegistry.builder().config(cfg).env(Map.of()).home(tmp)
                    .cacheDir(tmp.resolve("cache")).build()) {
                assertEquals(v1.toString(), r.digestInService("openai"));
                List<FollowEvent> events = Collections.synchronizedList(new ArrayList<>());
                Predicate<FaultProxy.Request> head = q -> q.method().equals("HEAD") && q.path().endsWith("/manifests/1.0");
                proxy.resetCounts();
                long start = System.nanoTime();
                try (Follower f = r.follow(List.of("openai"), EVERY, JITTER, events::add)) {
                    Thread.sleep(EVERY.multipliedBy(4).toMillis());
                    long heads = proxy.requestCount(head);
                    long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
                    // one HEAD per check, a check every 600..800 ms
                    assertTrue(heads >= elapsed / (EVERY.plus(JITTER).toMillis()) - 1 && heads <= elapsed / EVERY.toMillis(),
                            heads + " HEADs in " + elapsed + " ms: " + proxy.requests());
                    assertTrue(events.stream().allMatch(e -> e instanceof FollowEvent.Unchanged), events.toString());
                    assertEquals(0, proxy.requestCount(q -> q.method().equals("GET") && q.path().contains("/manifests/")),
                            "nothing but HEADs while the tag stays: " + proxy.requests());

                    Digest v2 = publish(client, direct, "2", key);
                    long published = System.nanoTime();
                    FollowEvent.Swapped s = await(events, FollowEvent.Swapped.class, e -> e.digest().equals(v2.toString()),
                            EVERY.plus(JITTER).plusSeconds(10));
                    assertEquals(v1.toString(), s.previous().orElseThrow());
                    assertEquals(v2.toString(), r.digestInService("openai"));
                    long took = Duration.ofNanos(System.nanoTime() - published).toMillis();
                    assertTrue(took < EVERY.plus(JITTER).toMillis() + 5_000, "swapped " + took + " ms after the push");

                    Digest v3 = publish(client, direct, "3", other);
                    FollowEvent.Refused refused = await(events, FollowEvent.Refused.class, e -> e.digest().equals(v3.toString()),
                            EVERY.plus(JITTER).plusSeconds(10));
                    assertTrue(refused.reason().contains("openai"), refused.reason());
                    Thread.sleep(EVERY.multipliedBy(2).toMillis());
                    assertEquals(v2.toString(), r.digestInService("openai"), "the working version stays");
                    assertEquals(1, events.stream().filter(e -> e instanceof FollowEvent.Refused).count(),
                            "a refused digest is reported once: " + events);
                }
            }
        }
    }

    @Test
    void theBuilderOptionFollowsEveryProviderWithAFollowTableAndSwapsASameSignerDigest() throws Exception {
        try (RegistryServer server = RegistryServer.start(RegistryServer.Auth.NONE)) {
            RegistryClient client = client(server);
            CosignKeyPair key = CosignKeys.generate();
            RegistryRef ref = (RegistryRef) ImageRef.parse("oci://" + server.host() + "/auto/openai:1.0");
            Digest v1 = publish(client, ref, "1", key);
            Path pub = publicKeyFile("cosign.pub", key);
            Path cfg = tmp.resolve("providers.toml");
            Files.writeString(cfg, """
                    [[providers]]
                    name = "openai"
                    path = "oci://%s/auto/openai:1.0"
                    [providers.verify]
                    public_key = "%s"
                    check_docker_reference = false
                    [providers.follow]
                    every = "1s"
                    jitter = 0

                    [[providers]]
                    name = "pinned"
                    path = "oci://%s/auto/openai:1.0"
                    [providers.verify]
                    public_key = "%s"
                    check_docker_reference = false

                    [oci]
                    insecure_registries = ["%s"]
                    refresh = "never"
                    """.formatted(server.host(), pub, server.host(), pub, server.host()));
            List<FollowEvent> events = Collections.synchronizedList(new ArrayList<>());
            try (PluginRegistry r = PluginRegistry.builder().config(cfg).env(Map.of()).home(tmp)
                    .cacheDir(tmp.resolve("cache")).follow(events::add).build()) {
                assertTrue(r.follower().isPresent(), "a provider has a follow table");
                assertEquals(Map.of("openai", new dev.qmt4j.config.FollowSettings(Duration.ofSeconds(1), Duration.ZERO)),
                        r.followPlan());
                assertEquals(v1.toString(), r.digestInService("openai"));
                assertEquals(v1.toString(), r.digestInService("pinned"));
                // Signed under another tag first, then the followed tag moved to it: with a 1 s interval a check
                // could otherwise fall between the push and the signature and refuse the unsigned digest.
                Digest v2 = publish(client, (RegistryRef) ImageRef.parse("oci://" + server.host() + "/auto/openai:2.0"), "2", key);
                assertEquals(v2, publish(client, ref, "2", key), "the packaging is deterministic");
                FollowEvent.Swapped s = await(events, FollowEvent.Swapped.class, e -> e.digest().equals(v2.toString()),
                        Duration.ofSeconds(15));
                assertEquals("openai", s.provider());
                assertEquals(v1.toString(), s.previous().orElseThrow());
                assertEquals(v2.toString(), r.digestInService("openai"));
                assertEquals(v1.toString(), r.digestInService("pinned"), "a provider without a follow table is not followed");
                assertTrue(events.stream().allMatch(e -> e.provider().equals("openai")), events.toString());
            }
            int seen = events.size();
            Thread.sleep(2_500);
            assertEquals(seen, events.size(), "closing the registry stops the follower: " + events);
        }
    }

    @Test
    void aReleasePushedBeforeItsSignatureIsRetriedNotRefused() throws Exception {
        try (RegistryServer server = RegistryServer.start(RegistryServer.Auth.NONE)) {
            RegistryClient client = client(server);
            CosignKeyPair key = CosignKeys.generate();
            RegistryRef ref = (RegistryRef) ImageRef.parse("oci://" + server.host() + "/follow/late:1.0");
            Digest v1 = publish(client, ref, "1", key);
            Path pub = publicKeyFile("late.pub", key);
            Path cfg = tmp.resolve("late.toml");
            Files.writeString(cfg, """
                    [[providers]]
                    name = "late"
                    path = "oci://%s/follow/late:1.0"
                    [providers.verify]
                    public_key = "%s"

                    [oci]
                    insecure_registries = ["%s"]
                    refresh = "never"
                    """.formatted(server.host(), pub, server.host()));
            try (PluginRegistry r = PluginRegistry.builder().config(cfg).env(Map.of()).home(tmp)
                    .cacheDir(tmp.resolve("late-cache")).build()) {
                assertEquals(v1.toString(), r.digestInService("late"));
                List<FollowEvent> events = Collections.synchronizedList(new ArrayList<>());
                try (Follower f = r.follow(List.of("late"), EVERY, Duration.ZERO, events::add)) {
                    Digest v2 = pushUnsigned(client, ref, "2");
                    // the tag moved to a digest with no signature yet: a failed check, retried with back-off
                    FollowEvent.Failed failed = await(events, FollowEvent.Failed.class, e -> e.reason().contains("no signature found"),
                            EVERY.plusSeconds(10));
                    assertTrue(failed.reason().contains(v2.toString()), failed.reason());
                    assertTrue(events.stream().noneMatch(e -> e instanceof FollowEvent.Refused), events.toString());
                    // retried with back-off: the next failed check waits longer (docs/locking.md, "Following a tag")
                    FollowEvent.Failed again = await(events, FollowEvent.Failed.class,
                            e -> e != failed && e.reason().contains("no signature found"), failed.retryIn().plusSeconds(10));
                    assertEquals(failed.retryIn().multipliedBy(2), again.retryIn(), events.toString());
                    assertTrue(events.stream().noneMatch(e -> e instanceof FollowEvent.Refused), events.toString());
                    assertEquals(v1.toString(), r.digestInService("late"), "the working version stays");
                    sign(client, ref, v2, key);
                    FollowEvent.Swapped s = await(events, FollowEvent.Swapped.class, e -> e.digest().equals(v2.toString()),
                            EVERY.multipliedBy(8).plusSeconds(10));
                    assertEquals(v1.toString(), s.previous().orElseThrow());
                }
            }
        }
    }


    @Test
    void lockedModeDoesNotFollow() throws Exception {
        Path cfg = tmp.resolve("p.toml");
        Files.writeString(cfg, "[[providers]]\nname = \"x\"\npath = \"oci://127.0.0.1:1/a/b:1\"\n[oci]\ninsecure_skip_signature = true\n");
        Files.writeString(tmp.resolve("qmt4j.lock"), "version = 1\n");
        try (PluginRegistry r = PluginRegistry.builder().config(cfg).env(Map.of()).home(tmp).cacheDir(tmp.resolve("c"))
                .locked(true).build()) {
            Qmt4jException e = assertThrows(Qmt4jException.class, () -> r.follow(List.of("x"), EVERY, JITTER, ev -> {}));
            assertEquals(ErrorKind.LOCK, e.kind());
        }
        Files.writeString(cfg, "[[providers]]\nname = \"x\"\npath = \"oci://127.0.0.1:1/a/b:1\"\n[providers.follow]\nevery = \"1s\"\n"
                + "[oci]\ninsecure_skip_signature = true\n");
        try (PluginRegistry r = PluginRegistry.builder().config(cfg).env(Map.of()).home(tmp).cacheDir(tmp.resolve("c"))
                .locked(true).follow(ev -> {}).build()) {
            assertTrue(r.follower().isEmpty(), "locked mode turns the builder's following off");
        }
    }
}
