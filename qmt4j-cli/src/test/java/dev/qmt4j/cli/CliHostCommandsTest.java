package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The provider commands in-process: providers, models, chat, call, doctor, completion, and the README's main job. */
class CliHostCommandsTest extends OpenAiCliTestBase {
    /** The repository root (the tests run in qmt4j-cli/). */
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** A config with the qmt-openai test plugin (local file, backend on 127.0.0.1), a missing file and the example layout. */
    private Path config(boolean withBroken) throws IOException {
        Path cfg = tmp.resolve("providers.toml");
        String layout = REPO.resolve("examples/layout").toString();
        String pub = REPO.resolve("examples/keys/cosign.pub").toString();
        Files.writeString(cfg, """
                [[providers]]
                name = "openai"
                path = "%s"
                [providers.config]
                base_url = "%s/v1"
                model = "%s"
                %s
                [[providers]]
                name = "hello"
                path = "oci-layout://%s:0.1.0"
                [providers.verify]
                public_key = "%s"
                """.formatted(TestPlugins.path(TestPlugins.QMT_OPENAI), openai.url(), OpenAiTestServer.MODEL_A,
                withBroken ? "\n[[providers]]\nname = \"broken\"\npath = \"missing/plugin.wasm\"\n" : "", layout, pub));
        return cfg;
    }

    @Test
    void providersJsonListsEachProviderWithItsStatus() throws Exception {
        Cli.Result r = cli.run("--config", config(true).toString(), "providers", "--json");
        assertEquals(ErrorKind.NOT_FOUND.exitCode(), r.exitCode(), r.toString());
        JsonNode rows = MAPPER.readTree(r.out());
        assertEquals(3, rows.size(), r.toString());

        JsonNode openaiRow = rows.get(0);
        assertEquals("openai", openaiRow.get("name").stringValue());
        assertEquals("wasm", openaiRow.get("type").stringValue());
        assertEquals("local", openaiRow.get("source").stringValue());
        assertEquals("ok", openaiRow.get("status").stringValue());
        assertTrue(openaiRow.get("digest").stringValue().startsWith("sha256:"));
        assertTrue(openaiRow.get("signer").isNull());

        JsonNode broken = rows.get(1);
        assertEquals("broken", broken.get("name").stringValue());
        assertEquals("error", broken.get("status").stringValue());
        assertTrue(broken.get("error").stringValue().contains("local plugin file not found"), broken.toString());
        assertTrue(broken.get("error").stringValue().contains("missing/plugin.wasm"), broken.toString());
        assertEquals("not_found", broken.get("error_kind").stringValue(), broken.toString());
        assertEquals(4, broken.get("exit_code").asInt(), broken.toString());

        JsonNode hello = rows.get(2);
        assertEquals("layout", hello.get("source").stringValue());
        assertEquals("ok", hello.get("status").stringValue(), hello.toString());
        assertTrue(hello.get("signer").stringValue().contains("signed with key"), hello.toString());
    }

