package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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

    /** Publishes qmt-openai as "remote" and writes a config for it; the provider is loaded once (cached). */
    private Path remoteConfig(Cli cli, String ref) throws Exception {
        assertEquals(0, cli.run("push", "oci://" + ref, "--wasm", TestPlugins.path(TestPlugins.QMT_OPENAI).toString()).exitCode());
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, """
                [[providers]]
                name = "remote"
                path = "oci://%s"

                [oci]
                insecure_skip_signature = true
                refresh = "never"
                """.formatted(ref));
        Cli.Result providers = cli.run("--config", cfg.toString(), "providers");
        assertEquals(0, providers.exitCode(), providers.toString());
        return cfg;
    }

    /** The progress bar's final rendering for {@code name}: 100%, bytes done/total, a rate. */
    private static final String BAR = "(?s).*\r%s +100%% \\[=+\\] (\\d+)/\\1KiB \\(.*\\) \\S*KiB/s.*";

    @Test
    void updateDrawsABarPerProviderOnATerminalAndPlainLinesOtherwise() throws Exception {
        Cli cli = new Cli(tmp.resolve("cache"));
        String ref = registry.host() + "/cli/progress:1";
        Path cfg = remoteConfig(cli, ref);
        String updated = "remote: updated sha256:[0-9a-f]{64} -> sha256:[0-9a-f]{64}\n";

        assertEquals(0, cli.run("push", "oci://" + ref, "--wasm", TestPlugins.path(TestPlugins.QMT_LEGACY).toString()).exitCode());
        Cli.Result bar = cli.terminal(true).run("--config", cfg.toString(), "update");
        assertEquals(0, bar.exitCode(), bar.toString());
        assertTrue(bar.out().matches(updated), "stdout is the same on a terminal: " + bar);
        assertTrue(bar.err().matches(BAR.formatted("remote")), "a bar labelled with the provider: " + bar);
        assertFalse(bar.err().contains("remote: downloading"), "no plain download lines with a bar: " + bar);

        assertEquals(0, cli.run("push", "oci://" + ref, "--wasm", TestPlugins.path(TestPlugins.QMT_OPENAI).toString()).exitCode());
        Cli.Result plain = cli.terminal(false).run("--config", cfg.toString(), "update");
        assertEquals(0, plain.exitCode(), plain.toString());
        assertTrue(plain.out().matches(updated), plain.toString());
        assertTrue(plain.err().contains("remote: downloading "), plain.toString());
        assertTrue(plain.err().contains("remote:   100% ("), plain.toString());
        assertTrue(plain.err().contains("remote: done\n"), plain.toString());
        assertFalse(plain.err().contains("\r") || plain.err().contains("[=") || plain.err().contains("KiB/s"),
                "no bar characters off a terminal: " + plain);

        Cli.Result quiet = cli.terminal(true).run("--quiet", "--config", cfg.toString(), "update");
        assertEquals(0, quiet.exitCode(), quiet.toString());
        assertTrue(quiet.out().startsWith("remote: unchanged sha256:"), quiet.toString());
        assertEquals("", quiet.err(), "--quiet draws nothing, even on a terminal");
    }

    /** The real terminal check: the CLI as a child JVM under a pseudo-terminal made by util-linux script(1). */
    @Test
    void updateUnderAPseudoTerminalDrawsTheBar() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(script), "util-linux script is not installed");
        Cli cli = new Cli(tmp.resolve("cache"));
        String ref = registry.host() + "/cli/pty:1";
        Path cfg = remoteConfig(cli, ref);
        assertEquals(0, cli.run("push", "oci://" + ref, "--wasm", TestPlugins.path(TestPlugins.QMT_LEGACY).toString()).exitCode());

        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--config", cfg.toString(), "update");
        String shell = command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        Path log = tmp.resolve("pty.log");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qec", shell, "/dev/null")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(cli.env());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child update finished");
        } finally {
            p.destroyForcibly();
        }
        String output = Files.readString(log).replace("\r\n", "\n");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("remote: updated sha256:"), output);
        assertTrue(output.matches(BAR.formatted("remote")), "the bar, drawn for a real terminal: " + output);
    }
}
