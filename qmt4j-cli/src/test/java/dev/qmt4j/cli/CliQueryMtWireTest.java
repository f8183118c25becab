package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The provider commands speak QueryMT's wire format: {@code chat}, {@code models} and {@code call}
 * against qmt-strict, a test plugin that reads its input as serde with {@code deny_unknown_fields}
 * would (roles {@code "User"}/{@code "Assistant"}, content blocks, no unknown keys); {@code call}
 * passes its input as bytes; {@code chat} honours {@code supports_streaming}.
 */
class CliQueryMtWireTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private Path config(String extraConfig) throws IOException {
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, """
                [[providers]]
                name = "strict"
                path = "%s"
                [providers.config]
                model = "strict-small"
                %s
                """.formatted(TestPlugins.path(TestPlugins.QMT_STRICT), extraConfig));
        return cfg;
    }

    /** {@code qmt4j --config CFG ARGS...} on a fresh in-process CLI with its cache under {@link #tmp}. */
    private Cli.Result run(Path cfg, String... args) {
        List<String> command = new ArrayList<>(List.of("--config", cfg.toString()));
        command.addAll(List.of(args));
        return new Cli(tmp.resolve("cache")).run(command.toArray(String[]::new));
    }

    @Test
    void chatSendsQueryMtsChatMessages() throws Exception {
        Path cfg = config("");
        Cli.Result streamed = run(cfg, "chat", "strict", "Hello there");
        assertEquals(0, streamed.exitCode(), streamed.toString());
        assertEquals("strict: Hello there\n", streamed.out());

        Cli.Result whole = run(cfg, "chat", "strict", "Hello again", "--no-stream", "--system", "Be brief.");
        assertEquals(0, whole.exitCode(), whole.toString());
        assertEquals("strict: Hello again\n", whole.out());
    }

    @Test
    void modelsPassesTheConfigTheStrictPluginAccepts() throws Exception {
        Cli.Result r = run(config(""), "models", "strict");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("strict-small", "strict-large"), r.out().lines().toList());
    }

    @Test
    void callPassesTheInputAsBytes() throws Exception {
        Path cfg = config("");
        Cli.Result name = run(cfg, "call", "strict", "name");
        assertEquals(0, name.exitCode(), name.toString());
        assertEquals("qmt-strict\n", name.out());

        Cli.Result ok = run(cfg, "call", "strict", "from_config", "{\"model\":\"m\"}");
        assertEquals(0, ok.exitCode(), ok.toString());
        assertEquals("{\"model\":\"m\"}\n", ok.out());

        // The host does not judge the input: the plugin's own error comes back, with its exit code.
        Cli.Result notJson = run(cfg, "call", "strict", "from_config", "{not json");
        assertEquals(ErrorKind.PLUGIN.exitCode(), notJson.exitCode(), notJson.toString());
        assertTrue(notJson.err().contains("from_config failed") && notJson.err().contains("json_error")
                && notJson.err().contains("invalid JSON"), notJson.toString());
        assertFalse(notJson.err().contains("INPUT is not JSON"), notJson.toString());

        Cli.Result unknown = run(cfg, "call", "strict", "from_config", "{\"model\":\"m\",\"colour\":1}");
        assertEquals(ErrorKind.PLUGIN.exitCode(), unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("unknown field `colour`"), unknown.toString());

        // A chat request the way QueryMT writes it is accepted; the lower-case role is not.
        String request = "{\"cfg\":{\"model\":\"m\"},\"messages\":[{\"role\":\"User\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}";
        Cli.Result chat = run(cfg, "call", "strict", "chat", request);
        assertEquals(0, chat.exitCode(), chat.toString());
        assertEquals("strict: hi", MAPPER.readTree(chat.out()).get("text").stringValue());
        Cli.Result lower = run(cfg, "call", "strict", "chat", request.replace("\"User\"", "\"user\""));
        assertEquals(ErrorKind.PLUGIN.exitCode(), lower.exitCode(), lower.toString());
        assertTrue(lower.err().contains("unknown variant `user`, expected `User` or `Assistant`"), lower.toString());
    }

    @Test
    void callReadsStdinWithTheStdinFlag() throws Exception {
        Path cfg = config("");
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("{\"model\":\"from-stdin\"}".getBytes(StandardCharsets.UTF_8)));
            Cli.Result r = run(cfg, "call", "strict", "from_config", "--stdin");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("from-stdin", MAPPER.readTree(r.out()).get("model").stringValue());
        } finally {
            System.setIn(saved);
        }
        Cli.Result both = run(cfg, "call", "strict", "from_config", "{}", "--stdin");
        assertEquals(ErrorKind.USAGE.exitCode(), both.exitCode(), both.toString());
        assertTrue(both.err().contains("INPUT and --stdin exclude each other"), both.toString());
    }

    @Test
    void chatDoesNotStreamWhenSupportsStreamingSaysNo() throws Exception {
        Path cfg = config("streaming = false");
        Cli.Result r = run(cfg, "-v", "chat", "strict", "Hello there");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("strict: Hello there\n", r.out());
        assertTrue(r.err().contains("does not stream with this config"), r.toString());

        Cli.Result quiet = run(cfg, "chat", "strict", "Hello there");
        assertEquals(0, quiet.exitCode(), quiet.toString());
        assertEquals("strict: Hello there\n", quiet.out());
        assertFalse(quiet.err().contains("does not stream"), quiet.toString());
    }

    /** The typed request the host builds, as the strict plugin echoes it back through {@code call}. */
    @Test
    void helloStillAnswersTheTypedRequest() throws Exception {
        Path layout = CliHostCommandsTest.REPO.resolve("examples/providers.toml");
        Cli.Result r = run(layout, "chat", "hello", "Hello there", "--no-stream");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Hello from the hello plugin! You said: Hello there\n", r.out());
        JsonNode greet = MAPPER.readTree(run(layout, "call", "hello", "greet", "Ada").out());
        assertEquals("Hello, Ada!", greet.get("greeting").stringValue());
    }
}
