package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate-key-pair}, {@code sign}, {@code verify} and signature-checked {@code pull} against a real registry. */
class CliSignVerifyTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @TempDir
    Path tmp;

    private Cli cli() {
        Cli cli = new Cli(tmp.resolve("cache"));
        cli.env().put("COSIGN_PASSWORD", "correct horse");
        return cli;
    }

    private String pushed(Cli cli, String repo, long seed) throws IOException {
        Path wasm = Fixtures.wasm(tmp, repo.replace('/', '_') + ".wasm", 5_000, seed);
        String ref = "oci://" + registry.host() + "/" + repo + ":1.0";
        Cli.Result push = cli.run("push", ref, "--wasm", wasm.toString());
        assertEquals(0, push.exitCode(), push::toString);
        return ref;
    }

    private static long entries(Path cache) throws IOException {
        Path entries = cache.resolve("entries");
        if (!Files.isDirectory(entries)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(entries)) {
            return s.filter(p -> p.getFileName().toString().equals("entry.json")).count();
        }
    }

    @Test
    void signVerifyAndPullWithAKeyAndRefuseAnotherKey() throws IOException {
        Cli cli = cli();
        String prefix = tmp.resolve("release").toString();
        Cli.Result gen = cli.run("generate-key-pair", "--output-key-prefix", prefix);
        assertEquals(0, gen.exitCode(), gen::toString);
        assertTrue(Files.readString(Path.of(prefix + ".key")).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"));
        String fingerprint = gen.out().strip();

        String ref = pushed(cli, "cli/signed", 1);
        Cli.Result sign = cli.run("sign", ref, "--key", prefix + ".key");
        assertEquals(0, sign.exitCode(), sign::toString);

        Cli.Result verify = cli.run("verify", ref, "--key", prefix + ".pub", "--json");
        assertEquals(0, verify.exitCode(), verify::toString);
        assertTrue(verify.out().contains("\"key\": \"" + fingerprint + "\""), verify.out());

        // Another key: refused, nothing in the cache.
        String other = tmp.resolve("other").toString();
        assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", other).exitCode());
        Cli.Result wrong = cli.run("pull", ref, "--key", other + ".pub");
        assertEquals(8, wrong.exitCode(), wrong::toString);
        assertTrue(wrong.err().contains("SIGNATURE"), wrong.err());
        assertEquals(0, entries(tmp.resolve("cache")));

        Cli.Result pull = cli.run("pull", ref, "--key", prefix + ".pub", "--json");
        assertEquals(0, pull.exitCode(), pull::toString);
        assertTrue(pull.out().contains("\"cached\": false"), pull.out());
        assertEquals(1, entries(tmp.resolve("cache")));
    }

    @Test
    void aVerificationFlagWinsOverTheConfigsSkipAndTheSkipFlagWithOneIsAUsageError() throws IOException {
        Cli cli = cli();
        String prefix = tmp.resolve("skip-release").toString();
        String other = tmp.resolve("skip-other").toString();
        assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", prefix).exitCode());
        assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", other).exitCode());
        String ref = pushed(cli, "cli/skip-vs-key", 3);
        assertEquals(0, cli.run("sign", ref, "--key", prefix + ".key").exitCode());
        Path config = tmp.resolve("skip.toml");
        Files.writeString(config, "[oci]\ninsecure_skip_signature = true\n");

        // The config skips, the command line asks for a key: the key is checked, and the wrong one refused.
        Cli.Result wrong = cli.run("--config", config.toString(), "pull", ref, "--key", other + ".pub");
        assertEquals(8, wrong.exitCode(), wrong::toString);
        assertEquals(0, entries(tmp.resolve("cache")));
        Cli.Result right = cli.run("--config", config.toString(), "pull", ref, "--key", prefix + ".pub", "--json");
        assertEquals(0, right.exitCode(), right::toString);
        assertFalse(right.out().contains("verification skipped"), right.out());
        assertTrue(right.err().contains("insecure_skip_signature") && right.err().contains("--key"), right.err());

        // Both on the command line contradict each other.
        Cli.Result both = cli.run("pull", ref, "--insecure-skip-signature", "--key", prefix + ".pub");
        assertEquals(2, both.exitCode(), both::toString);
        assertTrue(both.err().contains("--insecure-skip-signature cannot be combined with --key"), both.err());
    }

    @Test
    void signWithBundleWritesAReferrerThatVerifies() throws IOException {
        Cli cli = cli();
        String prefix = tmp.resolve("b").toString();
        assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", prefix).exitCode());
        String ref = pushed(cli, "cli/bundled", 6);
        Cli.Result sign = cli.run("sign", ref, "--key", prefix + ".key", "--bundle");
        assertEquals(0, sign.exitCode(), sign::toString);
        assertTrue(sign.err().contains("referrer sha256:"), sign.err());
        Cli.Result verify = cli.run("verify", ref, "--key", prefix + ".pub");
        assertEquals(0, verify.exitCode(), verify::toString);
        assertTrue(verify.out().contains("signature: bundle referrer sha256:"), verify.out());
    }

    @Test
    void wrongPasswordAndMissingPasswordAreRefused() throws IOException {
        Cli cli = cli();
        String prefix = tmp.resolve("k").toString();
        assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", prefix).exitCode());
        String ref = pushed(cli, "cli/pw", 2);
        cli.env().put("COSIGN_PASSWORD", "wrong");
        Cli.Result bad = cli.run("sign", ref, "--key", prefix + ".key");
        assertEquals(3, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("wrong password"), bad.err());
        cli.env().remove("COSIGN_PASSWORD");
        Cli.Result none = cli.run("sign", ref, "--key", prefix + ".key");
        assertEquals(2, none.exitCode(), none::toString);
        assertTrue(none.err().contains("COSIGN_PASSWORD"), none.err());
    }

    @Test
    void unsignedAndUnconfiguredPluginsAreRefusedWithTheLinesThatWouldAccept() throws IOException {
        Cli cli = cli();
        String ref = pushed(cli, "acme/unsigned", 3);
        Cli.Result r = cli.run("pull", ref);
        assertEquals(8, r.exitCode(), r::toString);
        assertTrue(r.err().contains("cert_identity_regexp") && r.err().contains("cert_issuer") && r.err().contains("public_key"), r.err());
        assertEquals(0, entries(tmp.resolve("cache")));

        String prefix = tmp.resolve("k").toString();
        assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", prefix).exitCode());
        Cli.Result missing = cli.run("pull", ref, "--key", prefix + ".pub");
        assertEquals(8, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("no signature found"), missing.err());
    }

    @Test
    void configPublicKeyAndProviderVerifyBlockApply() throws IOException {
        Cli cli = cli();
        String prefix = tmp.resolve("k").toString();
        assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", prefix).exitCode());
        String ref = pushed(cli, "acme/configured", 4);
        assertEquals(0, cli.run("sign", ref, "--key", prefix + ".key").exitCode());

        Path global = tmp.resolve("global.toml");
        Files.writeString(global, "[oci]\npublic_key = \"" + prefix + ".pub\"\n");
        Cli.Result viaOci = cli.run("--config", global.toString(), "verify", ref);
        assertEquals(0, viaOci.exitCode(), viaOci::toString);

        // A provider block overrides [oci]: here with an identity the plugin does not have.
        Path perProvider = tmp.resolve("provider.toml");
        Files.writeString(perProvider, "[oci]\npublic_key = \"" + prefix + ".pub\"\n\n[[providers]]\nname = \"acme\"\npath = \"" + ref
                + "\"\n[providers.verify]\ncert_identity_regexp = '^https://github\\.com/acme/'\n"
                + "cert_issuer = \"https://token.actions.githubusercontent.com\"\n");
        Cli.Result viaProvider = cli.run("--config", perProvider.toString(), "verify", ref);
        assertEquals(8, viaProvider.exitCode(), viaProvider::toString);
        assertFalse(viaProvider.err().contains("Exception"), viaProvider.err());
    }

    @Test
    void cachedPluginWhoseBytesWereAlteredIsDetectedOnLoad() throws IOException {
        Cli cli = cli();
        String prefix = tmp.resolve("k").toString();
        assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", prefix).exitCode());
        String ref = pushed(cli, "acme/tamper", 5);
        assertEquals(0, cli.run("sign", ref, "--key", prefix + ".key").exitCode());
        Cli.Result first = cli.run("pull", ref, "--key", prefix + ".pub");
        assertEquals(0, first.exitCode(), first::toString);
        Path plugin = Path.of(first.out().strip());
        byte[] bytes = Files.readAllBytes(plugin);
        bytes[10] ^= 1;
        plugin.toFile().setWritable(true); // the cache stores plugins read-only; a tamperer would lift that
        Files.write(plugin, bytes);
        Cli.Result again = cli.run("pull", ref, "--key", prefix + ".pub", "--json");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("\"cached\": false"), "the altered entry is not used: " + again.out());
        assertFalse(java.util.Arrays.equals(bytes, Files.readAllBytes(plugin)), "re-downloaded intact");
    }
}
