package dev.qmt4j.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.PluginType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads skip the re-hash only while a file's stamp (size, mtime, ctime, inode) is unchanged. */
class EntryStampTest {
    @TempDir
    Path dir;

    /** A small racy margin so the tests need not wait two seconds for the file-system clock. */
    private static final Duration MARGIN = Duration.ofMillis(20);

    private PluginCache open() {
        return PluginCache.open(dir, MARGIN);
    }

    @Test
    void untouchedEntryIsNotReHashedOnceItsStampIsSettled() throws Exception {
        assumeTrue(FileStamp.of(Files.writeString(dir.resolve("probe"), "x")).isPresent(), "file system without ctime/inode");
        PluginCache cache = open();
        CacheEntry entry = PluginCacheTest.commitWasm(cache, "wasm bytes".getBytes(StandardCharsets.UTF_8));
        assertFalse(Files.isWritable(entry.pluginPath()) && !isRoot(), "plugin files are read-only");
        assertTrue(Files.getPosixFilePermissions(entry.pluginPath()).stream().noneMatch(p -> p.name().endsWith("WRITE")),
                Files.getPosixFilePermissions(entry.pluginPath()).toString());

        // Just committed: the stamp is racy (as new as entry.json), so the first load re-hashes
        // and records it afresh once the file-system clock has moved on.
        settle(entry);
        PluginCache first = open();
        assertTrue(first.findEntry(entry.key(), PluginCacheTest::fail).isPresent());
        assertEquals(1, first.filesRehashed(), "racy stamp: re-hashed once");

        PluginCache second = open();
        for (int i = 0; i < 3; i++) {
            assertTrue(second.findEntry(entry.key(), PluginCacheTest::fail).isPresent());
        }
        assertEquals(0, second.filesRehashed(), "stamps match: no re-hash");
    }

    @Test
    void sameSizeRewriteWithMtimeRestoredIsDetectedThroughCtime() throws Exception {
        assumeTrue(FileStamp.of(Files.writeString(dir.resolve("probe"), "x")).isPresent(), "file system without ctime/inode");
        PluginCache cache = open();
        CacheEntry entry = PluginCacheTest.commitWasm(cache, "wasm bytes".getBytes(StandardCharsets.UTF_8));
        settle(entry);
        assertTrue(open().findEntry(entry.key(), PluginCacheTest::fail).isPresent()); // settles the stamp
        settle(entry);

        Path plugin = entry.pluginPath();
        FileTime mtime = Files.getLastModifiedTime(plugin);
        FileStamp before = FileStamp.of(plugin).orElseThrow();
        byte[] bytes = Files.readAllBytes(plugin);
        bytes[3] ^= 1;
        makeWritable(plugin);
        Files.write(plugin, bytes); // same size, same inode
        Files.setLastModifiedTime(plugin, mtime);
        FileStamp after = FileStamp.of(plugin).orElseThrow();
        assertEquals(before.size(), after.size());
        assertEquals(before.mtime(), after.mtime());
        assertEquals(before.key(), after.key());

        PluginCache reader = open();
        List<String> warnings = new ArrayList<>();
        assertEquals(Optional.empty(), reader.findEntry(entry.key(), warnings::add));
        assertTrue(reader.filesRehashed() >= 1);
        assertTrue(warnings.get(0).contains("damaged"), warnings.toString());
        assertFalse(Files.exists(entry.directory()), "the damaged entry is deleted");
    }

    @Test
    void writeRightAfterCommitIsDetectedEvenWithinOneClockTick() throws Exception {
        // The default (two-second) margin: a stamp recorded at commit is racy, so a write in the
        // same clock tick, which may leave ctime unchanged, is still caught by the re-hash.
        PluginCache cache = PluginCache.open(dir);
        CacheEntry entry = PluginCacheTest.commitWasm(cache, "wasm bytes".getBytes(StandardCharsets.UTF_8));
        Path plugin = entry.pluginPath();
        FileTime mtime = Files.getLastModifiedTime(plugin);
        byte[] bytes = Files.readAllBytes(plugin);
        bytes[3] ^= 1;
        makeWritable(plugin);
        Files.write(plugin, bytes);
        Files.setLastModifiedTime(plugin, mtime);

        List<String> warnings = new ArrayList<>();
        assertEquals(Optional.empty(), PluginCache.open(dir).findEntry(entry.key(), warnings::add));
        assertTrue(warnings.get(0).contains("does not match"), warnings.toString());
    }

