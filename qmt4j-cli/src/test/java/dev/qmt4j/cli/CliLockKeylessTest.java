package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.RegistrySource;
import dev.qmt4j.oci.registry.RegistryTarget;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.sigstore.TestSigstore;
import dev.qmt4j.sigstore.certs.Pem;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The lock records a keyless signer (issuer and identity) and locked mode compares it, with a private Sigstore. */
class CliLockKeylessTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();
    static final TestSigstore SIGSTORE = new TestSigstore();

    @TempDir
    Path tmp;

    @Test
    void lockRecordsIssuerAndIdentityAndLockedModeRefusesAnotherIdentity() throws IOException {
        Cli cli = new Cli(tmp.resolve("cache"));
        cli.env().put("QMT4J_SIGSTORE_TUF_URL", "http://127.0.0.1:9/"); // never the internet
        String ref = "oci://" + registry.host() + "/keyless/remote:1";
        assertEquals(0, cli.run("push", ref, "--wasm", TestPlugins.path(TestPlugins.QMT_OPENAI).toString()).exitCode());
        TestSigstore.Identity release = TestSigstore.Identity.github("acme/plugins", "release.yml");
        RegistryRef r = (RegistryRef) ImageRef.parse(ref);
        RegistryClient client = new RegistryClient(RegistryOptions.builder().credentials(CredentialStore.anonymous())
                .proxySelector(null).connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(20)).build());
        try (RegistrySource s = client.source(r); RegistryTarget t = client.target(r)) {
            Digest d = s.resolve().digest();
            SIGSTORE.signKeyless(s, t, d, r.name(), release);
        }
        Path fulcio = Files.writeString(tmp.resolve("fulcio.pem"), SIGSTORE.caPem());
        Path rekor = Files.writeString(tmp.resolve("rekor.pub"), Pem.encode("PUBLIC KEY", SIGSTORE.rekorKey.getPublic().getEncoded()));
        Path ctfe = Files.writeString(tmp.resolve("ctfe.pub"), Pem.encode("PUBLIC KEY", SIGSTORE.ctKey.getPublic().getEncoded()));
        Path cfg = Files.writeString(tmp.resolve("providers.toml"), """
                [[providers]]
                name = "remote"
                path = "%s"

                [oci]
                fulcio_certs = "%s"
                rekor_pub_keys = "%s"
                ctfe_pub_keys = "%s"
                cert_identity_regexp = '^https://github\\.com/acme/plugins/'
                cert_issuer = "https://token.actions.githubusercontent.com"
                """.formatted(ref, fulcio, rekor, ctfe));

        Cli.Result lock = cli.run("--config", cfg.toString(), "lock");
        assertEquals(0, lock.exitCode(), lock::toString);
        Path lockFile = tmp.resolve("qmt4j.lock");
        String text = Files.readString(lockFile);
        assertTrue(text.contains("signer_issuer = \"https://token.actions.githubusercontent.com\"\n"), text);
        assertTrue(text.contains("signer_identity = \"" + release.san() + "\"\n"), text);

        Cli.Result ok = cli.run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(0, ok.exitCode(), "the same identity and issuer: " + ok);

        // Another workflow of the same repository satisfies the policy's regexp, but is not the locked signer.
        Files.writeString(lockFile, text.replace(release.san(), release.san().replace("release.yml", "nightly.yml")));
        Cli.Result other = new Cli(tmp.resolve("cache2")).run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(8, other.exitCode(), other::toString);
        assertTrue(other.out().contains("records the signer identity https://github.com/acme/plugins/.github/workflows/nightly.yml"),
                other::toString);
    }
}
