package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Native plugins from OCI through the CLI: the example C provider, built here with gcc (and for linux/arm64
 * with aarch64-linux-gnu-gcc when installed) and with clang as Wasm, is published with
 * {@code qmt4j push} as one index with a wasi/wasm fallback, signed with {@code qmt4j sign}, and
 * loaded from the config through {@code oci://}: native on this machine, Wasm with
 * {@code --platform wasi/wasm} or {@code platform = "wasi/wasm"}, the same answer from both, and a
 * PLATFORM error naming the offered platforms for one the index lacks.
 */
class CliNativeOciTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String PROMPT = "hello from C";
    private static final String ANSWER = "Echo: " + PROMPT + "\n";

    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @TempDir
    static Path build;

    @TempDir
    Path tmp;

    private static String ref;
    private static Path publicKey;
    private static boolean arm64;

    @BeforeAll
    static void buildPushAndSign() throws IOException {
        Path amd64Lib = NativeExample.library(build);
        Optional<Path> arm64Lib = NativeExample.arm64Library(build);
        arm64 = arm64Lib.isPresent();
        if (!arm64) {
            System.out.println("CliNativeOciTest: " + NativeExample.CROSS_GCC + " not usable: no linux/arm64 entry is published "
                    + "(apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross to add it)");
        }
        Path wasm = NativeExample.wasm(build);

        Cli cli = new Cli(build.resolve("publisher-cache"));
        cli.env().put("COSIGN_PASSWORD", "correct horse");
        ref = "oci://" + registry.host() + "/examples/echo:1.0";
        List<String> push = new ArrayList<>(List.of("push", ref, "--platform", "linux/amd64=" + amd64Lib));
        arm64Lib.ifPresent(lib -> push.addAll(List.of("--platform", "linux/arm64=" + lib)));
        push.addAll(List.of("--wasm-fallback", wasm.toString()));
        Cli.Result pushed = cli.run(push.toArray(String[]::new));
        assertEquals(0, pushed.exitCode(), pushed::toString);

        String prefix = build.resolve("echo-release").toString();
        Cli.Result keys = cli.run("generate-key-pair", "--output-key-prefix", prefix);
        assertEquals(0, keys.exitCode(), keys::toString);
        Cli.Result signed = cli.run("sign", ref, "--key", prefix + ".key");
        assertEquals(0, signed.exitCode(), signed::toString);
        publicKey = Path.of(prefix + ".pub");
    }

    private Cli cli() {
        return new Cli(tmp.resolve("cache"));
    }

    private Path config(String extra) throws IOException {
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, """
                [[providers]]
                name = "echo"
                path = "%s"
                %s
                [providers.config]
                model = "echo-1"
                [providers.verify]
                public_key = "%s"
                """.formatted(ref, extra, publicKey));
        return cfg;
    }

    /** The one row of {@code providers --json}. */
    private static JsonNode provider(Cli.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode rows = MAPPER.readTree(r.out());
        assertEquals(1, rows.size(), r.out());
        JsonNode row = rows.get(0);
        assertEquals("ok", row.get("status").stringValue(), row.toString());
        assertEquals("oci", row.get("source").stringValue(), row.toString());
        assertTrue(row.get("signer").stringValue().contains("signed with key"), row.toString());
        return row;
    }

    private static long cacheEntries(Path cache) throws IOException {
        try (Stream<Path> s = Files.walk(cache.resolve("entries"))) {
            return s.filter(p -> p.getFileName().toString().equals("entry.json")).count();
        }
    }

    @Test
    void inspectShowsEveryPublishedPlatformAndVerifyAcceptsTheSignature() {
        Cli cli = cli();
        Cli.Result inspect = cli.run("inspect", ref, "--json");
        assertEquals(0, inspect.exitCode(), inspect::toString);
        List<String> platforms = new ArrayList<>();
        MAPPER.readTree(inspect.out()).get("manifests").forEach(m -> platforms.add(m.get("platform").stringValue()));
        List<String> expected = new ArrayList<>(List.of("linux/amd64"));
        if (arm64) {
            expected.add("linux/arm64");
        }
        expected.add("wasi/wasm");
        assertEquals(expected, platforms, inspect.out());

        Cli.Result text = cli.run("inspect", ref);
        assertEquals(0, text.exitCode(), text::toString);
        for (String p : expected) {
            assertTrue(text.out().contains("  - " + p + "  sha256:"), text.out());
        }
        assertTrue(text.out().contains("detected (linux/amd64): native from linux/amd64"), text.out());

        Cli.Result verify = cli.run("verify", ref, "--key", publicKey.toString());
        assertEquals(0, verify.exitCode(), verify::toString);
    }

    @Test
    void nativeHereWasmWithPlatformWasiWasmAndTheSameAnswer() throws IOException {
        Cli cli = cli();
        String cfg = config("").toString();
        JsonNode nativeRow = provider(cli.run("--config", cfg, "providers", "--json"));
        assertEquals("native", nativeRow.get("type").stringValue(), nativeRow.toString());
        Cli.Result nativeChat = cli.run("--config", cfg, "chat", "echo", PROMPT);
        assertEquals(0, nativeChat.exitCode(), nativeChat::toString);
        assertEquals(ANSWER, nativeChat.out());

        // after the command, or before it as a global option
        JsonNode wasmRow = provider(cli.run("--config", cfg, "providers", "--json", "--platform", "wasi/wasm"));
        assertEquals("wasm", wasmRow.get("type").stringValue(), wasmRow.toString());
        assertEquals(nativeRow.get("digest"), wasmRow.get("digest"), "one signed index, two builds");
        Cli.Result wasmChat = cli.run("--config", cfg, "--platform", "wasi/wasm", "chat", "echo", PROMPT);
        assertEquals(0, wasmChat.exitCode(), wasmChat::toString);
        assertEquals(ANSWER, wasmChat.out());
        Cli.Result models = cli.run("--config", cfg, "models", "echo", "--platform", "wasi/wasm");
        assertEquals("echo-1\necho-mini\n", models.out(), models::toString);
    }

    @Test
    void theProvidersPlatformKeyPicksWasmAndTheCacheKeepsBothBuildsApart() throws IOException {
        Cli cli = cli();
        Path cache = tmp.resolve("cache");
        JsonNode wasm = provider(cli.run("--config", config("platform = \"wasi/wasm\"").toString(), "providers", "--json"));
        assertEquals("wasm", wasm.get("type").stringValue(), wasm.toString());
        assertEquals(1, cacheEntries(cache));

        String plain = config("").toString();
        assertEquals("native", provider(cli.run("--config", plain, "providers", "--json")).get("type").stringValue());
        assertEquals(2, cacheEntries(cache));
        // both builds of the same tag now come from the cache, each the right one
        assertEquals("wasm", provider(cli.run("--config", plain, "--platform", "wasi/wasm", "providers", "--json"))
                .get("type").stringValue());
        assertEquals("native", provider(cli.run("--config", plain, "providers", "--json")).get("type").stringValue());
        assertEquals(2, cacheEntries(cache));
        // the reference reaches both through its index, so prune keeps both
        assertEquals(0, cli.run("cache", "prune").exitCode());
        assertEquals(2, cacheEntries(cache));

        // --platform overrides the key
        String riscvKey = config("platform = \"linux/riscv64\"").toString();
        assertEquals("wasm", provider(cli.run("--config", riscvKey, "providers", "--json", "--platform", "wasi/wasm"))
                .get("type").stringValue());
    }

    @Test
    void cacheLsShowsBothBuildsOfTheTagAndRmRemovesOneOrAll() throws IOException {
        Cli cli = cli();
        Path cache = tmp.resolve("cache");
        String canonical = dev.qmt4j.oci.ImageRef.parse(ref).canonical();
        String host = dev.qmt4j.oci.Platform.host().normalize().toString();
        String cfg = config("").toString();
        assertEquals("wasm", provider(cli.run("--config", cfg, "--platform", "wasi/wasm", "providers", "--json"))
                .get("type").stringValue());
        assertEquals("native", provider(cli.run("--config", cfg, "providers", "--json")).get("type").stringValue());

        Cli.Result ls = cli.run("cache", "ls");
        assertEquals(0, ls.exitCode(), ls::toString);
        List<String> lines = ls.out().lines().toList();
        assertEquals(2, lines.size(), ls.out());
        assertTrue(lines.get(0).startsWith(canonical + "  sha256:") && lines.get(0).contains("  " + host + "  native*  "),
                "index order, the native build pulled last: " + ls.out());
        assertTrue(lines.get(1).contains("  wasi/wasm  wasm  ") && lines.get(1).endsWith("plugin.wasm"), ls.out());

        Cli.Result json = cli.run("cache", "ls", "--json");
        JsonNode refs = MAPPER.readTree(json.out());
        assertEquals(1, refs.size(), json.out());
        assertEquals(canonical, refs.get(0).get("reference").stringValue());
        JsonNode builds = refs.get(0).get("builds");
        assertEquals(2, builds.size(), json.out());
        assertEquals(host, builds.get(0).get("platform").stringValue());
        assertEquals("native", builds.get(0).get("type").stringValue());
        assertTrue(builds.get(0).get("lastPulled").booleanValue());
        assertEquals("wasi/wasm", builds.get(1).get("platform").stringValue());
        assertEquals("wasm", builds.get(1).get("type").stringValue());
        assertFalse(builds.get(1).get("lastPulled").booleanValue());
        assertTrue(Files.isRegularFile(Path.of(builds.get(1).get("path").stringValue())), json.out());

        Cli.Result verify = cli.run("cache", "verify", ref);
        assertEquals("verified 2 cached plugin(s): intact\n", verify.out(), verify::toString);

        // --platform removes only the build pull --platform would select, now
        Cli.Result rmWasm = cli.run("cache", "rm", ref, "--platform", "wasi/wasm");
        assertEquals(0, rmWasm.exitCode(), rmWasm::toString);
        assertTrue(rmWasm.out().startsWith("removed the wasi/wasm wasm build of " + canonical + " ("), rmWasm.out());
        assertEquals(1, cacheEntries(cache));
        Cli.Result again = cli.run("cache", "rm", ref, "--platform", "wasi/wasm");
        assertEquals(4, again.exitCode(), again::toString);
        assertTrue(again.err().contains("no cached build of " + canonical + " for wasi/wasm"), again.err());
        assertTrue(again.err().contains("hint: cached builds: " + host + " native"), again.err());
        Cli.Result badPlatform = cli.run("cache", "rm", ref, "--platform", "linux");
        assertEquals(2, badPlatform.exitCode(), badPlatform::toString);
        // the native build still loads from the cache, and the wasm one is fetched again
        assertEquals("native", provider(cli.run("--config", cfg, "providers", "--json")).get("type").stringValue());

        // without --platform: the reference and all its builds (files at the next prune)
        Cli.Result rmAll = cli.run("cache", "rm", ref);
        assertEquals(0, rmAll.exitCode(), rmAll::toString);
        assertEquals("removed " + canonical + " and its 1 cached build(s): " + host + " native;"
                + " 'qmt4j cache prune' deletes the files no other reference uses\n", rmAll.out());
        assertEquals("[]", MAPPER.readTree(cli.run("cache", "ls", "--json").out()).toString());
        assertEquals(4, cli.run("cache", "rm", ref).exitCode());
        assertEquals(0, cli.run("cache", "prune").exitCode());
        assertEquals(0, cacheEntries(cache));
    }

    @Test
    void theGlobalPlatformIsTheDefaultOfInspectAndAUsageErrorWhereItMeansNothing() {
        Cli cli = cli();
        Cli.Result inspect = cli.run("--platform", "wasi/wasm", "inspect", ref);
        assertEquals(0, inspect.exitCode(), inspect::toString);
        assertTrue(inspect.out().contains("detected (wasi/wasm): wasm from wasi/wasm"), inspect.out());

        Cli.Result push = cli.run("--platform", "wasi/wasm", "push", ref, "--wasm", build.resolve("echo_provider.wasm").toString());
        assertEquals(2, push.exitCode(), push::toString);
        assertTrue(push.err().contains("--platform before 'push' does not apply to it"), push.err());
    }

    @Test
    void aPlatformTheIndexLacksFailsWithExit9NamingTheOfferedOnes() throws IOException {
        Cli cli = cli();
        String cfg = config("").toString();
        String offers = "no plugin for linux/riscv64 in index; it offers: linux/amd64, " + (arm64 ? "linux/arm64, " : "")
                + "wasi/wasm";
        for (Cli.Result r : List.of(cli.run("--config", cfg, "chat", "echo", PROMPT, "--platform", "linux/riscv64"),
                cli.run("--config", cfg, "--platform", "linux/riscv64", "providers"),
                cli.run("--config", config("platform = \"linux/riscv64\"").toString(), "chat", "echo", PROMPT))) {
            assertEquals(9, r.exitCode(), r::toString);
            String all = r.out() + r.err();
            assertTrue(all.contains(offers), all);
            assertTrue(all.split("provider 'echo'", -1).length - 1 <= 1, "the provider is named once: " + all);
            assertTrue(all.contains("platform = \"wasi/wasm\"") || all.contains("--platform wasi/wasm"), "how to fix it: " + all);
            assertFalse(all.contains("Exception"), all);
        }
        // chat: the one error line names the provider and the config; the hint says what to change
        Cli.Result byKey = cli.run("--config", config("platform = \"linux/riscv64\"").toString(), "chat", "echo", PROMPT);
        assertTrue(byKey.err().contains("error: provider 'echo' in " + cfg + ": " + offers), byKey.err());
        assertTrue(byKey.err().contains("hint: change platform = \"linux/riscv64\" in its entry in " + cfg
                + " to platform = \"wasi/wasm\" (or another platform it offers), or override it with --platform wasi/wasm"),
                byKey.err());
        config(""); // the same file again, without the key
        Cli.Result byFlag = cli.run("--config", cfg, "chat", "echo", PROMPT, "--platform", "linux/riscv64");
        assertTrue(byFlag.err().contains("error: provider 'echo' in " + cfg + ": " + offers), byFlag.err());
        assertTrue(byFlag.err().contains("hint: pass --platform wasi/wasm (or another platform it offers)"), byFlag.err());
        // providers: the row names the provider, the error says what failed, then the hint
        Cli.Result rows = cli.run("--config", cfg, "--platform", "linux/riscv64", "providers");
        assertTrue(rows.out().startsWith("echo  -  oci " + ref + "  error: " + offers + " (hint: pass --platform wasi/wasm"),
                rows.out());
        Cli.Result json = cli.run("--config", cfg, "--platform", "linux/riscv64", "providers", "--json");
        JsonNode row = MAPPER.readTree(json.out()).get(0);
        assertEquals(offers, row.get("error").stringValue(), row.toString());
        assertTrue(row.get("hint").stringValue().startsWith("pass --platform wasi/wasm"), row.toString());
        Cli.Result doctor = cli.run("--config", cfg, "--platform", "linux/riscv64", "doctor");
        assertTrue(doctor.out().contains("fail  provider echo: " + offers + " (hint: pass --platform wasi/wasm"), doctor.out());
        Cli.Result bad = cli.run("--config", cfg, "chat", "echo", PROMPT, "--platform", "linux");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("invalid platform 'linux': expected os/arch[/variant]"), bad.err());
    }
}
