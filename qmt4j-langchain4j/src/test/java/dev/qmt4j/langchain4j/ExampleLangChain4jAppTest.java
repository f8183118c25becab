package dev.qmt4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testkit.ExampleProgram;
import dev.qmt4j.testkit.ExampleProgram.Run;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/langchain4j-app/Assistant.java as a user runs it: compiled against this module's test
 * class path (which has LangChain4j's AiServices), then run as a child JVM with the README's
 * command (the signed hello layout of examples/providers.toml), with qmt-openai against the
 * OpenAI test server, and with a provider whose key is refused.
 */
class ExampleLangChain4jAppTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    static Path classes;

    @TempDir
    Path tmp;

    @BeforeAll
    static void compile() {
        ExampleProgram.Compilation c = ExampleProgram.compile(REPO.resolve("examples/langchain4j-app/Assistant.java"), classes);
        assertTrue(c.ok(), "Assistant.java compiles without warnings:\n" + c.diagnostics());
    }

    private Run run(String apiKey, String... args) {
        return ExampleProgram.run(classes, "Assistant", tmp, Map.of("OPENAI_API_KEY", apiKey), List.of(args));
    }

    @Test
    void theReadmeCommandAnswersThroughTheSignedHelloPlugin() throws Exception {
        // examples/langchain4j-app/README.md: Assistant.java examples/providers.toml hello "Hello there"
        Run r = run("unused", REPO.resolve("examples/providers.toml").toString(), "hello", "Hello there");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Hello from the hello plugin! You said: Hello there", r.out().strip(), r.toString());
        assertEquals("", r.err(), r.toString());
    }

    @Test
    void anOpenAiCompatiblePluginAnswersTheServiceAndARefusedKeyIsAnError() throws Exception {
        try (TestProviders providers = TestProviders.start(tmp)) {
            String cfg = providers.config.toString();
            Run ok = run(providers.server.apiKey(), cfg, TestProviders.OPENAI, "Hello there");
            assertEquals(0, ok.exitCode(), ok.toString());
            assertEquals("Echo: Hello there\n", ok.out(), ok.toString());

            Run refused = run("sk-wrong", cfg, TestProviders.OPENAI, "Hello there");
            assertEquals(ErrorKind.AUTH.exitCode(), refused.exitCode(), refused.toString());
            assertTrue(refused.err().startsWith("error: Incorrect API key provided\nhint: check the provider's API key"), refused.toString());
            assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused);
        }
    }
}
