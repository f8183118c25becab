package dev.qmt4j.oci.registry;

import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.testkit.FaultProxy;
import dev.qmt4j.testkit.RegistryServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the fault tests: a real registry holding one test image, started once per test class by
 * the subclass's {@code @BeforeAll} through {@link #startRegistry}, and a fresh {@link FaultProxy} in
 * front of it for each test, with a client and the image's reference through the proxy.
 */
abstract class FaultProxiedRegistryTest {
    static RegistryServer registry;
    static TestImages.Image image;
    private static String repository;

    FaultProxy proxy;
    RegistryClient client;
    RegistryRef ref;

    @TempDir
    Path tmp;

    /** Starts the registry and pushes {@code content} to {@code repo:1}, directly (not through a proxy). */
    static void startRegistry(String repo, TestImages.Image content) {
        repository = repo;
        registry = RegistryServer.start(RegistryServer.Auth.NONE);
        RegistryClient direct = new RegistryClient(TestImages.options(registry).build());
        image = RegistryRoundTripTest.push(direct, TestImages.ref(registry.host(), repo, "1"), content);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.to(registry.host());
        client = new RegistryClient(TestImages.options(registry).build());
        ref = TestImages.ref(proxy.host(), repository, "1");
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }
}
