package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.host.LockFile;
import dev.qmt4j.host.LockedProvider;
import dev.qmt4j.oci.Signer;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code qmt4j lock --check --online} against a real registry, signed with cosign keys (docs/locking.md): a tag that
 * stays, a tag moved to a release of the same signer, one moved to a release of another key, and a registry that is down.
 */
class CliLockOnlineTest extends RegistryCliTestBase {
    private String ref;
    private Path lockPath;

    @BeforeEach
    void refAndLockPath() {
        ref = "oci://" + registry.host() + "/fleet/remote:1";
        lockPath = tmp.resolve("qmt4j.lock");
    }

    /**
     * A config with the tagged provider, a digest-pinned one, and a local file, trusting {@code key}; locked; returns
     * the config. The tagged provider is locked at {@code d1}.
     */
    private Path configAndLock(String key, String d1) throws IOException {
        Files.write(tmp.resolve("local.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        Path cfg = writeConfig(key, d1);
        Cli.Result lock = cli.run("--config", cfg.toString(), "lock");
        assertEquals(0, lock.exitCode(), lock::toString);
        return cfg;
    }

    private Path writeConfig(String key, String pinned) throws IOException {
        return Files.writeString(tmp.resolve("providers.toml"), """
                [[providers]]
                name = "remote"
                path = "%s"

                [[providers]]
                name = "pinned"
                path = "oci://%s/fleet/remote@%s"

                [[providers]]
                name = "local"
                path = "local.wasm"

                [oci]
                public_key = "%s"
                """.formatted(ref, registry.host(), pinned, key + ".pub"));
    }

    /** Every file under the cache with its size: the online check must not add to it (no layer is downloaded). */
    private List<String> cacheListing() {
        Path cache = tmp.resolve("cache");
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(Files::isRegularFile).map(p -> {
                try {
                    return cache.relativize(p) + " " + Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The locked release every test starts from: its key, its digest and the config (see {@link #lockRelease}). */
    private record Release(String key, String d1, Path cfg) {}

    /** Generates the release key, pushes and signs qmt-openai under {@link #ref} with it, and locks that. */
    private Release lockRelease() throws IOException {
        String key = keyPair("release");
        String d1 = pushPlugin(ref, TestPlugins.QMT_OPENAI, key);
        return new Release(key, d1, configAndLock(key, d1));
    }

    private Cli.Result online(Path cfg) {
        return cli.run("--config", cfg.toString(), "lock", "--check", "--online");
    }

    @Test
    void aTagThatStaysIsUnchangedWithExitZero() throws IOException {
        Release r = lockRelease();
        String lock = Files.readString(lockPath);

        Cli.Result check = online(r.cfg());
        assertEquals(0, check.exitCode(), check::toString);
        assertTrue(check.out().contains("provider 'remote': unchanged " + r.d1()), check::toString);
        assertTrue(check.out().contains("provider 'pinned': unchanged " + r.d1() + " (pinned by digest"), check::toString);
        assertFalse(check.out().contains("provider 'local'"), "a local file that agrees has no line, as offline: " + check);
        assertEquals(lock, Files.readString(lockPath), "nothing is written");

        // --online belongs to --check; --check alone stays offline (the registry is stopped).
        Cli.Result usage = cli.run("--config", r.cfg().toString(), "lock", "--online");
        assertEquals(2, usage.exitCode(), usage::toString);
        registry.stop();
        Cli.Result offline = cli.run("--config", r.cfg().toString(), "lock", "--check");
        assertEquals(0, offline.exitCode(), offline::toString);
        assertEquals("", offline.out(), offline::toString);
    }

    @Test
    void aTagMovedToAReleaseOfTheSameKeyIsExitSixteenWithSameSigner() throws IOException {
        Release r = lockRelease();
        String lock = Files.readString(lockPath);
        String d2 = pushPlugin(ref, TestPlugins.QMT_LEGACY, r.key());
        assertFalse(r.d1().equals(d2));
        List<String> cache = cacheListing();

        Cli.Result check = online(r.cfg());
        assertEquals(16, check.exitCode(), check::toString);
        assertTrue(check.out().contains("provider 'remote': tag moved: locked " + r.d1() + ", registry now " + d2 + "; "),
                check::toString);
        assertTrue(check.out().contains("same signer"), check::toString);
        assertTrue(check.out().contains("provider 'pinned': unchanged " + r.d1()), "a digest never moves: " + check);
        assertTrue(check.err().contains("a locked tag moved"), check::toString);
        assertEquals(lock, Files.readString(lockPath), "nothing is written");
        assertEquals(cache, cacheListing(), "no plugin layer enters the cache");
    }

    @Test
    void aTagMovedToAReleaseOfAnotherKeyFailsVerificationOrNamesTheChangedSigner() throws IOException {
        Release r = lockRelease();
        String other = keyPair("other");
        Signer locked = ((LockedProvider.Oci) LockFile.read(lockPath).find("remote").orElseThrow()).signer().orElseThrow();
        String d3 = pushPlugin(ref, TestPlugins.QMT_STRICT, other);

        // The policy still names the release key: the new digest does not verify.
        Cli.Result check = online(r.cfg());
        assertEquals(16, check.exitCode(), check::toString);
        assertTrue(check.out().contains("provider 'remote': tag moved: locked " + r.d1() + ", registry now " + d3
                + "; verification failed: "), check::toString);

        // The policy now trusts the other key (as after a key rotation): it verifies, and the signer is not the locked one.
        writeConfig(other, r.d1());
        Cli.Result rotated = online(r.cfg());
        assertEquals(16, rotated.exitCode(), rotated::toString);
        assertTrue(rotated.out().contains("provider 'remote': tag moved: locked " + r.d1() + ", registry now " + d3
                + "; verifies, but signer changed: locked " + locked.describe() + ", now key sha256:"), rotated::toString);
        assertFalse(rotated.out().contains("now " + locked.describe()), rotated::toString);
    }

    @Test
    void aRegistryThatIsDownIsItsNetworkCodeNamingTheRegistry() throws IOException {
        Release r = lockRelease();
        registry.stop();

        Cli.Result check = online(r.cfg());
        assertEquals(6, check.exitCode(), "NETWORK: " + check);
        assertTrue(check.out().contains("provider 'remote': cannot resolve " + ref.substring("oci://".length()))
                || check.out().contains("provider 'remote': cannot resolve " + ref), check::toString);
        assertTrue(check.out().contains("(registry " + registry.host() + ")"), check::toString);
        assertTrue(check.out().contains("provider 'pinned': unchanged " + r.d1()), "nothing to contact for a digest: " + check);
        assertTrue(check.err().contains("incomplete"), check::toString);
    }
}
