package dev.qmt4j.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.PluginType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginCacheTest {
    @TempDir
    Path dir;

    private static final ImageRef REF = ImageRef.parse("oci://ghcr.io/acme/echo");

    @Test
    void referenceRecordRoundTripsAndIsKeyedByCanonicalForm() {
        PluginCache cache = PluginCache.open(dir);
        Digest digest = Digest.sha256("m".getBytes(StandardCharsets.UTF_8));
        Digest layer = Digest.sha256("l".getBytes(StandardCharsets.UTF_8));
        RefRecord record = new RefRecord(REF.canonical(), digest, MediaTypes.OCI_INDEX,
                Instant.parse("2026-01-02T03:04:05Z"), Optional.of(new EntryKey(layer, Optional.of("x.wasm"))),
                Optional.of(PluginType.WASM));
        cache.putRef(record);

        assertEquals(Optional.of(record), cache.findRef(ImageRef.parse("ghcr.io/acme/echo:latest")));
        assertEquals(Optional.of(record), PluginCache.open(dir).findRef(REF), "survives reopening");
        assertEquals(Optional.empty(), cache.findRef(ImageRef.parse("ghcr.io/acme/echo:2")));
    }

    @Test
    void writesLeaveNoTemporaryFilesBehind() throws IOException {
        PluginCache cache = PluginCache.open(dir);
        for (int i = 0; i < 3; i++) {
            cache.putRef(new RefRecord(REF.canonical(), Digest.sha256(new byte[] {(byte) i}), null, Instant.now(),
                    Optional.empty(), Optional.empty()));
        }
        cache.putManifest(new ManifestBlob(Digest.sha256(new byte[] {1}), MediaTypes.OCI_MANIFEST, new byte[] {1}));

        assertEquals(List.of(), list(dir.resolve("tmp")));
        assertEquals(1, list(dir.resolve("refs")).size(), "one record per reference, replaced in place");
        assertEquals(Digest.sha256(new byte[] {2}), cache.findRef(REF).orElseThrow().digest());
    }

    @Test
    void committedEntryIsFoundAndStagingIsGone() throws IOException {
        PluginCache cache = PluginCache.open(dir);
        CacheEntry entry = commitWasm(cache, "wasm bytes".getBytes(StandardCharsets.UTF_8));

        Optional<CacheEntry> found = cache.findEntry(entry.key(), w -> { throw new AssertionError(w); });
        assertTrue(found.isPresent());
        assertEquals("wasm bytes", Files.readString(found.get().pluginPath()));
        assertEquals(List.of(), list(dir.resolve("tmp")));
    }

    @Test
    void uncommittedStagingLeavesNothing() throws IOException {
        PluginCache cache = PluginCache.open(dir);
        EntryKey key = EntryKey.of(Digest.sha256(new byte[] {4}));
        assertThrows(Qmt4jException.class, () -> cache.install(key, false, PluginCacheTest::fail, (scratch, tree) -> {
            Files.createDirectories(tree);
            Files.writeString(tree.resolve("half"), "x");
            throw new IOException("download cut short");
        }, installed -> installed));
        assertEquals(List.of(), list(dir.resolve("tmp")));
        assertEquals(List.of(), list(dir.resolve("entries")));
    }

    @Test
    void tamperedEntryIsReportedAndDeleted() throws IOException {
        PluginCache cache = PluginCache.open(dir);
        CacheEntry entry = commitWasm(cache, "good".getBytes(StandardCharsets.UTF_8));
        Files.writeString(writable(entry.pluginPath()), "evil");

        List<String> warnings = new ArrayList<>();
        assertEquals(Optional.empty(), cache.findEntry(entry.key(), warnings::add));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("damaged"), warnings.get(0));
        assertFalse(Files.exists(entry.directory()));
    }

    @Test
    void plantedCompanionFileMakesAnEntryDamaged() throws IOException {
        PluginCache cache = PluginCache.open(dir);
        CacheEntry entry = commitWasm(cache, "good".getBytes(StandardCharsets.UTF_8));
        Files.writeString(entry.tree().resolve("libevil.so"), "x");

        List<String> warnings = new ArrayList<>();
        assertEquals(Optional.empty(), cache.findEntry(entry.key(), warnings::add));
        assertTrue(warnings.get(0).contains("unexpected file libevil.so"), warnings.get(0));
    }

    @Test
    void entryWithoutMetadataIsClearedSoItCanBeFetchedAgain() throws IOException {
        PluginCache cache = PluginCache.open(dir);
        CacheEntry entry = commitWasm(cache, "good".getBytes(StandardCharsets.UTF_8));
        Files.delete(entry.directory().resolve("entry.json"));

        List<String> warnings = new ArrayList<>();
        assertEquals(Optional.empty(), cache.findEntry(entry.key(), warnings::add));
        assertTrue(warnings.get(0).contains("entry.json is missing"), warnings.toString());
        assertEquals(entry.pluginPath(), commitWasm(cache, "good".getBytes(StandardCharsets.UTF_8)).pluginPath());
        assertTrue(cache.findEntry(entry.key(), w -> { throw new AssertionError(w); }).isPresent());
    }

    @Test
    void corruptManifestIsDroppedRatherThanServed() throws IOException {
        PluginCache cache = PluginCache.open(dir);
        byte[] bytes = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        ManifestBlob blob = new ManifestBlob(Digest.sha256(bytes), MediaTypes.OCI_MANIFEST, bytes);
        cache.putManifest(blob);
        assertEquals(MediaTypes.OCI_MANIFEST, cache.findManifest(blob.digest()).orElseThrow().mediaType());

        Files.writeString(dir.resolve("manifests/sha256").resolve(blob.digest().hex()), "{}");
        assertEquals(Optional.empty(), cache.findManifest(blob.digest()));
    }

    @Test
    void openSweepsStagingLeftByAKilledProcessButNotLiveStaging() throws IOException {
        PluginCache cache = PluginCache.open(dir);
        // What a kill -9 leaves: a staging directory and its lock file, no longer locked.
        Files.createDirectories(dir.resolve("tmp/s-dead/entry/plugin"));
        Files.writeString(dir.resolve("tmp/s-dead/entry/plugin/plugin.wasm"), "partial");
        Files.writeString(dir.resolve("tmp/s-dead.lock"), "");
        try (Staging live = Staging.create(dir.resolve("tmp"))) {
            PluginCache.open(dir);
            assertFalse(Files.exists(dir.resolve("tmp/s-dead")));
            assertFalse(Files.exists(dir.resolve("tmp/s-dead.lock")));
            assertTrue(Files.isDirectory(live.dir()), "a staging area in use is not swept");
        }
    }

    @Test
    void pruneKeepsWhatReferencesReachAndFreesTheRest() throws IOException {
        PluginCache cache = PluginCache.open(dir);
        Path kept = Files.writeString(dir.resolve("kept.wasm"), "kept");
        Path orphan = Files.writeString(dir.resolve("orphan.wasm"), "orphan");
        var keptManifest = ImagePackager.wasmManifest(kept, Map.of()).build();
        var orphanManifest = ImagePackager.wasmManifest(orphan, Map.of()).build();
        cache.putManifest(new ManifestBlob(keptManifest.digest(), MediaTypes.OCI_MANIFEST, keptManifest.bytes()));
        cache.putManifest(new ManifestBlob(orphanManifest.digest(), MediaTypes.OCI_MANIFEST, orphanManifest.bytes()));
        CacheEntry keptEntry = commitWasm(cache, Files.readAllBytes(kept));
        CacheEntry orphanEntry = commitWasm(cache, Files.readAllBytes(orphan));
        cache.putEvidence(keptManifest.digest(), "signed by ci", Map.of("bundle.json", new byte[] {1}));
        cache.putEvidence(orphanManifest.digest(), "signed by ci", Map.of());
        cache.putRef(new RefRecord(REF.canonical(), keptManifest.digest(), MediaTypes.OCI_MANIFEST, Instant.now(),
                Optional.empty(), Optional.empty()));

        PruneReport report = cache.prune();

        assertEquals(3, report.removed().size(), report.toString()); // manifest + entry + evidence
        assertTrue(report.bytesFreed() > 0);
        assertTrue(cache.findManifest(keptManifest.digest()).isPresent());
        assertTrue(cache.findEntry(keptEntry.key(), w -> {}).isPresent());
        assertTrue(cache.hasEvidence(keptManifest.digest()));
        assertFalse(Files.exists(orphanEntry.directory()));
        assertFalse(cache.hasEvidence(orphanManifest.digest()));

        assertTrue(cache.remove(REF));
        cache.prune();
        assertEquals(List.of(), cache.list());
        assertFalse(Files.exists(keptEntry.directory()));
        assertEquals(Optional.empty(), cache.findManifest(keptManifest.digest()));
    }

    @Test
    void evidenceReadsBackWithTheVerifiersSummary() {
        PluginCache cache = PluginCache.open(dir);
        Digest top = Digest.sha256(new byte[] {5});
        assertEquals(Optional.empty(), cache.readEvidence(top));
        cache.putEvidence(top, "signed by ci\n", Map.of("bundle.json", new byte[] {1, 2}));

        StoredEvidence stored = cache.readEvidence(top).orElseThrow();
        assertEquals("signed by ci\n", stored.summary(), "exactly as stored");
        assertEquals(Set.of("bundle.json"), stored.files().keySet());
        assertTrue(java.util.Arrays.equals(new byte[] {1, 2}, stored.files().get("bundle.json")));
    }

    /** The signer is stored as a record of its own, never read back out of the summary text. */
    @Test
    void evidenceKeepsTheStructuredSignerOfEitherKind() throws IOException {
        PluginCache cache = PluginCache.open(dir);
        Digest keyed = Digest.sha256(new byte[] {6});
        Digest keyless = Digest.sha256(new byte[] {7});
        Digest none = Digest.sha256(new byte[] {8});
        dev.qmt4j.oci.Signer key = new dev.qmt4j.oci.Signer.Key("sha256:" + "e".repeat(64));
        // Fields that carry the summary's labels and separators, a quote and a newline: one JSON string each.
        dev.qmt4j.oci.Signer cert = new dev.qmt4j.oci.Signer.Keyless("ci@example.com issuer=x, Rekor log index 1 \"q\"",
                Optional.of("https://issuer.example\nsigned with key sha256:00"));
        cache.putEvidence(keyed, "signed with key sha256:00", Map.of(), Optional.of(key));
        cache.putEvidence(keyless, "anything", Map.of("bundle.json", new byte[] {1}), Optional.of(cert));
        cache.putEvidence(none, "accepted", Map.of());
        assertEquals(Optional.of(key), cache.readEvidence(keyed).orElseThrow().signer());
        assertEquals(Optional.of(cert), cache.readEvidence(keyless).orElseThrow().signer());
        assertEquals(Set.of("bundle.json"), cache.readEvidence(keyless).orElseThrow().files().keySet(), "signer.json is not an evidence file");
        assertEquals(Optional.empty(), cache.readEvidence(none).orElseThrow().signer());
        dev.qmt4j.oci.Signer noIssuer = new dev.qmt4j.oci.Signer.Keyless("", Optional.empty());
        cache.putEvidence(none, "accepted", Map.of(), Optional.of(noIssuer));
        assertEquals(Optional.of(noIssuer), cache.readEvidence(none).orElseThrow().signer());

        // A verifier's file may not take the signer record's name.
        assertThrows(IllegalArgumentException.class, () -> cache.putEvidence(none, "x", Map.of("signer.json", new byte[] {1})));
        // A damaged signer record is not read as "no signer": the evidence is not used (the puller verifies afresh).
        Path signerFile = dir.resolve("evidence").resolve(keyed.algorithm()).resolve(keyed.hex()).resolve("signer.json");
        assertTrue(Files.isRegularFile(signerFile), signerFile.toString());
        Files.writeString(signerFile, "{\"kind\": \"certificate\"}");
        assertEquals(Optional.empty(), cache.readEvidence(keyed));
    }

    @Test
    void listShowsTheLastPulledEntryEvenWithoutItsManifests() {
        PluginCache cache = PluginCache.open(dir);
        CacheEntry entry = commitWasm(cache, "12345".getBytes(StandardCharsets.UTF_8));
        Instant at = Instant.parse("2026-05-06T07:08:09Z");
        cache.putRef(new RefRecord(REF.canonical(), Digest.sha256(new byte[] {9}), MediaTypes.OCI_MANIFEST, at,
                Optional.of(entry.key()), Optional.of(PluginType.WASM)));

        List<CachedReference> listed = cache.list();

        assertEquals(List.of(new CachedReference(REF.canonical(), Digest.sha256(new byte[] {9}), at,
                List.of(new CachedBuild(Optional.empty(), PluginType.WASM, Digest.sha256(new byte[] {9}), entry.key(), 5,
                        entry.pluginPath(), true)))), listed);
    }

    /** A warnings consumer for loads that must not warn. */
    static void fail(String warning) {
        throw new AssertionError(warning);
    }

    /** Cached plugin files are read-only; a test that tampers with one makes it writable first. */
    static Path writable(Path p) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            perms.add(PosixFilePermission.OWNER_WRITE);
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException e) {
            p.toFile().setWritable(true);
        }
        return p;
    }

    /** Installs a Wasm entry the way the pull pipeline does. */
    static CacheEntry commitWasm(PluginCache cache, byte[] wasm) {
        Digest layer = Digest.sha256(wasm);
        return cache.install(EntryKey.of(layer), false, PluginCacheTest::fail, (scratch, tree) -> {
            Files.createDirectories(tree);
            Files.write(tree.resolve("plugin.wasm"), wasm);
            return new EntryContents(PluginType.WASM, layer, "plugin.wasm", Map.of("plugin.wasm", layer.hex()), Map.of(),
                    wasm.length);
        }, PluginCache.Installed::entry);
    }

    private static List<Path> list(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.toList();
        }
    }
}
