package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end against OCI image layouts written by its own {@code push}. */
class CliLayoutTest {
    @TempDir
    Path tmp;

    Cli cli;
    Path wasm;
    String layout;

    @BeforeEach
    void setUp() throws IOException {
        cli = new Cli(tmp.resolve("cache"));
        wasm = Fixtures.wasm(tmp, "plugin.wasm", 4096, 1);
        layout = "oci-layout://" + tmp.resolve("layout");
    }

    private String push(String... extra) {
        String[] args = new String[extra.length + 1];
        args[0] = "push";
        System.arraycopy(extra, 0, args, 1, extra.length);
        Cli.Result r = cli.run(args);
        assertEquals(0, r.exitCode(), r::toString);
        return r.out().strip();
    }

    @Test
    void pushThenPullWasmThenCacheHit() throws IOException {
        String digest = push(layout + ":1.0", "--wasm", wasm.toString(), "--annotation", "org.opencontainers.image.version=1.0");
        assertTrue(digest.startsWith("sha256:"), digest);

        Cli.Result first = cli.run("pull", "--insecure-skip-signature", layout + ":1.0");
        assertEquals(0, first.exitCode(), first::toString);
        Path plugin = Path.of(first.out().strip());
        assertEquals(Fixtures.sha256(wasm), Fixtures.sha256(plugin));
        assertTrue(first.err().contains("downloaded wasm plugin " + digest), first.err());
        assertTrue(first.err().contains("resolving " + layout), first.err());
        assertTrue(first.err().contains("done"), first.err());

        Cli.Result second = cli.run("pull", "--insecure-skip-signature", "--json", layout + ":1.0");
        assertEquals(0, second.exitCode(), second::toString);
        assertTrue(second.out().contains("\"digest\": \"" + digest + "\""), second.out());
        assertTrue(second.out().contains("\"type\": \"wasm\""), second.out());
        assertTrue(second.out().contains("\"cached\": true"), second.out());
        assertTrue(second.out().contains("\"path\": \"" + plugin + "\""), second.out());
        assertTrue(second.out().contains("\"reference\": \"" + layout + ":1.0\""), second.out());
        assertTrue(second.out().contains("\"warnings\": ["), second.out());
    }