    @Test
    void verifyReHashesDespiteMatchingStampsAndNamesTheDamagedEntry() throws Exception {
        PluginCache cache = open();
        CacheEntry good = PluginCacheTest.commitWasm(cache, "good bytes".getBytes(StandardCharsets.UTF_8));
        CacheEntry bad = PluginCacheTest.commitWasm(cache, "bad bytes!".getBytes(StandardCharsets.UTF_8));
        settle(good);
        settle(bad);
        assertTrue(open().findEntry(good.key(), PluginCacheTest::fail).isPresent());
        assertTrue(open().findEntry(bad.key(), PluginCacheTest::fail).isPresent());
        // Flip one byte behind the stamp's back: rewrite, then put the stamp back in entry.json as
        // someone who can also reset ctime would. Only a full re-hash can catch this.
        byte[] json = Files.readAllBytes(bad.directory().resolve("entry.json"));
        Path plugin = bad.pluginPath();
        byte[] bytes = Files.readAllBytes(plugin);
        bytes[0] ^= 1;
        makeWritable(plugin);
        Files.write(plugin, bytes);
        CacheEntry reread = new CacheEntry(bad.key(), bad.directory(), bad.contents());
        FileStamp now = FileStamp.of(plugin).orElse(null);
        Files.write(bad.directory().resolve("entry.json"), now == null ? json
                : CacheJson.write(reread.contents(), java.util.Map.of("plugin.wasm", now)));
        Files.setLastModifiedTime(bad.directory().resolve("entry.json"), FileTime.from(Instant.now().plusSeconds(60)));
        if (now != null) {
            PluginCache trusting = open();
            assertTrue(trusting.findEntry(bad.key(), PluginCacheTest::fail).isPresent(), "the load trusts a matching stamp");
            assertEquals(0, trusting.filesRehashed());
        }

        PluginCache verifier = open();
        List<EntryVerification> results = verifier.verify(Optional.empty());
        assertEquals(2, results.size());
        assertTrue(verifier.filesRehashed() >= 2, "every file re-hashed despite matching stamps");
        EntryVerification failed = results.stream().filter(r -> r.problem().isPresent()).findFirst().orElseThrow();
        assertEquals(bad.key(), failed.key());
        assertEquals(bad.directory(), failed.directory());
        assertTrue(failed.problem().get().contains("does not match"), failed.problem().get());
        assertFalse(Files.exists(bad.directory()), "a damaged entry is deleted so the next pull fetches it again");
        assertTrue(Files.exists(good.directory()));
    }

    @Test
    void verifyOfOneReferenceChecksOnlyItsEntry() throws Exception {
        PluginCache cache = open();
        CacheEntry one = PluginCacheTest.commitWasm(cache, "one".getBytes(StandardCharsets.UTF_8));
        PluginCacheTest.commitWasm(cache, "two".getBytes(StandardCharsets.UTF_8));
        ImageRef ref = ImageRef.parse("oci://ghcr.io/acme/one:1");
        cache.putRef(new RefRecord(ref.canonical(), Digest.sha256(new byte[] {1}), MediaTypes.OCI_MANIFEST, Instant.now(),
                Optional.of(one.key()), Optional.of(PluginType.WASM)));

        PluginCache verifier = open();
        List<EntryVerification> results = verifier.verify(Optional.of(ref));
        assertEquals(1, results.size());
        assertEquals(one.key(), results.get(0).key());
        assertEquals(Optional.empty(), results.get(0).problem());
        assertEquals(1, verifier.filesRehashed());
        assertEquals(List.of(), verifier.verify(Optional.of(ImageRef.parse("oci://ghcr.io/acme/none:1"))));
    }

    /**
     * Waits until the file-system clock is past the racy margin of the entry's files (a new file's
     * mtime is the file system's idea of now); bounded, a few tens of milliseconds in practice.
     */
    private void settle(CacheEntry entry) throws IOException, InterruptedException {
        long newest = 0;
        for (String f : entry.contents().files().keySet()) {
            Optional<FileStamp> st = FileStamp.of(entry.resolve(f));
            if (st.isPresent()) {
                newest = Math.max(newest, Math.max(st.get().ctime(), st.get().mtime()));
            }
        }
        Path probe = dir.resolve("clock-probe");
        for (int i = 0; i < 500; i++) {
            Files.writeString(probe, Integer.toString(i));
            if (FileStamp.nanos(Files.getLastModifiedTime(probe)) > newest + 2 * MARGIN.toNanos()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the file-system clock did not advance");
    }

    private static void makeWritable(Path p) throws IOException {
        try {
            var perms = Files.getPosixFilePermissions(p);
            perms.add(PosixFilePermission.OWNER_WRITE);
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException e) {
            p.toFile().setWritable(true);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
