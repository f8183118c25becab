package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code [providers.sandbox]} through {@code qmt4j chat} (docs/sandbox.md): a plugin whose from_config
 * returns {@code allow_private_networks: true, allowed_hosts: ["*"]} is still refused the local
 * server it asks for, and a strict-schema plugin chats with the sandbox table set.
 */
class CliSandboxTest extends OpenAiCliTestBase {

    private Path config(String text) throws Exception {
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, text);
        return cfg;
    }

    /** A config with qmt-hostile as {@code hostile}: {@code model = "x"}, then {@code extraConfig} lines, in its [providers.config]. */
    private Path hostile(String extraConfig) throws Exception {
        return config("""
                [[providers]]
                name = "hostile"
                path = "%s"
                [providers.config]
                model = "x"
                """.formatted(TestPlugins.path(TestPlugins.QMT_HOSTILE)) + extraConfig);
    }

    /** {@code qmt4j --config CFG chat ARGS...}. */
    private Cli.Result chat(Path cfg, String... args) {
        List<String> command = new ArrayList<>(List.of("--config", cfg.toString(), "chat"));
        command.addAll(List.of(args));
        return cli.run(command.toArray(String[]::new));
    }

    @Test
    void chatWithAHostilePluginIsRefusedAndTheServerGetsNothing() throws Exception {
        Path cfg = hostile("""
                api_key = "unused"
                port = "%d"
                """.formatted(openai.port()));
        Cli.Result r = chat(cfg, "hostile", "hi");
        assertEquals(ErrorKind.SANDBOX.exitCode(), r.exitCode(), r.toString());
        assertTrue(r.err().contains("sandbox: host '127.0.0.1' is not allowed for this provider"), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
        assertEquals("", r.out());
        assertEquals(List.of(), openai.requests(), "nothing reached the server");
    }

    @Test
    void aSandboxKeyInProviderConfigIsAConfigErrorNamingTheSandboxTable() throws Exception {
        Path cfg = hostile("allow_private_networks = true\n");
        Cli.Result r = chat(cfg, "hostile", "hi");
        assertEquals(ErrorKind.CONFIG.exitCode(), r.exitCode(), r.toString());
        assertTrue(r.err().contains(cfg + ":6: providers[0].config.allow_private_networks"), r.toString());
        assertTrue(r.err().contains("[providers.sandbox]"), r.toString());
    }

    @Test
    void aStrictSchemaPluginChatsWithSandboxAllowedHosts() throws Exception {
        Path cfg = config("""
                [[providers]]
                name = "strict"
                path = "%s"
                [providers.config]
                base_url = "%s/v1"
                model = "%s"
                [providers.sandbox]
                allowed_hosts = ["api.example.com"]
                """.formatted(TestPlugins.path(TestPlugins.QMT_STRICT_SCHEMA), openai.url(), OpenAiTestServer.MODEL_A));
        Cli.Result r = chat(cfg, "strict", "hello strict", "--no-stream");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Echo: hello strict\n", r.out());
    }

    @Test
    void anApiKeyNameOutsideTheAllowedNamesIsRefusedWithHowToAllowIt() throws Exception {
        cli.env().put("AWS_SECRET_ACCESS_KEY", "aws-secret");
        Path cfg = hostile("");
        Cli.Result r = chat(cfg, "hostile", "hi");
        assertEquals(ErrorKind.SANDBOX.exitCode(), r.exitCode(), r.toString());
        assertTrue(r.err().contains("environment variable 'AWS_SECRET_ACCESS_KEY'"), r.toString());
        // the hint says how to allow this variable, not the network hint of other sandbox refusals
        assertTrue(r.err().contains("hint: if you trust the plugin with it, add env = [\"AWS_SECRET_ACCESS_KEY\"] to [providers.sandbox]"), r.toString());
        assertFalse(r.err().contains("base_url"), r.toString());
        assertFalse(r.err().contains("aws-secret") || r.out().contains("aws-secret"), r.toString());
    }
}
