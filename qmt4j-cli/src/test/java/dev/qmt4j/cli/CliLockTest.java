package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.host.LockFile;
import dev.qmt4j.host.LockedProvider;
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code qmt4j lock}, {@code lock --check} and {@code lock --update} against a real registry, signed with a cosign key. */
class CliLockTest extends RegistryCliTestBase {
    /** Pushes a three-platform index (two native builds and a Wasm fallback) under {@code ref} and signs it. */
    private void pushSigned(String ref, String key, String marker) throws IOException {
        Path amd = Fixtures.library(tmp, "amd-" + marker + ".so", "amd64 " + marker);
        Path arm = Fixtures.library(tmp, "arm-" + marker + ".so", "arm64 " + marker);
        Path wasm = Fixtures.wasm(tmp, "fallback-" + marker + ".wasm", 3_000, marker.hashCode());
        Cli.Result push = cli.run("push", ref, "--platform", "linux/amd64=" + amd, "--platform", "linux/arm64=" + arm,
                "--wasm-fallback", wasm.toString());
        assertEquals(0, push.exitCode(), push::toString);
        Cli.Result sign = cli.run("sign", ref, "--key", key + ".key");
        assertEquals(0, sign.exitCode(), sign::toString);
    }

    private Path config(String publicKey, String extra) throws IOException {
        Path local = Fixtures.wasm(tmp, "local.wasm", 2_000, 7);
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, """
                [[providers]]
                name = "remote"
                path = "oci://%s/fleet/remote:1"

                [[providers]]
                name = "local"
                path = "%s"
                %s
                [oci]
                public_key = "%s"
                """.formatted(registry.host(), local.getFileName(), extra, publicKey));
        return cfg;
    }

    @Test
    void lockIsDeterministicPinsEveryPlatformAndTheSignerAndMovesOnlyOnUpdate() throws IOException {
        String key = tmp.resolve("release").toString();
        Cli.Result gen = cli.run("generate-key-pair", "--output-key-prefix", key);
        assertEquals(0, gen.exitCode(), gen::toString);
        String fingerprint = gen.out().strip();
        String ref = "oci://" + registry.host() + "/fleet/remote:1";
        pushSigned(ref, key, "one");
        Path cfg = config(key + ".pub", "");
        Path lockPath = tmp.resolve("qmt4j.lock");

        Cli.Result lock = cli.run("--config", cfg.toString(), "lock");
        assertEquals(0, lock.exitCode(), lock::toString);
        assertTrue(lock.out().contains("remote: locked sha256:"), lock::toString);
        String first = Files.readString(lockPath);
        LockFile parsed = LockFile.read(lockPath);
        LockedProvider.Oci remote = (LockedProvider.Oci) parsed.find("remote").orElseThrow();
        assertEquals("1", remote.tag().orElseThrow());
        assertEquals(3, remote.platforms().size(), first);
        assertEquals("linux/amd64", remote.platforms().get(0).platform().orElseThrow(), first);
        assertEquals("native", remote.platforms().get(0).type(), first);
        assertEquals("wasi/wasm", remote.platforms().get(2).platform().orElseThrow(), first);
        assertEquals("wasm", remote.platforms().get(2).type(), first);
        assertEquals(new dev.qmt4j.oci.Signer.Key(fingerprint), remote.signer().orElseThrow(), first);
        assertEquals(1, remote.signatures().size(), first);
        assertEquals(Fixtures.sha256(tmp.resolve("local.wasm")),
                "sha256:" + ((LockedProvider.File) parsed.find("local").orElseThrow()).sha256());
        assertTrue(first.contains("reference = \"local.wasm\""), "the reference as written, not the resolved path: " + first);

        // Twice, and with --update of everything: byte-identical.
        assertEquals(0, cli.run("--config", cfg.toString(), "lock").exitCode());
        assertEquals(first, Files.readString(lockPath));
        Cli.Result again = cli.run("--config", cfg.toString(), "lock", "--update");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("remote: unchanged " + remote.digest()), again::toString);
        assertEquals(first, Files.readString(lockPath));

        // The tag moves to a new signed digest: plain lock and --check keep the pin; --update moves it.
        pushSigned(ref, key, "two");
        assertEquals(0, cli.run("--config", cfg.toString(), "lock").exitCode());
        assertEquals(first, Files.readString(lockPath));
        registry.stop();
        Cli.Result offline = cli.run("--config", cfg.toString(), "lock", "--check");
        assertEquals(0, offline.exitCode(), "--check is offline: " + offline);
        registry.start();
        Cli.Result moved = cli.run("--config", cfg.toString(), "lock", "--update", "remote");
        assertEquals(0, moved.exitCode(), moved::toString);
        assertTrue(moved.out().startsWith("remote: updated " + remote.digest() + " -> sha256:"), moved::toString);
        assertFalse(Files.readString(lockPath).contains(remote.digest()), "the pin moved");
    }

    @Test
    void checkNamesEachDifferenceWithExitSixteen() throws IOException {
        String key = keyPair("release");
        pushSigned("oci://" + registry.host() + "/fleet/remote:1", key, "one");
        Path cfg = config(key + ".pub", "");
        assertEquals(0, cli.run("--config", cfg.toString(), "lock", "--lock", tmp.resolve("custom.lock").toString()).exitCode());
        assertTrue(Files.exists(tmp.resolve("custom.lock")));
        Cli.Result noDefault = cli.run("--config", cfg.toString(), "lock", "--check");
        assertEquals(4, noDefault.exitCode(), "no qmt4j.lock beside the config: " + noDefault);

        // A provider the lock does not have, and a local file that changed.
        Path bigger = config(key + ".pub", """

                [[providers]]
                name = "extra"
                path = "extra.wasm"
                """);
        Files.write(tmp.resolve("extra.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        Files.write(tmp.resolve("local.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1});
        Cli.Result check = cli.run("--config", bigger.toString(), "lock", "--check", "--lock", tmp.resolve("custom.lock").toString());
        assertEquals(16, check.exitCode(), check::toString);
        assertTrue(check.out().contains("provider 'extra' (extra.wasm): not in the lock"), check::toString);
        assertTrue(check.out().contains("provider 'local': "), check::toString);
        assertTrue(check.err().contains("disagree in 2 places"), check::toString);
        assertFalse(check.err().contains("at dev.qmt4j"), "no stack trace: " + check);

        // Names are only for --update.
        Cli.Result usage = cli.run("--config", cfg.toString(), "lock", "remote");
        assertEquals(2, usage.exitCode(), usage::toString);
    }

    @Test
    void lockedModeLoadsTheLockedDigestAndFailsWithItsCodeOnAMissingProviderAnEditedDigestAndAnotherSigner()
            throws IOException {
        String key = keyPair("release");
        String other = keyPair("other");
        String ref = "oci://" + registry.host() + "/fleet/locked:1";
        String d1 = pushPlugin(ref, TestPlugins.QMT_OPENAI, key);
        Path cfg = tmp.resolve("locked.toml");
        String config = """
                [[providers]]
                name = "remote"
                path = "%s"
                %s
                [oci]
                public_key = "%s"
                """;
        Files.writeString(cfg, config.formatted(ref, "", key + ".pub"));
        Cli.Result lock = cli.run("--config", cfg.toString(), "lock");
        assertEquals(0, lock.exitCode(), lock::toString);
        assertTrue(lock.out().contains("remote: locked " + d1), lock::toString);
        Path lockPath = tmp.resolve("qmt4j.lock");
        String locked = Files.readString(lockPath);

        // The tag moves to a new digest signed by the same key: --locked still loads the locked one.
        String d2 = pushPlugin(ref, TestPlugins.QMT_LEGACY, key);
        assertFalse(d1.equals(d2));
        Cli.Result providers = cli.run("--config", cfg.toString(), "--locked", "providers", "--json");
        assertEquals(0, providers.exitCode(), providers::toString);
        assertTrue(providers.out().contains("\"digest\": \"" + d1 + "\""), providers::toString);
        assertFalse(providers.out().contains(d2), providers::toString);
        Cli.Result update = cli.run("--config", cfg.toString(), "--locked", "update");
        assertEquals(0, update.exitCode(), update::toString);
        assertTrue(update.out().contains("remote: unchanged " + d1), "update never moves a pin: " + update);
        Cli.Result unlocked = cli.run("--config", cfg.toString(), "update");
        assertEquals(0, unlocked.exitCode(), unlocked::toString);
        assertTrue(unlocked.out().contains(d2), "without --locked the tag is followed: " + unlocked);
        assertEquals(0, cli.run("--config", cfg.toString(), "lock", "--check").exitCode());

        // A provider the lock does not have: LOCK (16), naming it.
        String extraRef = "oci://" + registry.host() + "/fleet/extra:1";
        pushPlugin(extraRef, TestPlugins.QMT_OPENAI, key);
        Path bigger = tmp.resolve("bigger.toml");
        Files.writeString(bigger, config.formatted(ref, "\n[[providers]]\nname = \"extra\"\npath = \"" + extraRef + "\"\n",
                key + ".pub"));
        Cli.Result missing = cli.run("--config", bigger.toString(), "--locked", "providers");
        assertEquals(16, missing.exitCode(), missing::toString);
        assertTrue((missing.out() + missing.err()).contains("extra") && (missing.out() + missing.err()).contains("not in the lockfile"),
                missing::toString);

        // An edited digest the registry does not have: NOT_FOUND (4), naming the provider; fresh cache.
        Cli fresh = new Cli(tmp.resolve("cache2"));
        Files.writeString(lockPath, locked.replace(d1, "sha256:" + "0".repeat(64)));
        Cli.Result edited = fresh.run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(4, edited.exitCode(), edited::toString);
        assertTrue((edited.out() + edited.err()).contains("remote"), edited::toString);

        // The locked digest now also signed by another key, and a config that trusts that key: the signer
        // differs from the locked one, VERIFICATION (8).
        Files.writeString(lockPath, locked);
        Cli.Result resign = cli.run("sign", "oci://" + registry.host() + "/fleet/locked@" + d1, "--key", other + ".key");
        assertEquals(0, resign.exitCode(), resign::toString);
        Files.writeString(cfg, config.formatted(ref, "", other + ".pub"));
        Cli.Result signer = new Cli(tmp.resolve("cache3")).run("--config", cfg.toString(), "--locked", "providers");
        assertEquals(8, signer.exitCode(), signer::toString);
        assertTrue((signer.out() + signer.err()).contains("records the signer key"), signer::toString);
    }

    @Test
    void exportToASecondRegistryServesLockedModeWithTheUpstreamBlockedAndStopped() throws IOException {
        String key = keyPair("release");
        String wasmRef = "oci://" + registry.host() + "/team/wasm:1";
        String indexRef = "oci://" + registry.host() + "/team/index:2";
        String d1 = pushPlugin(wasmRef, TestPlugins.QMT_OPENAI, key);
        // An index whose only runnable build here is the Wasm fallback; the other platform is exported too.
        Path s390 = Fixtures.library(tmp, "s390.so", "s390x");
        Cli.Result push = cli.run("push", indexRef, "--platform", "linux/s390x=" + s390, "--wasm-fallback",
                TestPlugins.path(TestPlugins.QMT_LEGACY).toString());
        assertEquals(0, push.exitCode(), push::toString);
        assertEquals(0, cli.run("sign", indexRef, "--key", key + ".key").exitCode());
        Path cfg = tmp.resolve("fleet.toml");
        String providers = """
                [[providers]]
                name = "a"
                path = "%s"

                [[providers]]
                name = "b"
                path = "%s"

                [oci]
                public_key = "%s"
                """.formatted(wasmRef, indexRef, key + ".pub");
        Files.writeString(cfg, providers);
        assertEquals(0, cli.run("--config", cfg.toString(), "lock").exitCode());

        Path layouts = tmp.resolve("layouts");
        Cli.Result toLayout = cli.run("--config", cfg.toString(), "lock", "export", "oci-layout://" + layouts);
        assertEquals(0, toLayout.exitCode(), toLayout::toString);
        String layoutRef = "oci-layout://" + layouts.resolve(registry.host().replace(':', '_')).resolve("team/wasm") + ":1";
        Cli.Result fromLayout = new Cli(tmp.resolve("layout-cache")).run("pull", layoutRef, "--key", key + ".pub", "--json");
        assertEquals(0, fromLayout.exitCode(), "the layout holds the image and its signature: " + fromLayout);
        assertTrue(fromLayout.out().contains(d1), fromLayout::toString);

        try (RegistryServer second = RegistryServer.start(RegistryServer.Auth.NONE)) {
            Cli.Result export = cli.run("--config", cfg.toString(), "lock", "export", "oci://" + second.host() + "/airgap");
            assertEquals(0, export.exitCode(), export::toString);
            assertTrue(export.out().contains("a: " + d1 + " -> oci://" + second.host() + "/airgap/team/wasm:1"), export::toString);

            registry.stop();
            Path airgapped = tmp.resolve("airgapped.toml");
            Files.writeString(airgapped, providers + """

                    [[oci.registry]]
                    prefix = "%s"
                    blocked = true
                    [[oci.registry.mirror]]
                    location = "%s/airgap"
                    """.formatted(registry.host(), second.host()));
            Cli.Result loaded = new Cli(tmp.resolve("site-cache")).run("--config", airgapped.toString(), "--locked",
                    "providers", "--json");
            assertEquals(0, loaded.exitCode(), loaded::toString);
            assertTrue(loaded.out().contains("\"digest\": \"" + d1 + "\""), loaded::toString);
            assertEquals(2, loaded.out().split("\"status\": \"ok\"", -1).length - 1, loaded::toString);
        }

        // To a layout directory: one layout per repository, the signature with it (a keyed pull verifies).
        Cli.Result layout = cli.run("--config", cfg.toString(), "lock", "export", "oci-layout://" + tmp.resolve("layouts2"));
        assertTrue(layout.exitCode() != 0, "the upstream is stopped now: " + layout);
        assertTrue(layout.err().contains("provider '"), layout::toString);
    }

    @Test
    void frozenConfigAndLockFileKeyLockEveryCommandButLockItself() throws IOException {
        String key = keyPair("release");
        String ref = "oci://" + registry.host() + "/fleet/frozen:1";
        String d1 = pushPlugin(ref, TestPlugins.QMT_OPENAI, key);
        Path cfg = tmp.resolve("frozen.toml");
        String config = """
                [[providers]]
                name = "remote"
                path = "%s"

                [oci]
                public_key = "%s"
                lock = "%s"
                lock_file = "locks/fleet.lock"
                """;
        Files.writeString(cfg, config.formatted(ref, key + ".pub", "frozen"));
        Cli.Result noLock = cli.run("--config", cfg.toString(), "providers");
        assertEquals(16, noLock.exitCode(), "frozen without a lockfile: " + noLock);
        assertTrue(noLock.err().contains("locks/fleet.lock"), noLock::toString);
        Cli.Result lock = cli.run("--config", cfg.toString(), "lock");
        assertEquals(0, lock.exitCode(), "lock itself is never locked: " + lock);
        assertTrue(Files.readString(tmp.resolve("locks/fleet.lock")).contains(d1));

        String d2 = pushPlugin(ref, TestPlugins.QMT_LEGACY, key);
        Cli.Result providers = cli.run("--config", cfg.toString(), "providers", "--json");
        assertEquals(0, providers.exitCode(), providers::toString);
        assertTrue(providers.out().contains(d1) && !providers.out().contains(d2), providers::toString);

        Files.writeString(cfg, config.formatted(ref, key + ".pub", "sometimes"));
        Cli.Result bad = cli.run("--config", cfg.toString(), "providers");
        assertEquals(3, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("oci.lock"), bad::toString);
    }

    /** Waits until {@code log} contains {@code text}. */
    private static String awaitLog(Path log, String text, long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        String now = "";
        while (System.currentTimeMillis() < end) {
            now = Files.exists(log) ? Files.readString(log) : "";
            if (now.contains(text)) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within " + millis + " ms:\n" + now);
    }

    @Test
    void updateWatchSwapsInANewDigestWithTheSameSignerAndRefusesAnotherKey() throws Exception {
        String key = keyPair("release");
        String other = keyPair("other");
        String ref = "oci://" + registry.host() + "/fleet/watched:1";
        String d1 = pushPlugin(ref, TestPlugins.QMT_OPENAI, key);
        Path cfg = tmp.resolve("watch.toml");
        Files.writeString(cfg, """
                [[providers]]
                name = "remote"
                path = "%s"
                [providers.follow]
                every = "1s"
                jitter = "1s"

                [[providers]]
                name = "unfollowed"
                path = "%s"

                [oci]
                public_key = "%s"
                refresh = "never"
                """.formatted(ref, ref, key + ".pub"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = tmp.resolve("watch.log");
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--config", cfg.toString(), "--cache-dir", tmp.resolve("watch-cache").toString(),
                "update", "--watch").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("QMT4J_CACHE_DIR");
        Process p = pb.start();
        try {
            // without --every: only the providers with a [providers.follow] table, each at its own interval
            String started = awaitLog(log, "every PT1S (+ up to PT1S)", 60_000);
            assertTrue(started.contains("remote: following"), started);
            assertFalse(started.contains("unfollowed"), started);
            String d2 = pushPlugin(ref, TestPlugins.QMT_LEGACY, key);
            awaitLog(log, "remote: swapped " + d1 + " -> " + d2, 30_000);
            String d3 = pushPlugin(ref, TestPlugins.QMT_STRICT, other);
            String out = awaitLog(log, "remote: refused " + d3, 30_000);
            assertTrue(p.isAlive(), "the working version stays and following goes on: " + out);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        Cli.Result locked = cli.run("--config", cfg.toString(), "--locked", "update", "--watch");
        assertEquals(16, locked.exitCode(), "no lockfile, and locked mode never follows: " + locked);
        Cli.Result bad = cli.run("--config", cfg.toString(), "update", "--watch", "--every", "often");
        assertEquals(2, bad.exitCode(), bad::toString);
    }
}
