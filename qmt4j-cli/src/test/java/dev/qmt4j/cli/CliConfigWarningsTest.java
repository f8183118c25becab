package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys qmt4j does not know: QueryMT ignores them, so a QueryMT config loads, with one warning per key
 * ({@code file:line}, "did you mean"); {@code --strict} or {@code strict = true} makes them errors (exit 3).
 * Keys in {@code [providers.config]} are the plugin's and never warned about here.
 */
class CliConfigWarningsTest {
    @TempDir
    Path tmp;

    private Cli cli() {
        return new Cli(tmp.resolve("cache"));
    }

    private Path config(String top) throws IOException {
        return Files.writeString(tmp.resolve("providers.toml"), top + """
                [[providers]]
                name = "strict"
                path = "%s"
                plaform = "wasi/wasm"
                [providers.config]
                model = "strict-small"
                """.formatted(TestPlugins.path(TestPlugins.QMT_STRICT)));
    }

    @Test
    void unknownKeysAreWarnedAboutOnceAndTheFileLoads() throws Exception {
        Path cfg = config("");
        Cli.Result r = cli().run("--config", cfg.toString(), "-q", "providers");
        assertEquals(0, r.exitCode(), r.toString());
        String warning = "warning: " + cfg + ":4: providers[0].plaform: unknown key 'plaform' in providers[0]"
                + " (ignored; did you mean 'platform'?)";
        assertTrue(r.err().contains(warning), r.toString());
        assertEquals(1, r.err().split("unknown key", -1).length - 1, "printed once: " + r);

        Cli.Result chat = cli().run("--config", cfg.toString(), "chat", "strict", "Hello there");
        assertEquals(0, chat.exitCode(), chat.toString());
        assertEquals("strict: Hello there\n", chat.out());
        assertTrue(chat.err().contains(warning), chat.toString());

        Cli.Result doctor = cli().run("--config", cfg.toString(), "doctor");
        assertTrue(doctor.out().contains("providers[0].plaform: unknown key 'plaform'"), doctor.toString());
    }

    @Test
    void strictOptionOrKeyMakesThemErrors() throws Exception {
        Path cfg = config("");
        Cli.Result r = cli().run("--strict", "--config", cfg.toString(), "providers");
        assertEquals(ErrorKind.CONFIG.exitCode(), r.exitCode(), r.toString());
        assertTrue(r.err().contains("error: " + cfg + ":4: providers[0].plaform: unknown key 'plaform' in providers[0]"), r.toString());
        assertTrue(r.err().contains("hint: did you mean 'platform'?"), r.toString());
        assertFalse(r.err().contains("warning:"), r.toString());

        // Also after the command, and for a discovered config.
        Cli discovered = cli();
        discovered.env().put("QMT_PROVIDER_CONFIG", cfg.toString());
        Cli.Result after = discovered.run("chat", "strict", "hi", "--strict");
        assertEquals(ErrorKind.CONFIG.exitCode(), after.exitCode(), after.toString());

        Path keyed = config("strict = true\n");
        Cli.Result byKey = cli().run("--config", keyed.toString(), "providers");
        assertEquals(ErrorKind.CONFIG.exitCode(), byKey.exitCode(), byKey.toString());
        assertTrue(byKey.err().contains(keyed + ":5: providers[0].plaform: unknown key"), byKey.toString());
    }

    @Test
    void sandboxKeysStayStrict() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("providers.toml"), """
                [[providers]]
                name = "strict"
                path = "%s"
                [providers.sandbox]
                alowed_hosts = ["api.example.com"]
                """.formatted(TestPlugins.path(TestPlugins.QMT_STRICT)));
        Cli.Result r = cli().run("--config", cfg.toString(), "providers");
        assertEquals(ErrorKind.CONFIG.exitCode(), r.exitCode(), r.toString());
        assertTrue(r.err().contains(cfg + ":5: providers[0].sandbox.alowed_hosts: unknown key"), r.toString());
        assertTrue(r.err().contains("did you mean 'allowed_hosts'?"), r.toString());
    }

    /**
     * A provider's verify block is read with the config, like {@code [oci]}: a misspelt or mistyped key is an error
     * naming file and line for every command (it used to surface only when that provider was pulled), and
     * {@code -v} notes a block whose {@code cert_url} leaves the issuer to QueryMT's GitHub Actions default.
     */
    @Test
    void verifyBlockKeysAreCheckedWhenTheConfigIsRead() throws Exception {
        String head = """
                [[providers]]
                name = "strict"
                path = "%s"
                [providers.verify]
                """.formatted(TestPlugins.path(TestPlugins.QMT_STRICT));
        Path misspelt = Files.writeString(tmp.resolve("providers.toml"), head + "cert_isuer = \"https://issuer.example\"\n");
        Cli.Result r = cli().run("--config", misspelt.toString(), "providers");
        assertEquals(ErrorKind.CONFIG.exitCode(), r.exitCode(), r.toString());
        assertTrue(r.err().contains(misspelt + ":5: providers[0].verify.cert_isuer: unknown key"), r.toString());
        assertTrue(r.err().contains("did you mean 'cert_issuer'?"), r.toString());

        Path mistyped = Files.writeString(tmp.resolve("providers.toml"), head + "require_tlog = \"yes\"\n");
        Cli.Result t = cli().run("--config", mistyped.toString(), "providers");
        assertEquals(ErrorKind.CONFIG.exitCode(), t.exitCode(), t.toString());
        assertTrue(t.err().contains(mistyped + ":5: providers[0].verify.require_tlog: expected true or false"), t.toString());

        Path noIssuer = Files.writeString(tmp.resolve("providers.toml"),
                head + "cert_url = \"https://github.com/acme/p/.github/workflows/r.yml@refs/tags/v1\"\n");
        Cli.Result v = cli().run("--config", noIssuer.toString(), "-v", "providers");
        assertEquals(0, v.exitCode(), v.toString());
        assertTrue(v.err().contains("note: " + noIssuer + ": the verify block of provider 'strict' has no cert_issuer"), v.toString());
    }
}
