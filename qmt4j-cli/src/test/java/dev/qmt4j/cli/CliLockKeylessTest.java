package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.sigstore.TestSigstore;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The lock records a keyless signer (issuer and identity) and locked mode compares it, with a private Sigstore. */
class CliLockKeylessTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();
    static final TestSigstore SIGSTORE = new TestSigstore();

    /** The issuer policy of a release from GitHub Actions. */
    private static final String ISSUER = "cert_issuer = \"https://token.actions.githubusercontent.com\"";
    /** An issuer regexp anchored at the start only: it accepts any issuer that begins like GitHub Actions'. */
    private static final String ISSUER_PREFIX = "cert_issuer_regexp = '^https://token\\.actions\\.githubusercontent\\.com'";

    @TempDir
    Path tmp;

    /** A CLI on {@code tmp/cache} whose TUF URL is a closed port, so nothing reaches the internet. */
    private Cli cli() {
        Cli cli = new Cli(tmp.resolve("cache"));
        cli.env().put("QMT4J_SIGSTORE_TUF_URL", "http://127.0.0.1:9/"); // never the internet
        return cli;
    }

    /** Pushes {@code plugin} to {@code ref} with the CLI, signs it keyless as {@code id} and returns its digest. */
    private static Digest publish(Cli cli, String ref, String plugin, TestSigstore.Identity id) {
        return Fixtures.pushSignedKeyless(cli, ref, TestPlugins.path(plugin), SIGSTORE, id);
    }

    /** A providers.toml with the one provider {@code remote} at {@code ref}, trusting only {@link #SIGSTORE}. */
    private Path config(String ref, String issuerPolicy) throws IOException {
        TestSigstore.TrustFiles trust = SIGSTORE.writeTrustFiles(tmp);
        return Files.writeString(tmp.resolve("providers.toml"), """
                [[providers]]
                name = "remote"
                path = "%s"

                [oci]
                %s
                cert_identity_regexp = '^https://github\\.com/acme/plugins/'
                %s
                """.formatted(ref, trust.toml(), issuerPolicy));
    }

    @Test
    void lockRecordsIssuerAndIdentityAndLockedModeRefusesAnotherIdentity() throws IOException {
        Cli cli = cli();
        String ref = "oci://" + registry.host() + "/keyless/remote:1";
        TestSigstore.Identity release = TestSigstore.Identity.github("acme/plugins", "release.yml");
        publish(cli, ref, TestPlugins.QMT_OPENAI, release);
        Path cfg = config(ref, ISSUER);

        Cli.Result lock = cli.run("--config", cfg.toString(), "lock");
        assertEquals(0, lock.exitCode(), lock::toString);
        Path lockFile = tmp.resolve("qmt4j.lock");
        String text = Files.readString(lockFile);
        assertTrue(text.contains("signer_issuer = \"https://token.actions.githubusercontent.com\"\n"), text);
        assertTrue(text.contains("signer_identity = \"" + release.san() + "\"\n"), text);

        Cli.Result ok = cli.run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(0, ok.exitCode(), "the same identity and issuer: " + ok);
        Cli.Result hit = cli.run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(0, hit.exitCode(), "a cache hit re-derives the same signer from the stored evidence: " + hit);

        // Another workflow of the same repository satisfies the policy's regexp, but is not the locked signer.
        Files.writeString(lockFile, text.replace(release.san(), release.san().replace("release.yml", "nightly.yml")));
        Cli.Result other = new Cli(tmp.resolve("cache2")).run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(8, other.exitCode(), other::toString);
        assertTrue(other.out().contains("records the signer identity https://github.com/acme/plugins/.github/workflows/nightly.yml"),
                other::toString);
        Cli.Result otherHit = cli.run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(8, otherHit.exitCode(), "the cached copy is signed by the release workflow too: " + otherHit);
    }

    /**
     * A certificate whose issuer imitates the summary text ("identity=I issuer=S, Rekor log index N") is
     * not the locked signer: reading the signer back out of that text cut it right after the locked issuer
     * and accepted it; the structured signer keeps the whole issuer (docs/locking.md, "Signer").
     */
    @Test
    void anIssuerThatImitatesTheSummaryTextIsNotTheLockedSigner() throws IOException {
        Cli cli = cli();
        String ref = "oci://" + registry.host() + "/keyless/lookalike:1";
        TestSigstore.Identity release = TestSigstore.Identity.github("acme/plugins", "release.yml");
        String lookAlikeIssuer = release.issuer() + ", Rekor log index 1";
        TestSigstore.Identity lookAlike = new TestSigstore.Identity(release.san(), lookAlikeIssuer, release.repository());
        publish(cli, ref, TestPlugins.QMT_OPENAI, lookAlike);
        // A policy whose issuer regexp is anchored at the start only accepts the look-alike: the lock must not.
        Path cfg = config(ref, ISSUER_PREFIX);
        Cli.Result lock = cli.run("--config", cfg.toString(), "lock");
        assertEquals(0, lock.exitCode(), lock::toString);
        Path lockFile = tmp.resolve("qmt4j.lock");
        String text = Files.readString(lockFile);
        String recorded = "signer_issuer = \"" + lookAlikeIssuer + "\"\n";
        assertTrue(text.contains(recorded), "the whole issuer, as one TOML string: " + text);

        // The lock as the release workflow's real certificate would have written it.
        Files.writeString(lockFile, text.replace(recorded, "signer_issuer = \"" + release.issuer() + "\"\n"));
        Cli.Result locked = cli.run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(8, locked.exitCode(), "the look-alike issuer is another signer: " + locked);
        assertTrue(locked.out().contains("(issuer " + lookAlikeIssuer + ")"), locked::toString);

        // The lock the look-alike's own certificate wrote: the whole issuer is the signer, fresh and from the cache.
        Files.writeString(lockFile, text);
        for (int i = 0; i < 2; i++) {
            Cli.Result same = cli.run("--config", cfg.toString(), "--locked", "providers");
            assertEquals(0, same.exitCode(), "the signer the lock recorded: " + same);
        }
        Files.writeString(lockFile, text.replace(recorded, "signer_issuer = \"" + release.issuer() + "\"\n"));
        Cli.Result hit = cli.run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(8, hit.exitCode(), "a cache hit compares the structured signer too: " + hit);
    }

    /**
     * {@code lock --check --online} (docs/locking.md, "Online check"): the tag moves to a release signed by another
     * workflow of the same repository, which the policy's regexp accepts; the line names the locked and the new signer.
     */
    @Test
    void onlineCheckNamesTheChangedKeylessSigner() throws IOException {
        Cli cli = cli();
        String ref = "oci://" + registry.host() + "/keyless/online:1";
        TestSigstore.Identity release = TestSigstore.Identity.github("acme/plugins", "release.yml");
        TestSigstore.Identity nightly = TestSigstore.Identity.github("acme/plugins", "nightly.yml");
        Digest d1 = publish(cli, ref, TestPlugins.QMT_OPENAI, release);
        Path cfg = config(ref, ISSUER);
        assertEquals(0, cli.run("--config", cfg.toString(), "lock").exitCode());
        Cli.Result same = cli.run("--config", cfg.toString(), "lock", "--check", "--online");
        assertEquals(0, same.exitCode(), same::toString);
        assertTrue(same.out().contains("provider 'remote': unchanged " + d1), same::toString);

        Digest d2 = publish(cli, ref, TestPlugins.QMT_LEGACY, nightly);
        Cli.Result moved = cli.run("--config", cfg.toString(), "lock", "--check", "--online");
        assertEquals(16, moved.exitCode(), moved::toString);
        assertTrue(moved.out().contains("provider 'remote': tag moved: locked " + d1 + ", registry now " + d2
                + "; verifies, but signer changed: locked identity " + release.san() + " (issuer " + release.issuer()
                + "), now identity " + nightly.san() + " (issuer " + nightly.issuer() + ")"), moved::toString);
    }
}
