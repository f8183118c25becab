package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testkit.ExampleProgram;
import dev.qmt4j.testkit.ExampleProgram.Run;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/java-app/Chat.java as a user runs it: compiled against this module's class path, then
 * run as a child JVM with a real plugin (qmt-openai against the OpenAI test server, and the
 * README's signed hello layout), so the example cannot rot unnoticed.
 */
class ExampleChatAppTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    static Path classes;
    private static OpenAiTestServer openai;

    @TempDir
    Path tmp;

    @BeforeAll
    static void compile() {
        openai = OpenAiTestServer.start();
        ExampleProgram.Compilation c = ExampleProgram.compile(REPO.resolve("examples/java-app/Chat.java"), classes);
        assertTrue(c.ok(), "Chat.java compiles without warnings:\n" + c.diagnostics());
    }

    @AfterAll
    static void stop() {
        openai.close();
    }

    private Run chat(String... args) {
        return ExampleProgram.run(classes, "Chat", tmp, Map.of("OPENAI_API_KEY", openai.apiKey()), List.of(args));
    }

    private Path config() throws Exception {
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, """
                [[providers]]
                name = "openai"
                path = "%s"
                [providers.config]
                base_url = "%s/v1"

                [[providers]]
                name = "broken"
                path = "missing.wasm"
                """.formatted(TestPlugins.path(TestPlugins.QMT_OPENAI), openai.url()));
        return cfg;
    }

    @Test
    void streamsTheReplyAndListsTheProvidersThatFailedToLoad() throws Exception {
        Run run = chat(config().toString(), "openai", OpenAiTestServer.MODEL_B, "Hello there");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("Echo: Hello there\n", run.out(), run.toString());
        assertEquals("not loaded: provider 'broken' in " + config() + ": local plugin file not found: " + tmp.resolve("missing.wasm") + "\n",
                run.err(), run.toString());
        OpenAiTestServer.RecordedRequest sent = openai.requests().get(openai.requests().size() - 1);
        assertTrue(sent.bodyText().contains("\"" + OpenAiTestServer.MODEL_B + "\""), "the model argument is used: " + sent.bodyText());
        assertTrue(sent.bodyText().contains("\"stream\":true"), "the reply is streamed: " + sent.bodyText());
    }

    @Test
    void aBrokenProviderIsAnErrorWithItsExitCodeAndNoStackTrace() throws Exception {
        Run run = chat(config().toString(), "broken", "any", "Hello there");
        assertEquals(ErrorKind.NOT_FOUND.exitCode(), run.exitCode(), run.toString());
        assertEquals("", run.out(), run.toString());
        assertTrue(run.err().contains("error: provider 'broken' in "), run.toString());
        assertTrue(run.err().contains(": local plugin file not found: "), run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run);

        Run unknown = chat(config().toString(), "nope", "any", "Hello there");
        assertEquals(ErrorKind.NOT_FOUND.exitCode(), unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("error: no provider named 'nope'"), unknown.toString());
        assertTrue(unknown.err().contains("hint: configured: openai, broken"), unknown.toString());
    }

    @Test
    void theReadmeCommandChatsWithTheSignedExampleLayout() throws Exception {
        // examples/java-app/README.md: Chat.java examples/providers.toml hello any "Hello there"
        Run run = chat(REPO.resolve("examples/providers.toml").toString(), "hello", "any", "Hello there");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("Hello from the hello plugin! You said: Hello there\n", run.out(), run.toString());
        assertEquals("", run.err(), run.toString());
    }
}
