package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qmt4j update} and {@code doctor} against a real registry (CNCF Distribution on 127.0.0.1). */
class CliHostUpdateTest {
    @TempDir
    Path tmp;
    private RegistryServer registry;

    @BeforeEach
    void start() {
        assumeTrue(Files.isExecutable(RegistryServer.BINARY), "docker-registry is not installed");
        registry = RegistryServer.start(RegistryServer.Auth.NONE);
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void updateReportsUnchangedUpdatedAndFailed() throws Exception {
        Cli cli = new Cli(tmp.resolve("cache"));
        String ref = registry.host() + "/cli/hosted:1";
        Cli.Result push = cli.run("push", "oci://" + ref, "--wasm", TestPlugins.path(TestPlugins.QMT_OPENAI).toString());
        assertEquals(0, push.exitCode(), push.toString());
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, """
                [[providers]]
                name = "remote"
                path = "oci://%s"

                [[providers]]
                name = "local"
                path = "%s"

                [oci]
                insecure_skip_signature = true
                refresh = "never"
                """.formatted(ref, TestPlugins.path(TestPlugins.QMT_OPENAI)));

        Cli.Result same = cli.run("--config", cfg.toString(), "update");
        assertEquals(0, same.exitCode(), same.toString());
        assertTrue(same.out().startsWith("remote: unchanged sha256:"), same.toString());
        assertEquals(1, same.out().lines().count(), "only OCI providers by default: " + same);
        assertTrue(same.err().contains("remote: updating"), "progress on stderr: " + same);

        Cli.Result push2 = cli.run("push", "oci://" + ref, "--wasm", TestPlugins.path(TestPlugins.QMT_LEGACY).toString());
        assertEquals(0, push2.exitCode(), push2.toString());
        Cli.Result changed = cli.run("--config", cfg.toString(), "update", "remote");
        assertEquals(0, changed.exitCode(), changed.toString());
        assertTrue(changed.out().matches("(?s)remote: updated sha256:[0-9a-f]{64} -> sha256:[0-9a-f]{64}\n"), changed.toString());

        Cli.Result doctor = cli.run("--config", cfg.toString(), "doctor");
        assertTrue(doctor.out().contains("ok    registry " + registry.host() + ": reachable"), doctor.toString());
        assertTrue(doctor.out().contains("warn  credentials " + registry.host() + ": none found"), doctor.toString());

        registry.stop();
        Cli.Result failed = cli.run("--config", cfg.toString(), "update");
        assertNotEquals(0, failed.exitCode(), failed.toString());
        assertTrue(failed.out().startsWith("remote: failed: "), failed.toString());

        Cli.Result doctorDown = cli.run("--config", cfg.toString(), "doctor");
        assertNotEquals(0, doctorDown.exitCode(), doctorDown.toString());
        assertTrue(doctorDown.out().contains("fail  registry " + registry.host()), doctorDown.toString());
    }
}
