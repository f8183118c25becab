package dev.qmt4j.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.files.CachePermissions;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache's StrictModes: directories others can write to, or another user owns, are refused (exit 14), unless
 * the switch is off; what the cache creates is {@code rwxr-xr-x}/{@code rw-r--r--} or stricter under any umask.
 */
class CachePermissionsTest {
    @TempDir
    Path tmp;

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private static Qmt4jException refused(Path root) {
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> PluginCache.open(root));
        assertEquals(ErrorKind.PERMISSIONS, e.kind());
        assertEquals(14, e.kind().exitCode());
        assertTrue(e.hint().contains("chmod go-w") && e.hint().contains("cache_permissions_check = false")
                && e.hint().contains("QMT4J_CACHE_PERMISSIONS_CHECK=false"), e.hint());
        return e;
    }

    @Test
    void aCacheDirectoryWritableByGroupOrOthersIsRefused() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("group"));
        chmod(root, "rwxrwxr-x");
        Qmt4jException e = refused(root);
        assertTrue(e.getMessage().contains("refusing the cache directory: " + root + " is writable by group (mode rwxrwxr-x)"),
                e.getMessage());
        assertEquals(List.of(), List.of(root.toFile().list()), "nothing was created in it");

        Path others = Files.createDirectories(tmp.resolve("others"));
        chmod(others, "rwxr-xrwx");
        assertTrue(refused(others).getMessage().contains("writable by others"));
    }

    @Test
    void aWritableSubdirectoryAndAWritableTrustRootDirectoryAreRefused() throws IOException {
        Path root = tmp.resolve("sub");
        PluginCache.open(root);
        chmod(root.resolve("entries"), "rwxrwxrwx");
        assertTrue(refused(root).getMessage().contains(root.resolve("entries") + " is writable by group and others"));
        chmod(root.resolve("entries"), "rwxr-xr-x");

        Path tuf = Files.createDirectories(root.resolve("sigstore/tuf/tuf-repo-cdn.sigstore.dev/targets"));
        chmod(tuf, "rwxrwxr-x");
        assertTrue(refused(root).getMessage().contains(tuf + " is writable by group"));
        assertEquals(List.of(new CachePermissions.Problem(tuf, "is writable by group (mode rwxrwxr-x)")),
                CachePermissions.inspect(CachePermissions.cacheDirectories(root)));
    }

    @Test
    void theSwitchAcceptsASharedCache() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("shared"));
        chmod(root, "rwxrwxrwx");
        PluginCache cache = PluginCache.open(root, false);
        assertEquals(root.toAbsolutePath(), cache.root());
        assertEquals(false, CachePermissions.enabled(Map.of("QMT4J_CACHE_PERMISSIONS_CHECK", "false"), true));
        assertEquals(true, CachePermissions.enabled(Map.of("QMT4J_CACHE_PERMISSIONS_CHECK", "true"), false));
        assertEquals(false, CachePermissions.enabled(Map.of(), false));
        assertEquals(ErrorKind.CONFIG, assertThrows(Qmt4jException.class,
                () -> CachePermissions.enabled(Map.of("QMT4J_CACHE_PERMISSIONS_CHECK", "maybe"), true)).kind());
    }

    @Test
    void aCacheDirectoryOwnedByAnotherUserIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown to another uid needs root");
        Path root = Files.createDirectories(tmp.resolve("theirs"));
        Files.setAttribute(root, "unix:uid", 4242);
        Qmt4jException e = refused(root);
        assertTrue(e.getMessage().contains(root + " is owned by ") && e.getMessage().contains("(uid 4242), not by the user running qmt4j (uid 0)"),
                e.getMessage());
        PluginCache.open(root, false); // the switch covers ownership too
    }

    /** Writes one of everything into the cache at {@code args[0]}; run under {@code umask 000} by the test below. */
    public static void main(String[] args) {
        PluginCache cache = PluginCache.open(Path.of(args[0]));
        ImageRef ref = ImageRef.parse("oci://ghcr.io/acme/echo:1");
        byte[] manifest = "{}".getBytes(StandardCharsets.UTF_8);
        cache.putManifest(new ManifestBlob(Digest.sha256(manifest), MediaTypes.OCI_MANIFEST, manifest));
        cache.putRef(new RefRecord(ref.canonical(), Digest.sha256(manifest), MediaTypes.OCI_MANIFEST, Instant.now(),
                Optional.empty(), Optional.empty()));
        PluginCacheTest.commitWasm(cache, "wasm".getBytes(StandardCharsets.UTF_8));
        cache.putEvidence(Digest.sha256(manifest), "ok", Map.of("sig", new byte[] {1}));
    }

    @Test
    void everythingTheCacheCreatesIsWritableOnlyByItsOwnerWhateverTheUmask() throws Exception {
        Path root = tmp.resolve("umask");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("sh", "-c", "umask 000 && exec \"$0\" -cp \"$1\" " + getClass().getName() + " \"$2\"",
                java, System.getProperty("java.class.path"), root.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        try (Stream<Path> all = Files.walk(root)) {
            List<String> loose = all.filter(f -> {
                try {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS);
                    return perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(f -> root.relativize(f) + " " + modeOf(f)).toList();
            assertEquals(List.of(), loose);
        }
        PluginCache.open(root); // and it passes its own check
    }

    private static String modeOf(Path f) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return "?";
        }
    }
}
