package dev.qmt4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
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
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        Boolean ok = javac.getTask(diagnostics, null, null,
                List.of("--release", "17", "-Xlint:all", "-Werror", "-d", classes.toString(),
                        "-classpath", System.getProperty("java.class.path")),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(REPO.resolve("examples/langchain4j-app/Assistant.java").toFile())).call();
        assertTrue(ok, "Assistant.java compiles without warnings:\n" + diagnostics);
    }

    private record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Run run(String apiKey, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), "Assistant"));
        command.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("QMT"));
        pb.environment().put("QMT4J_CACHE_DIR", tmp.resolve("cache").toString());
        pb.environment().put("HOME", tmp.resolve("home").toString());
        pb.environment().put("OPENAI_API_KEY", apiKey);
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "Assistant finished");
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
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
