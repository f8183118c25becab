package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache (or trust root in it) that others can write is refused with exit 14, reported by doctor, and the switch. */
class CliCachePermissionsTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private Path config(String oci) throws IOException {
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, oci + """
                [[providers]]
                name = "hello"
                path = "oci-layout://%s:0.1.0"
                [providers.verify]
                public_key = "%s"
                """.formatted(REPO.resolve("examples/layout"), REPO.resolve("examples/keys/cosign.pub")));
        return cfg;
    }

    @Test
    void aGroupWritableCacheIsRefusedWithExit14UnlessTurnedOff() throws IOException {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxr-x"));
        Cli cli = new Cli(cache);
        Cli.Result r = cli.run("--config", config("").toString(), "pull", "oci-layout://" + REPO.resolve("examples/layout") + ":0.1.0");
        assertEquals(14, r.exitCode(), r::toString);
        assertTrue(r.err().contains("error: refusing the cache directory: " + cache + " is writable by group (mode rwxrwxr-x)"), r.err());
        assertTrue(r.err().contains("hint: run 'chmod go-w " + cache + "'"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");

        Cli.Result withConfig = cli.run("--config", config("[oci]\ncache_permissions_check = false\n").toString(), "pull",
                "oci-layout://" + REPO.resolve("examples/layout") + ":0.1.0");
        assertEquals(0, withConfig.exitCode(), withConfig::toString);

        cli.env().put("QMT4J_CACHE_PERMISSIONS_CHECK", "false");
        Cli.Result withEnv = cli.run("--config", config("").toString(), "cache", "ls");
        assertEquals(0, withEnv.exitCode(), withEnv::toString);
    }

    @Test
    void doctorReportsCacheAndTrustRootPermissionProblems() throws IOException {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path tuf = Files.createDirectories(cache.resolve("sigstore/tuf/tuf-repo-cdn.sigstore.dev"));
        Files.setPosixFilePermissions(tuf, PosixFilePermissions.fromString("rwxrwxrwx"));
        Cli cli = new Cli(cache);
        Cli.Result r = cli.run("--config", config("").toString(), "doctor");
        assertEquals(14, r.exitCode(), r::toString);
        assertTrue(r.out().contains("ok    cache permissions: " + cache), r.out());
        assertTrue(r.out().contains("fail  trust root permissions: refusing the trust-root directory: " + tuf
                + " is writable by group and others"), r.out());

        Files.setPosixFilePermissions(tuf, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xrwx"));
        Cli.Result c = cli.run("--config", config("").toString(), "doctor");
        assertEquals(14, c.exitCode(), c::toString);
        assertTrue(c.out().contains("fail  cache permissions: refusing the cache directory: " + cache + " is writable by others"), c.out());
        assertTrue(c.out().contains("ok    trust root permissions: "), c.out());

        cli.env().put("QMT4J_CACHE_PERMISSIONS_CHECK", "false");
        Cli.Result off = cli.run("--config", config("").toString(), "doctor");
        assertEquals(0, off.exitCode(), off::toString);
        assertTrue(off.out().contains("warn  cache permissions: " + cache + " is writable by others (mode rwxr-xrwx) (accepted"), off.out());
        assertTrue(off.out().contains("ok    provider hello: loads"), off.out());
    }
}
