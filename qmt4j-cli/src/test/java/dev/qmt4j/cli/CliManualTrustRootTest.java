package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.LoadResult;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.sigstore.TestSigstore;
import dev.qmt4j.sigstore.certs.Pem;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless verification against a private Sigstore through the CLI, with a manual trust root from PEM
 * files (Fulcio CA, Rekor key, CT log key): {@code qmt4j verify} flags and the {@code [oci]} keys.
 */
class CliManualTrustRootTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();
    static final TestSigstore SIGSTORE = new TestSigstore();
    static final String IDENTITY_RE = "^https://github\\.com/acme/plugins/";

    @TempDir
    Path tmp;

    private Cli cli() {
        Cli cli = new Cli(tmp.resolve("cache"));
        cli.env().put("QMT4J_SIGSTORE_TUF_URL", "http://127.0.0.1:9/"); // never the internet
        return cli;
    }

    /** Pushes a plugin with the CLI and signs it keylessly with the private Sigstore. */
    private String pushedAndSigned(Cli cli, String repo) throws IOException {
        return pushedAndSigned(cli, repo, Fixtures.wasm(tmp, "p.wasm", 3_000, 21));
    }

    private String pushedAndSigned(Cli cli, String repo, Path wasm) throws IOException {
        return pushedAndSigned(cli, repo, wasm, TestSigstore.Identity.github("acme/plugins", "release.yml"));
    }

    private String pushedAndSigned(Cli cli, String repo, Path wasm, TestSigstore.Identity id) throws IOException {
        String ref = "oci://" + registry.host() + "/" + repo + ":1.0";
        Fixtures.pushSignedKeyless(cli, ref, wasm, SIGSTORE, id);
        return ref;
    }

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Path fulcio() throws IOException {
        return write("fulcio.pem", SIGSTORE.caPem());
    }

    private Path rekor() throws IOException {
        return write("rekor.pub", Pem.encode("PUBLIC KEY", SIGSTORE.rekorKey.getPublic().getEncoded()));
    }

    private Path ctfe() throws IOException {
        return write("ctfe.pub", Pem.encode("PUBLIC KEY", SIGSTORE.ctKey.getPublic().getEncoded()));
    }

    @Test
    void noPolicySuggestionQuotesTheUnverifiedIdentityAndKeepsControlCharactersOffTheTerminal() throws IOException {
        Cli cli = cli();
        String san = "dev\u001b]0;owned\u0007@example.com";
        String ref = pushedAndSigned(cli, "private/unverified", Fixtures.wasm(tmp, "u.wasm", 3_000, 22),
                new TestSigstore.Identity(san, "https://token.actions.githubusercontent.com", null));
        Cli.Result r = cli.run("pull", ref);
        assertEquals(ErrorKind.VERIFICATION.exitCode(), r.exitCode(), r::toString);
        assertTrue(r.err().contains("not been verified"), r.err());
        assertTrue(r.err().chars().noneMatch(c -> c != '\n' && c != '\t' && Character.isISOControl(c)), r.err());
        // shown escaped, never as a config line
        assertTrue(r.err().contains("\\u001B"), r.err());
        assertTrue(!r.err().contains("cert_identity_regexp = '^dev"), r.err());

        String plain = "dev|.*@example.com";
        String ref2 = pushedAndSigned(cli, "private/unverified2", Fixtures.wasm(tmp, "v.wasm", 3_000, 23),
                new TestSigstore.Identity(plain, "https://token.actions.githubusercontent.com", null));
        Cli.Result r2 = cli.run("pull", ref2);
        assertEquals(ErrorKind.VERIFICATION.exitCode(), r2.exitCode(), r2::toString);
        assertTrue(r2.err().contains("cert_identity_regexp = '^dev\\|\\.\\*@example\\.com$'"), r2.err());
    }

    @Test
    void verifyWithManualTrustRootFlagsChecksTheSct() throws IOException {
        Cli cli = cli();
        String ref = pushedAndSigned(cli, "private/flags");
        Cli.Result ok = cli.run("verify", ref, "--certificate-identity-regexp", IDENTITY_RE,
                "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com", "--fulcio-certs", fulcio().toString(),
                "--rekor-pub-keys", rekor().toString(), "--ctfe-pub-keys", ctfe().toString(), "--json");
        assertEquals(0, ok.exitCode(), ok::toString);
        assertTrue(ok.out().contains("\"identity\": \"https://github.com/acme/plugins/.github/workflows/release.yml@refs/tags/v1.0.0\""),
                ok.out());
        assertTrue(ok.out().contains("\"trustRoot\": \"manual trust root"), ok.out());

        Cli.Result noCt = cli.run("verify", ref, "--certificate-identity-regexp", IDENTITY_RE,
                "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com", "--fulcio-certs", fulcio().toString(),
                "--rekor-pub-keys", rekor().toString());
        assertEquals(8, noCt.exitCode(), noCt::toString);
        assertTrue(noCt.err().contains("SCT") && noCt.err().contains("add ctfe_pub_keys"), noCt.err());

        // The public-good root (TUF unreachable here: embedded snapshot, with a warning) does not trust it.
        Cli.Result publicGood = cli.run("verify", ref, "--certificate-identity-regexp", IDENTITY_RE,
                "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com");
        assertEquals(8, publicGood.exitCode(), publicGood::toString);
        assertTrue(publicGood.err().contains("TUF refresh failed"), publicGood.err());
    }

    @Test
    void pullWithTheOciBlocksManualTrustRoot() throws IOException {
        Cli cli = cli();
        String ref = pushedAndSigned(cli, "private/config");
        Path config = write("providers.toml", """
                [oci]
                fulcio_certs = "%s"
                rekor_pub_keys = "%s"
                ctfe_pub_keys = "%s"
                cert_identity_regexp = '%s'
                cert_issuer = "https://token.actions.githubusercontent.com"
                """.formatted(fulcio(), rekor(), ctfe(), IDENTITY_RE));
        Cli.Result pull = cli.run("--config", config.toString(), "pull", ref, "--json");
        assertEquals(0, pull.exitCode(), pull::toString);
        assertTrue(pull.out().contains("\"cached\": false"), pull.out());
    }

    /**
     * {@code cert_url} (or {@code cert_email}) without {@code cert_issuer}: the issuer is GitHub Actions', as
     * QueryMT defaults it, so the GitHub-signed plugin pulls and one with the same SAN from another issuer
     * does not; {@code -v} says so. The cosign-style flags still need an explicit issuer.
     */
    @Test
    void certUrlWithoutIssuerDefaultsToGithubActionsAsQueryMtDoes() throws IOException {
        Cli cli = cli();
        TestSigstore.Identity github = TestSigstore.Identity.github("acme/plugins", "release.yml");
        String ref = pushedAndSigned(cli, "private/default-issuer", Fixtures.wasm(tmp, "d.wasm", 3_000, 22), github);
        Path config = write("providers.toml", """
                [oci]
                fulcio_certs = "%s"
                rekor_pub_keys = "%s"
                ctfe_pub_keys = "%s"
                cert_url = "%s"
                """.formatted(fulcio(), rekor(), ctfe(), github.san()));
        Cli.Result pull = cli.run("--config", config.toString(), "-v", "pull", ref, "--json");
        assertEquals(0, pull.exitCode(), pull::toString);
        assertTrue(pull.err().contains("note: " + config + ": [oci] has no cert_issuer: the signing certificate's issuer must be"
                + " GitHub Actions' (https://token.actions.githubusercontent.com), QueryMT's default"), pull.err());
        Cli.Result quiet = cli.run("--config", config.toString(), "pull", ref, "--force");
        assertEquals(0, quiet.exitCode(), quiet::toString);
        assertTrue(!quiet.err().contains("note:"), quiet.err());

        String other = pushedAndSigned(cli, "private/other-issuer", Fixtures.wasm(tmp, "o.wasm", 3_000, 23),
                new TestSigstore.Identity(github.san(), "https://issuer.example", null));
        Cli.Result refused = cli.run("--config", config.toString(), "pull", other);
        assertEquals(ErrorKind.VERIFICATION.exitCode(), refused.exitCode(), refused::toString);

        Cli.Result flags = cli.run("verify", ref, "--certificate-identity", github.san(), "--fulcio-certs", fulcio().toString(),
                "--rekor-pub-keys", rekor().toString(), "--ctfe-pub-keys", ctfe().toString());
        assertTrue(flags.exitCode() != 0 && flags.err().contains("issuer"), flags::toString);
    }

    /**
     * A provider's verify block with a manual trust root (relative paths: relative to the config file)
     * gives the same verdict through the plugin host's PluginRegistry as through {@code qmt4j pull}:
     * both use the one OciVerification wiring, so both trust the private Sigstore, and both refuse
     * when the block lacks the CT log key.
     */
    @Test
    void providerVerifyBlockWithManualTrustRootIsTheSameForPluginRegistryAndPull() throws Exception {
        Cli cli = cli();
        String ref = pushedAndSigned(cli, "private/provider", TestPlugins.path(TestPlugins.QMT_OPENAI));
        fulcio();
        rekor();
        ctfe();
        for (boolean withCtfe : new boolean[] {true, false}) {
            Path config = write("providers.toml", """
                    [[providers]]
                    name = "openai"
                    path = "%s"
                    [providers.config]
                    base_url = "http://127.0.0.1:9/v1"
                    [providers.verify]
                    fulcio_certs = "fulcio.pem"
                    rekor_pub_keys = "rekor.pub"
                    %s
                    cert_identity_regexp = '%s'
                    cert_issuer = "https://token.actions.githubusercontent.com"
                    """.formatted(ref, withCtfe ? "ctfe_pub_keys = \"ctfe.pub\"" : "", IDENTITY_RE));
            Path cache = tmp.resolve("cli-cache-" + withCtfe);
            Cli.Result pull = cli.run("--config", config.toString(), "--cache-dir", cache.toString(), "pull", ref, "--json");

            try (PluginRegistry host = PluginRegistry.builder().config(config).env(cli.env()).home(tmp)
                    .cacheDir(tmp.resolve("host-cache-" + withCtfe)).build()) {
                LoadResult result = host.loadAll().get(0);
                if (withCtfe) {
                    assertEquals(0, pull.exitCode(), pull::toString);
                    LoadResult.Loaded l = assertInstanceOf(LoadResult.Loaded.class, result, result::toString);
                    assertTrue(pull.out().contains(l.digest()), pull.out() + " vs " + l.digest());
                    assertTrue(l.verification().orElseThrow().contains("acme/plugins"), l.verification().toString());
                } else {
                    assertEquals(ErrorKind.VERIFICATION.exitCode(), pull.exitCode(), pull::toString);
                    assertTrue(pull.err().contains("SCT"), pull.err());
                    LoadResult.Failed f = assertInstanceOf(LoadResult.Failed.class, result, result::toString);
                    Qmt4jException e = assertInstanceOf(Qmt4jException.class, f.error());
                    assertEquals(ErrorKind.VERIFICATION, e.kind(), e.getMessage());
                    assertTrue(e.getMessage().contains("SCT"), e.getMessage());
                }
            }
        }
    }
}
