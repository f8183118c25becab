package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.testkit.Wat2Wasm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WasmCallShortcut}: the plain {@code wasm call} form without picocli, with picocli's results. */
class WasmCallShortcutTest {
    @TempDir
    static Path dir;
    static Path wasm;

    @BeforeAll
    static void compile() throws Exception {
        wasm = Files.write(dir.resolve("plugin.wasm"), Wat2Wasm.compile(WasmCommandTest.WAT));
    }

    private static CliContext context() {
        PrintStream none = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new CliContext(none, none, Map.of(), () -> false);
    }

    @Test
    void onlyThePlainFormIsTaken() {
        String f = "plugin.wasm";
        assertTrue(WasmCallShortcut.of(new String[] {"wasm", "call", f, "echo"}, context()).isPresent());
        WasmCallCommand c = WasmCallShortcut.of(new String[] {"wasm", "call", f, "echo", "--input", "hi"}, context()).orElseThrow();
        assertEquals(Path.of(f), c.file);
        assertEquals("echo", c.function);
        assertEquals("hi", c.input);
        assertEquals(1, c.loop);
        for (List<String> other : List.of(
                List.of("wasm", "call", f),
                List.of("wasm", "call", f, "echo", "--loop", "2"),
                List.of("wasm", "call", f, "echo", "--input=hi"),
                List.of("wasm", "call", f, "echo", "--input", "-x"),
                List.of("wasm", "call", f, "echo", "--input", "@args"),
                List.of("wasm", "call", "@args", "echo"),
                List.of("wasm", "call", "--wasi", f, "echo"),
                List.of("wasm", "call", "", "echo"),
                List.of("-v", "wasm", "call", f, "echo"),
                List.of("wasm", "inspect", f, "echo"),
                List.of("wasm", "call", f, "echo", "extra"),
                List.of("wasm", "call", "a\u0000b", "echo"))) {
            assertFalse(WasmCallShortcut.of(other.toArray(String[]::new), context()).isPresent(), other.toString());
        }
    }

    @Test
    void resultsAreThoseOfThePicocliPath() {
        for (List<String> args : List.of(
                List.of("wasm", "call", wasm.toString(), "echo", "--input", "hello"),
                List.of("wasm", "call", wasm.toString(), "echo"),
                List.of("wasm", "call", wasm.toString(), "fail", "--input", "it broke"),
                List.of("wasm", "call", wasm.toString(), "nope"),
                List.of("wasm", "call", dir.resolve("missing.wasm").toString(), "echo"))) {
            String[] a = args.toArray(String[]::new);
            assertTrue(WasmCallShortcut.of(a, context()).isPresent(), args.toString());
            assertEquals(run(a, false), run(a, true), args.toString());
        }
    }

    /** exit code, stdout, stderr of one run, through picocli or through {@link Main#run} (the shortcut). */
    private static List<Object> run(String[] args, boolean picocli) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("QMT4J_CACHE_DIR", dir.resolve("cache").toString(),
                "HOME", dir.resolve("home").toString());
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = picocli ? Main.runParsed(args, o, e, new CliContext(o, e, env, () -> false))
                    : Main.run(args, o, e, env, () -> false);
        }
        return List.of(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
