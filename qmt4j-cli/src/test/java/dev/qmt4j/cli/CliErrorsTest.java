package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages for things users get wrong. */
class CliErrorsTest {
    @TempDir
    Path tmp;

    private Cli.Result run(String... args) {
        return new Cli(tmp.resolve("cache")).run(args);
    }

    @Test
    void malformedReferenceIsUsageErrorNamingTheBadPart() {
        Cli.Result r = run("pull", "oci://ghcr.io/Org/plugin:1.0");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("Org"), r.err());
        assertTrue(r.err().contains("lowercase"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());

        Cli.Result tag = run("inspect", "oci://ghcr.io/org/plugin:-bad");
        assertEquals(2, tag.exitCode(), tag::toString);
        assertTrue(tag.err().contains("-bad"), tag.err());
    }

    @Test
    void controlCharactersInMessagesNeverReachTheTerminal() {
        // Error text can quote input nobody vetted (references, certificate identities): escape
        // sequences in it must not drive the terminal.
        for (String[] args : new String[][] {{"pull", "oci://ghcr.io/o\u001b]0;x\u0007rg/plugin:1.0"},
                {"pull", "--frobnicate\u001b[2J", "oci://a/b"}}) {
            Cli.Result r = run(args);
            assertEquals(2, r.exitCode(), r::toString);
            assertFalse(r.err().chars().anyMatch(c -> c != '\n' && c != '\r' && c != '\t' && Character.isISOControl(c)), r.err());
            assertTrue(r.err().contains("\\u001B"), r.err());
        }
    }

    @Test
    void unknownOptionsAndMissingArgumentsAreUsageErrors() {
        Cli.Result r = run("pull", "--frobnicate", "oci://a/b");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("--frobnicate"), r.err());
        assertTrue(r.err().contains("qmt4j pull --help"), r.err());

        assertEquals(2, run("pull").exitCode());
        assertEquals(2, run().exitCode());
        assertEquals(2, run("cache").exitCode());
        assertEquals(2, run("bogus").exitCode());
    }

    @Test
    void badPlatformIsUsageError() {
        Cli.Result r = run("pull", "--platform", "linux", "oci-layout://" + tmp);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("linux"), r.err());
    }

    @Test
    void missingLayoutIsNotFound() {
        Cli.Result r = run("pull", "--insecure-skip-signature", "oci-layout://" + tmp.resolve("nope") + ":1.0");
        assertEquals(4, r.exitCode(), r::toString);
        assertTrue(r.err().contains("nope"), r.err());
    }

    @Test
    void verboseShowsStackTrace() {
        Cli.Result r = run("--verbose", "pull", "--insecure-skip-signature", "oci-layout://" + tmp.resolve("nope"));
        assertEquals(4, r.exitCode(), r::toString);
        assertTrue(r.err().contains("\tat dev.qmt4j"), r.err());
    }

    @Test
    void configErrorsExitWithConfigCode() throws IOException {
        Path config = tmp.resolve("providers.toml");
        Files.writeString(config, "[oci]\nrefresh = 5\n");
        Cli.Result r = run("--config", config.toString(), "cache", "path");
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.err().contains("providers.toml:2: oci.refresh"), r.err());

        Cli.Result missing = run("--config", tmp.resolve("absent.toml").toString(), "cache", "path");
        assertEquals(4, missing.exitCode(), missing::toString);
    }

    @Test
    void pushNeedsSomethingToPush() {
        Cli.Result r = run("push", "oci-layout://" + tmp.resolve("l") + ":1");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("--wasm"), r.err());
        assertEquals(4, run("push", "oci-layout://" + tmp.resolve("l") + ":1", "--wasm", tmp.resolve("x.wasm").toString()).exitCode());
    }

    @Test
    void helpAndVersionExitZero() {
        Cli.Result help = run("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("pull") && help.out().contains("inspect") && help.out().contains("push"), help.out());
        assertTrue(help.out().contains("Exit codes"), help.out());
        Cli.Result version = run("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("qmt4j "), version.out());
        assertEquals(0, run("pull", "--help").exitCode());
    }
}
