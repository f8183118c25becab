package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per test: a registry of its own (CNCF Distribution, no auth; the test is skipped when docker-registry is not
 * installed), which a test may stop and start, and an in-process {@link Cli} (cache under {@link #tmp}) with the
 * password of the cosign keys that {@link #keyPair} generates.
 */
abstract class RegistryCliTestBase {
    @TempDir
    Path tmp;
    RegistryServer registry;
    Cli cli;

    @BeforeEach
    void startRegistry() {
        assumeTrue(Files.isExecutable(RegistryServer.BINARY), "docker-registry is not installed");
        registry = RegistryServer.start(RegistryServer.Auth.NONE);
        cli = new Cli(tmp.resolve("cache"));
        cli.env().put("COSIGN_PASSWORD", "correct horse");
    }

    @AfterEach
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /** Generates a key pair under {@code tmp} and returns its prefix (the {@code .key} and {@code .pub} files). */
    String keyPair(String name) {
        String prefix = tmp.resolve(name).toString();
        Cli.Result gen = cli.run("generate-key-pair", "--output-key-prefix", prefix);
        assertEquals(0, gen.exitCode(), gen::toString);
        return prefix;
    }

    /** Pushes a real test plugin (single Wasm manifest) under {@code ref}, signs it with {@code key}, returns its digest. */
    String pushPlugin(String ref, String plugin, String key) {
        Cli.Result push = cli.run("push", ref, "--wasm", TestPlugins.path(plugin).toString());
        assertEquals(0, push.exitCode(), push::toString);
        Cli.Result sign = cli.run("sign", ref, "--key", key + ".key");
        assertEquals(0, sign.exitCode(), sign::toString);
        Matcher m = Pattern.compile("sha256:[0-9a-f]{64}").matcher(push.out() + push.err());
        assertTrue(m.find(), push::toString);
        return m.group();
    }
}
