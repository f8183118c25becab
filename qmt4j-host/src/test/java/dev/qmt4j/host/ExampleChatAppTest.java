package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
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
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        Boolean ok = javac.getTask(diagnostics, null, null,
                List.of("--release", "17", "-Xlint:all", "-Werror", "-d", classes.toString(),
                        "-classpath", System.getProperty("java.class.path")),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(REPO.resolve("examples/java-app/Chat.java").toFile())).call();
        assertTrue(ok, "Chat.java compiles without warnings:\n" + diagnostics);
    }

    @AfterAll
    static void stop() {
        openai.close();
    }

    private record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Run chat(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), "Chat"));
        command.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("QMT"));
        pb.environment().put("QMT4J_CACHE_DIR", tmp.resolve("cache").toString());
        pb.environment().put("HOME", tmp.resolve("home").toString());
        pb.environment().put("OPENAI_API_KEY", openai.apiKey());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "Chat finished");
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
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
