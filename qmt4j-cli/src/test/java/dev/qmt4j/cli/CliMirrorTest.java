package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.testkit.FaultProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect --route}, {@code pull -v} naming the source, {@code doctor} checking mirrors, and the blocked exit code. */
class CliMirrorTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @TempDir
    Path tmp;

    private Path config(String mirrorHost, String mode, boolean blocked) throws IOException {
        return Files.writeString(tmp.resolve("qmt.toml"), """
                [oci]
                insecure_skip_signature = true

                [[oci.registry]]
                prefix = "%s/fleet"
                blocked = %s
                [[oci.registry.mirror]]
                location = "%s/fleet"
                pull-from-mirror = "%s"
                """.formatted(registry.host(), blocked, mirrorHost, mode));
    }

    @Test
    void inspectRouteExplainsEachSource() throws IOException {
        Path cfg = config("mirror.corp:5000", "digest-only", false);
        Cli cli = new Cli(tmp.resolve("cache"));
        Cli.Result tag = cli.run("--config", cfg.toString(), "inspect", "--route", "oci://" + registry.host() + "/fleet/p:1");
        assertEquals(0, tag.exitCode(), tag::toString);
        String[] lines = tag.out().split("\n");
        assertTrue(lines[1].contains("1. mirror  mirror.corp:5000/fleet/p") && lines[1].contains("digest-only")
                && lines[1].contains("never sent the tag"), tag.out());
        assertTrue(lines[2].contains("2. primary " + registry.host() + "/fleet/p") && lines[2].contains("resolves the tag"), tag.out());

        Cli.Result json = cli.run("--config", cfg.toString(), "inspect", "--route", "--json",
                "oci://" + registry.host() + "/fleet/p@sha256:" + "ab".repeat(32));
        assertEquals(0, json.exitCode(), json::toString);
        assertTrue(json.out().contains("\"resolvesReference\": true"), json.out());

        Cli.Result none = cli.run("--config", cfg.toString(), "inspect", "--route", "oci://" + registry.host() + "/other/p:1");
        assertTrue(none.out().contains("no [[oci.registry]] prefix matches"), none.out());
    }

    @Test
    void pushAndSignNeverGoThroughAMirror() throws Exception {
        Cli cli = new Cli(tmp.resolve("cache"));
        Path wasm = Fixtures.wasm(tmp, "p.wasm", 5_000, 12);
        try (FaultProxy mirror = FaultProxy.to(registry.host())) {
            Path cfg = config(mirror.host(), "all", false);
            String ref = "oci://" + registry.host() + "/fleet/pushed:1";
            Cli.Result push = cli.run("--config", cfg.toString(), "push", ref, "--wasm", wasm.toString());
            assertEquals(0, push.exitCode(), push::toString);
            cli.env().put("COSIGN_PASSWORD", "pw");
            Cli.Result keys = cli.run("generate-key-pair", "--output-key-prefix", tmp.resolve("k").toString());
            assertEquals(0, keys.exitCode(), keys::toString);
            Cli.Result sign = cli.run("--config", cfg.toString(), "sign", "--key", tmp.resolve("k.key").toString(),
                    "oci://" + registry.host() + "/fleet/pushed@" + push.out().strip());
            assertEquals(0, sign.exitCode(), sign::toString);
            assertEquals(List.of(), mirror.requests(), "a write went to the mirror");
        }
    }

    @Test
    void pullVerboseNamesTheSourceAndDoctorChecksMirrors() throws Exception {
        Cli cli = new Cli(tmp.resolve("cache"));
        Path wasm = Fixtures.wasm(tmp, "plugin.wasm", 20_000, 11);
        String ref = "oci://" + registry.host() + "/fleet/wasm:1.0";
        assertEquals(0, cli.run("push", ref, "--wasm", wasm.toString()).exitCode());
        try (FaultProxy mirror = FaultProxy.to(registry.host())) {
            Path cfg = config(mirror.host(), "all", false);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = tmp.resolve("pull.log");
            Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "-v", "--config", cfg.toString(), "--cache-dir", tmp.resolve("c2").toString(), "pull", ref)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = Files.readString(log);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("manifest 1.0 of " + registry.host() + "/fleet/wasm from mirror " + mirror.host() + "/fleet/wasm"), out);
            assertTrue(out.contains("blob " + Fixtures.sha256(wasm) + " of " + registry.host() + "/fleet/wasm from mirror"), out);

            Cli.Result ok = cli.run("--config", cfg.toString(), "doctor");
            assertTrue(ok.out().contains("ok    mirror " + mirror.host() + "/fleet (all, for " + registry.host() + "/fleet): reachable"), ok::toString);
            mirror.down();
            Cli.Result down = cli.run("--config", cfg.toString(), "doctor");
            assertTrue(down.out().contains("warn  mirror " + mirror.host() + "/fleet"), down::toString);

            Path blocked = config(mirror.host(), "all", true);
            Cli.Result pull = cli.run("--config", blocked.toString(), "pull", ref);
            assertEquals(15, pull.exitCode(), pull::toString);
            assertTrue(pull.err().contains("is blocked"), pull::toString);
            Cli.Result failed = cli.run("--config", blocked.toString(), "doctor");
            assertTrue(failed.out().contains("fail  mirror " + mirror.host()), failed::toString);
        }
    }
}