    @Test
    void pullWithoutSkipIsRefusedWithHint() {
        push(layout + ":1.0", "--wasm", wasm.toString());
        Cli.Result r = cli.run("pull", layout + ":1.0");
        assertEquals(8, r.exitCode(), r::toString);
        assertTrue(r.err().contains("error: "), r.err());
        assertTrue(r.err().contains("hint: ") && r.err().contains("--insecure-skip-signature"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
        assertEquals("", r.out());
    }

    @Test
    void configCanSkipSignatureAndSetCacheDir() throws IOException {
        push(layout + ":1.0", "--wasm", wasm.toString());
        Path config = tmp.resolve("providers.toml");
        Files.writeString(config, "[oci]\ninsecure_skip_signature = true\ncache_dir = \"cfg-cache\"\n");
        cli.env().remove("QMT4J_CACHE_DIR");
        Cli.Result r = cli.run("--config", config.toString(), "pull", layout + ":1.0");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(Path.of(r.out().strip()).startsWith(tmp.resolve("cfg-cache")), r.out());

        Cli.Result path = cli.run("cache", "path", "--config", config.toString());
        assertEquals(tmp.resolve("cfg-cache").toString(), path.out().strip(), path::toString);
    }

    @Test
    void nativeIndexPicksRequestedPlatformAndRejectsUnknownOne() throws IOException {
        Path amd = Fixtures.library(tmp, "libp-amd64.so", "amd64");
        Path arm = Fixtures.library(tmp, "libp-arm64.so", "arm64");
        push(layout + ":2.0", "--platform", "linux/amd64=" + amd, "--platform", "linux/arm64=" + arm,
                "--wasm-fallback", wasm.toString());

        Cli.Result r = cli.run("pull", "--insecure-skip-signature", "--platform", "linux/arm64", "--json", layout + ":2.0");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("\"type\": \"native\""), r.out());
        assertTrue(r.out().contains("\"platform\": \"linux/arm64\""), r.out());
        String path = r.out().replaceAll("(?s).*\"path\": \"([^\"]+)\".*", "$1");
        assertEquals(Fixtures.sha256(arm), Fixtures.sha256(Path.of(path)));

        Cli.Result wasi = cli.run("pull", "--insecure-skip-signature", "--platform", "wasi/wasm", layout + ":2.0");
        assertEquals(0, wasi.exitCode(), wasi::toString);
        assertEquals(Fixtures.sha256(wasm), Fixtures.sha256(Path.of(wasi.out().strip())));

        // An explicitly requested platform the index lacks is an error, with or without a wasi/wasm entry.
        Cli.Result missing = cli.run("pull", "--insecure-skip-signature", "--platform", "windows/amd64", layout + ":2.0");
        assertEquals(9, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("wasi/wasm"), missing.err());
        push(layout + ":native-only", "--platform", "linux/amd64=" + amd, "--platform", "linux/arm64=" + arm);
        Cli.Result none = cli.run("pull", "--insecure-skip-signature", "--platform", "windows/amd64", layout + ":native-only");
        assertEquals(9, none.exitCode(), none::toString);
        assertTrue(none.err().contains("linux/amd64") && none.err().contains("linux/arm64"), none.err());
    }

    @Test
    void inspectShowsPlatformsLayersAndDetection() throws IOException {
        Path amd = Fixtures.library(tmp, "libp.so", "amd64");
        push(layout + ":3.0", "--platform", "linux/amd64=" + amd, "--wasm", wasm.toString(), "--annotation", "a=b");

        Cli.Result json = cli.run("inspect", "--json", layout + ":3.0");
        assertEquals(0, json.exitCode(), json::toString);
        assertTrue(json.out().contains("\"mediaType\": \"application/vnd.oci.image.index.v1+json\""), json.out());
        assertTrue(json.out().contains("\"platform\": \"linux/amd64\""), json.out());
        assertTrue(json.out().contains("\"platform\": \"wasi/wasm\""), json.out());
        assertTrue(json.out().contains("\"mediaType\": \"application/vnd.wasm.v1.layer+wasm\""), json.out());
        assertTrue(json.out().contains("\"detected\": {"), json.out());

        Cli.Result text = cli.run("inspect", "--platform", "wasi/wasm", layout + ":3.0");
        assertEquals(0, text.exitCode(), text::toString);
        assertTrue(text.out().contains("platforms:"), text.out());
        assertTrue(text.out().contains("detected (wasi/wasm): wasm"), text.out());
        // inspect never writes the cache
        assertFalse(Files.exists(tmp.resolve("cache").resolve("refs")), "inspect created a cache");
    }

    @Test
    void cacheLsRmPrune() throws IOException {
        push(layout + ":1.0", "--wasm", wasm.toString());
        Cli.Result pulled = cli.run("pull", "--insecure-skip-signature", "-q", layout + ":1.0");
        assertEquals(0, pulled.exitCode(), pulled::toString);
        // --quiet drops progress and status lines; warnings (here: verification skipped) stay.
        assertTrue(pulled.err().lines().allMatch(l -> l.startsWith("warning: ")), pulled.err());
        assertTrue(pulled.err().contains("warning: signature verification skipped"), pulled.err());
        Path plugin = Path.of(pulled.out().strip());

        Cli.Result ls = cli.run("cache", "ls");
        assertEquals(0, ls.exitCode(), ls::toString);
        assertTrue(ls.out().contains(layout + ":1.0"), ls.out());
        Cli.Result lsJson = cli.run("cache", "ls", "--json");
        assertTrue(lsJson.out().contains("\"type\": \"wasm\""), lsJson.out());
        assertTrue(lsJson.out().contains("\"path\": \"" + plugin + "\""), lsJson.out());

        Cli.Result rm = cli.run("cache", "rm", layout + ":1.0");
        assertEquals(0, rm.exitCode(), rm::toString);
        assertEquals(4, cli.run("cache", "rm", layout + ":1.0").exitCode());
        assertTrue(Files.exists(plugin), "rm keeps content until prune");

        Cli.Result prune = cli.run("cache", "prune");
        assertEquals(0, prune.exitCode(), prune::toString);
        assertFalse(Files.exists(plugin), "prune removed the unreferenced plugin");
        assertEquals("[]", cli.run("cache", "ls", "--json").out().strip());
    }
}
