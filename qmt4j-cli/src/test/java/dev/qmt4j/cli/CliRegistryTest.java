package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process against a real registry (CNCF Distribution on 127.0.0.1). */
class CliRegistryTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @TempDir
    Path tmp;

    @Test
    void pushInspectPullAndCacheHitThroughRegistry() throws IOException {
        Cli cli = new Cli(tmp.resolve("cache"));
        Path wasm = Fixtures.wasm(tmp, "plugin.wasm", 20_000, 7);
        String ref = "oci://" + registry.host() + "/cli/wasm:1.0";

        Cli.Result push = cli.run("push", ref, "--wasm", wasm.toString());
        assertEquals(0, push.exitCode(), push::toString);
        String digest = push.out().strip();

        Cli.Result inspect = cli.run("inspect", "--json", ref);
        assertEquals(0, inspect.exitCode(), inspect::toString);
        assertTrue(inspect.out().contains("\"digest\": \"" + digest + "\""), inspect.out());
        assertTrue(inspect.out().contains("\"mt.query.plugin.type\": \"extism\""), inspect.out());
        assertTrue(inspect.out().contains("\"type\": \"wasm\""), inspect.out());

        Cli.Result pull = cli.run("pull", "--insecure-skip-signature", "--json", ref);
        assertEquals(0, pull.exitCode(), pull::toString);
        assertTrue(pull.out().contains("\"cached\": false"), pull.out());
        String path = pull.out().replaceAll("(?s).*\"path\": \"([^\"]+)\".*", "$1");
        assertEquals(Fixtures.sha256(wasm), Fixtures.sha256(Path.of(path)));

        Cli.Result hit = cli.run("pull", "--insecure-skip-signature", ref);
        assertEquals(0, hit.exitCode(), hit::toString);
        assertEquals(path, hit.out().strip());
        assertTrue(hit.err().contains("cached wasm plugin " + digest), hit.err());
    }

    @Test
    void unknownTagIsNotFoundAndBadPlatformListsOffered() throws IOException {
        Cli cli = new Cli(tmp.resolve("cache"));
        Cli.Result missing = cli.run("pull", "--insecure-skip-signature", "oci://" + registry.host() + "/cli/none:1");
        assertEquals(4, missing.exitCode(), missing::toString);

        Path lib = Fixtures.library(tmp, "libx.so", "x");
        String ref = "oci://" + registry.host() + "/cli/native:1";
        assertEquals(0, cli.run("push", ref, "--platform", "linux/amd64=" + lib, "--platform", "linux/arm64=" + lib).exitCode());
        Cli.Result none = cli.run("pull", "--insecure-skip-signature", "--platform", "darwin/arm64", ref);
        assertEquals(9, none.exitCode(), none::toString);
        assertTrue(none.err().contains("linux/amd64") && none.err().contains("linux/arm64"), none.err());
    }

    @Test
    void unreachableRegistryIsNetworkError() throws IOException {
        Cli cli = new Cli(tmp.resolve("cache"));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result r = cli.run("pull", "--insecure-skip-signature", "oci://127.0.0.1:" + port + "/cli/x:1");
        assertEquals(6, r.exitCode(), r::toString);
    }
}