    @Test
    void providersTextExitsZeroWhenAllLoad() throws Exception {
        Cli.Result r = cli.run("--config", config(false).toString(), "providers");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("openai  wasm  local ") && l.endsWith("ok")), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("hello  wasm  layout ") && l.endsWith("ok")), r.toString());
    }

    @Test
    void chatStreamsTheBackendsReply() throws Exception {
        Cli.Result r = cli.run("--config", config(false).toString(), "chat", "openai", "Hello streaming world");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Echo: Hello streaming world\n", r.out());
        // Streamed: the backend saw a stream request.
        assertTrue(openai.requests().stream().anyMatch(q -> q.bodyText().contains("\"stream\":true")), openai.requests().toString());
    }

    @Test
    void chatNoStreamAndModelAndSystem() throws Exception {
        Cli.Result r = cli.run("--config", config(false).toString(), "chat", "openai", "hi there", "--no-stream",
                "--model", OpenAiTestServer.MODEL_B, "--system", "be brief");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Echo: hi there\n", r.out());
        String body = openai.requests().get(openai.requests().size() - 1).bodyText();
        assertTrue(body.contains(OpenAiTestServer.MODEL_B), body);
        assertTrue(body.contains("be brief"), body);
        assertFalse(body.contains("\"stream\":true"), body);
    }

    @Test
    void chatReadsThePromptFromStdin() throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("from stdin\n".getBytes(StandardCharsets.UTF_8)));
            Cli.Result r = cli.run("--config", config(false).toString(), "chat", "openai");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("Echo: from stdin\n", r.out());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void chatWithAnUnknownProviderSaysWhichAreConfigured() throws Exception {
        Cli.Result r = cli.run("--config", config(false).toString(), "chat", "nope", "hi");
        assertEquals(ErrorKind.NOT_FOUND.exitCode(), r.exitCode(), r.toString());
        assertTrue(r.err().contains("no provider named 'nope'") && r.err().contains("openai, hello"), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r);
    }

    @Test
    void modelsListsTheBackendsModels() throws Exception {
        Cli.Result r = cli.run("--config", config(false).toString(), "models", "openai");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(openai.models(), r.out().lines().toList());
    }

    @Test
    void modelsWithoutAProviderListsEveryProviderAsNameColonModel() throws Exception {
        Cli.Result r = cli.run("--config", config(true).toString(), "models");
        // openai's models as chat takes them; broken cannot load: said on stderr, the others still listed,
        // and the exit code is its error's.
        assertEquals(ErrorKind.NOT_FOUND.exitCode(), r.exitCode(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.containsAll(openai.models().stream().map(m -> "openai:" + m).toList()), r.toString());
        assertEquals(openai.models().size(), lines.size(), "hello has no list_models: left out, " + r);
        assertTrue(r.err().contains("models: provider 'broken'") && !r.err().contains("'hello'"), r.toString());

        Cli.Result json = cli.run("--config", config(false).toString(), "models", "--json");
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode all = MAPPER.readTree(json.out());
        assertEquals(openai.models().size(), all.get("openai").size(), json.toString());
        assertFalse(all.has("hello"), json.toString());
    }

    @Test
    void callRunsARawPluginFunction() throws Exception {
        Path cfg = config(false);
        Cli.Result name = cli.run("--config", cfg.toString(), "call", "hello", "name");
        assertEquals(0, name.exitCode(), name.toString());
        assertEquals("hello\n", name.out());

        // INPUT is bytes, as with extism call: greet gets Ada, not "Ada".
        Cli.Result greet = cli.run("--config", cfg.toString(), "call", "hello", "greet", "Ada");
        assertEquals(0, greet.exitCode(), greet.toString());
        assertEquals("Hello, Ada!", MAPPER.readTree(greet.out()).get("greeting").stringValue());

        Cli.Result missing = cli.run("--config", cfg.toString(), "call", "hello", "no_such_export");
        assertEquals(ErrorKind.PLUGIN.exitCode(), missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("no function 'no_such_export'"), missing.toString());

        // Nothing is parsed by the host: text that is not JSON reaches the plugin as it is.
        Cli.Result text = cli.run("--config", cfg.toString(), "call", "hello", "greet", "{not json");
        assertEquals(0, text.exitCode(), text.toString());
        assertEquals("Hello, {not json!", MAPPER.readTree(text.out()).get("greeting").stringValue());
    }

    @Test
    void doctorOnAGoodConfig() throws Exception {
        Cli.Result r = cli.run("--config", config(false).toString(), "doctor");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("ok    config: ") && r.out().contains("(--config), 2 provider(s)"), r.toString());
        assertTrue(r.out().contains("ok    cache: "), r.toString());
        assertTrue(r.out().contains("ok    trust root hello: public key"), r.toString());
        assertTrue(r.out().contains("ok    provider openai: loads"), r.toString());
        assertTrue(r.out().contains("ok    provider hello: loads"), r.toString());
    }

    @Test
    void doctorFailsOnABrokenProviderAndOnAMissingConfig() throws Exception {
        Cli.Result r = cli.run("--config", config(true).toString(), "doctor");
        assertNotEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("fail  provider broken: ") && r.out().contains("local plugin file not found"), r.toString());

        Cli.Result none = cli.run("--config", tmp.resolve("nope.toml").toString(), "doctor");
        assertNotEquals(0, none.exitCode(), none.toString());
        assertTrue(none.out().contains("fail  config: "), none.toString());
    }

    @Test
    void configIsDiscoveredWithoutTheFlag() throws Exception {
        cli.env().put("QMT4J_CONFIG", config(false).toString());
        Cli.Result r = cli.run("doctor");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("($QMT4J_CONFIG)"), r.toString());
    }

    @Test
    void completionPrintsABashScript() {
        Cli.Result r = cli.run("completion", "bash");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("complete -F"), r.toString());
        assertTrue(r.out().contains("providers") && r.out().contains("doctor") && r.out().contains("chat"), "subcommands listed");
    }

    /** The README's quick start: a verified, streamed chat with the example plugin from the example config. */
    @Test
    void readmeMainJob() {
        Cli.Result r = cli.run("--config", REPO.resolve("examples/providers.toml").toString(), "chat", "hello", "Hello there");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Hello from the hello plugin! You said: Hello there\n", r.out());
    }
}
