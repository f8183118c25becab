package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.testkit.HttpsFileServer;
import dev.qmt4j.testkit.TestCertificates;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qmt4j lock} for an {@code https://} plugin the config does not pin (an HTTPS server with a private CA):
 * the lock pins what the server serves at lock time, and a locked load elsewhere refuses other bytes.
 */
class CliLockUrlTest {
    @TempDir
    Path tmp;
    private HttpsFileServer files;

    @BeforeEach
    void start() {
        files = HttpsFileServer.start();
    }

    @AfterEach
    void stop() {
        files.close();
    }

    private Path config(String url, String extra) throws IOException {
        Files.copy(TestCertificates.shared().caCertificate(), tmp.resolve("test-ca.pem"), StandardCopyOption.REPLACE_EXISTING);
        return Files.writeString(tmp.resolve("providers.toml"), """
                [[providers]]
                name = "web"
                path = "%s"
                %s
                [oci]
                ca_certificates = "test-ca.pem"
                """.formatted(url, extra));
    }

    @Test
    void anUnpinnedUrlIsLockedByItsDownloadsHashAndOtherBytesAreRefusedWhenLocked() throws IOException {
        Path plugin = TestPlugins.path(TestPlugins.QMT_OPENAI);
        String url = files.serve("/plugin.wasm", plugin);
        Path cfg = config(url, "insecure = true");
        String sha = Digest.sha256(plugin).hex();

        Cli cli = new Cli(tmp.resolve("cache"));
        Cli.Result lock = cli.run("--config", cfg.toString(), "lock");
        assertEquals(0, lock.exitCode(), lock::toString);
        assertTrue(lock.out().contains("web: locked sha256:" + sha), lock::toString);
        assertFalse(lock.err().contains("is not locked"), lock::toString);
        assertTrue(Files.readString(tmp.resolve("qmt4j.lock")).contains(sha), "the lock records the download's hash");
        Cli.Result check = cli.run("--config", cfg.toString(), "lock", "--check");
        assertEquals(0, check.exitCode(), check::toString);

        // Another machine (an empty cache) in locked mode, after the server started serving other bytes.
        files.serve("/plugin.wasm", TestPlugins.path(TestPlugins.QMT_LEGACY));
        Cli elsewhere = new Cli(tmp.resolve("cache-elsewhere"));
        Cli.Result locked = elsewhere.run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(ErrorKind.INTEGRITY.exitCode(), locked.exitCode(), locked::toString);
        assertTrue(locked.out().contains(sha) || locked.err().contains(sha), locked::toString);

        // The same bytes again: the locked load succeeds.
        files.serve("/plugin.wasm", plugin);
        Cli.Result ok = elsewhere.run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(0, ok.exitCode(), ok::toString);
    }

    @Test
    void anUnpinnedUrlThatMayNotLoadFailsTheLockWithTheLoadError() throws IOException {
        String url = files.serve("/plugin.wasm", TestPlugins.path(TestPlugins.QMT_OPENAI));
        Cli.Result lock = new Cli(tmp.resolve("cache")).run("--config", config(url, "").toString(), "lock");
        assertFalse(lock.exitCode() == 0, lock::toString);
        assertTrue(lock.err().contains("sha256 pin"), lock::toString);
        assertFalse(Files.exists(tmp.resolve("qmt4j.lock")), "nothing written");
    }
}
