package dev.qmt4j.cache;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.files.CachePermissions;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.Signer;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The content-addressed plugin cache. See this module's README for the on-disk layout.
 *
 * <p>A facade: each concern lives in its own package-private class, as go-containerregistry splits its
 * layout package ({@code blob.go}, {@code gc.go}, {@code write.go}): {@link RefStore} (reference records),
 * {@link ManifestStore} (raw manifests), {@link EntryStore} (extracted plugin layers: load, install,
 * re-hash), {@link EvidenceStore} (what signature verifiers found), {@link Pruner} (garbage collection) and
 * {@link CacheListing} (every cached build of a reference); {@link Staging} and {@link CacheFiles} hold the
 * atomic-write machinery they share.
 *
 * <p>Every write is atomic: files are written to {@code tmp/}, flushed and renamed into place, and
 * entries are assembled in a staging directory and renamed into place whole. A process killed at any
 * moment therefore leaves the old state or the new one, plus at most some litter in {@code tmp/}
 * that the next {@link #open} sweeps away.
 *
 * <p>Instances are thread-safe; several processes may share one directory.
 */
public final class PluginCache {
    private final CacheLayout layout;
    private final RefStore refs;
    private final ManifestStore manifests;
    private final EntryStore entries;
    private final EvidenceStore evidence;

    private PluginCache(Path root, Duration racyMargin) {
        this.layout = CacheLayout.of(root);
        this.refs = new RefStore(layout);
        this.manifests = new ManifestStore(layout);
        this.entries = new EntryStore(layout, racyMargin);
        this.evidence = new EvidenceStore(layout);
    }

    /**
     * The cache directory to use when the config names none: {@code QMT4J_CACHE_DIR} if set, else
     * the platform's per-user cache directory.
     *
     * @param env    the environment (usually {@code System.getenv()})
     * @param osName the {@code os.name} system property
     * @param home   the user's home directory
     */
    public static Path defaultDirectory(Map<String, String> env, String osName, Path home) {
        String override = env.get("QMT4J_CACHE_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String local = env.get("LOCALAPPDATA");
            Path base = local != null && !local.isBlank() ? Path.of(local) : home.resolve("AppData").resolve("Local");
            return base.resolve("qmt4j").resolve("cache");
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return home.resolve("Library").resolve("Caches").resolve("qmt4j");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        // The XDG spec says relative values are invalid and must be ignored.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg).resolve("qmt4j");
        }
        return home.resolve(".cache").resolve("qmt4j");
    }

    /**
     * Opens (creating if needed) the cache at {@code root}, sweeping litter left by killed processes. The
     * directory is refused when group or others can write to it or another user owns it ({@link CachePermissions}).
     *
     * @throws Qmt4jException {@code PERMISSIONS} for such a directory, {@code CACHE} if it cannot be created
     */
    public static PluginCache open(Path root) {
        return open(root, true);
    }

    /**
     * As {@link #open(Path)}; {@code checkPermissions = false} accepts a directory others can write to or own (a
     * shared read-only cache prepared by an administrator: {@code [oci] cache_permissions_check = false}).
     */
    public static PluginCache open(Path root, boolean checkPermissions) {
        return open(root, EntryStore.RACY_MARGIN, checkPermissions);
    }

    /** As {@link #open(Path)}, with another margin for racy stamps (tests, to avoid waiting). */
    static PluginCache open(Path root, Duration racyMargin) {
        return open(root, racyMargin, true);
    }

    private static PluginCache open(Path root, Duration racyMargin, boolean checkPermissions) {
        PluginCache cache = new PluginCache(root.toAbsolutePath().normalize(), racyMargin);
        if (checkPermissions) {
            // Before anything is created in it, and again below for what was already there.
            CachePermissions.check(List.of(cache.layout.root()), "cache directory");
        }
        for (Path dir : cache.layout.directories()) {
            try {
                CachePermissions.createDirectories(dir);
            } catch (IOException e) {
                throw CacheFiles.failure("cannot create cache directory " + dir, e);
            }
        }
        if (checkPermissions) {
            CachePermissions.check(CachePermissions.cacheDirectories(cache.layout.root()), "cache directory");
        }
        Staging.sweep(cache.layout.tmp());
        return cache;
    }

    /** The cache directory. */
    public Path root() {
        return layout.root();
    }

    /**
     * How many entry files this instance has re-hashed (loads whose stamps did not match, commits'
     * re-checks, {@link #verify}). An observable for tests and diagnostics.
     */
    public long filesRehashed() {
        return entries.filesRehashed();
    }

    // ---------------------------------------------------------------- references

    /** The record for a reference (by its canonical form), if one was written and is readable. */
    public Optional<RefRecord> findRef(ImageRef reference) {
        return refs.find(reference);
    }

    /** Writes (replacing) the record for {@code record.reference()}. */
    public void putRef(RefRecord record) {
        refs.put(record);
    }

    /**
     * Forgets a reference. Its content stays until {@link #prune()} finds nothing else uses it.
     *
     * @return whether there was a record
     */
    public boolean remove(ImageRef reference) {
        return refs.remove(reference);
    }

    /**
     * Every reference in the cache, sorted by reference, each with all its cached builds (every
     * platform pulled from its index, not only the last). Does not re-hash entries.
     */
    public List<CachedReference> list() {
        CacheListing listing = listing();
        List<CachedReference> out = new ArrayList<>();
        for (RefRecord r : refs.all()) {
            out.add(new CachedReference(r.reference(), r.digest(), r.resolvedAt(), listing.builds(r)));
        }
        out.sort(Comparator.comparing(CachedReference::reference));
        return out;
    }

    /** The cached builds of {@code reference} (see {@link #list()}); empty if it has no record or no build. */
    public List<CachedBuild> builds(ImageRef reference) {
        return findRef(reference).map(r -> listing().builds(r)).orElse(List.of());
    }

    /**
     * Deletes the cached builds of {@code reference} that {@code pull --platform want} would select
     * ({@link CachedBuild#servesRequest}), now, each under its entry's lock; the reference stays, and
     * its next pull for that platform fetches the build again. An entry shared with another reference
     * goes for it too (it is fetched again the same way).
     *
     * @return the builds deleted; empty when none matched
     */
    public List<CachedBuild> removeBuilds(ImageRef reference, Platform want) {
        List<CachedBuild> removed = new ArrayList<>();
        for (CachedBuild b : builds(reference)) {
            if (b.servesRequest(want)) {
                entries.delete(b.entry());
                removed.add(b);
            }
        }
        return removed;
    }

    private CacheListing listing() {
        return new CacheListing(manifests, entries);
    }

    // ---------------------------------------------------------------- manifests

    /** A cached manifest, re-hashed against its digest; a corrupt copy is deleted and reported absent. */
    public Optional<ManifestBlob> findManifest(Digest digest) {
        return manifests.find(digest);
    }

    /** Stores a manifest's raw bytes (the source has already checked them against the digest). */
    public void putManifest(ManifestBlob blob) {
        manifests.put(blob);
    }

    // ---------------------------------------------------------------- entries

    /**
     * The entry for {@code key} if it exists and every file still hashes to what was recorded. A
     * damaged entry is reported to {@code warnings} and deleted, so the caller fetches it again.
     *
     * <p>A file is re-hashed unless its {@link FileStamp} (size, mtime, ctime, inode) is the one
     * recorded when it was last verified, and that stamp is not racy. After a successful re-hash the
     * stamps are recorded afresh, so the next load is cheap again. Where the file system has no
     * ctime or inode (Windows), every load re-hashes.
     */
    public Optional<CacheEntry> findEntry(EntryKey key, Consumer<String> warnings) {
        return entries.find(key, warnings);
    }

    /**
     * Writes a plugin tree for {@link #install}.
     */
    @FunctionalInterface
    public interface EntryWriter {
        /**
         * Writes the plugin tree into {@code tree} and says what it holds.
         *
         * @param scratch a private directory for temporary files (the downloaded layer), deleted afterwards;
         *                the entry is assembled in its {@code entry/} subdirectory, which is not for the writer
         * @param tree    where the plugin tree goes (not created yet); it becomes the entry's {@code plugin/}
         * @return the contents to record in {@code entry.json}; the files were hashed as they were written
         */
        EntryContents write(Path scratch, Path tree) throws IOException;
    }

    /**
     * The entry {@link #install} put in place or found there.
     *
     * @param entry the entry
     * @param found true if another thread or process had installed it (nothing was written)
     */
    public record Installed(CacheEntry entry, boolean found) {}

    /**
     * Installs the entry for {@code key}, once across threads and processes: under the entry's
     * inter-process lock, an intact entry already there is used (unless {@code replace}); otherwise
     * {@code writer} fills a private staging directory under {@code tmp/}, the files are flushed and made
     * read-only, {@code entry.json} is written with their stamps, and the tree is renamed into place whole
     * (if another process committed the same key first, its entry is used). {@code whileLocked} runs before
     * the lock is released: a reference record written there is never seen unreferenced by {@link #prune()}.
     *
     * @param replace  replace an existing entry (a forced re-download); otherwise an existing entry wins
     * @param warnings told about a damaged entry found under the lock (it is deleted and written again)
     * @throws Qmt4jException {@code CACHE} if staging fails ({@code writer}'s {@link IOException} included);
     *                        whatever {@code writer} throws otherwise. Nothing is left in the cache either way.
     */
    public <T> T install(EntryKey key, boolean replace, Consumer<String> warnings, EntryWriter writer,
            Function<Installed, T> whileLocked) {
        return entries.install(key, replace, warnings, writer, whileLocked);
    }

    /**
     * Re-hashes every file of the entries (all of them, or those of {@code ref}), ignoring stamps.
     * A damaged entry is deleted, so the next pull fetches it again; an intact one gets fresh stamps.
     *
     * @param ref only the entries of this reference's cached builds (see {@link #builds}) and of its last
     *            pull; empty for every entry
     * @return one result per entry checked, sorted by directory
     */
    public List<EntryVerification> verify(Optional<ImageRef> ref) {
        List<EntryKey> keys = new ArrayList<>();
        if (ref.isPresent()) {
            // Every cached build of the reference (each platform pulled), and the last pulled entry even if it is gone.
            findRef(ref.get()).ifPresent(r -> {
                keys.addAll(listing().entryKeys(r));
                r.entry().filter(k -> !keys.contains(k)).ifPresent(keys::add);
            });
        } else {
            keys.addAll(entries.keys());
        }
        return entries.verify(keys);
    }

    /** The entry store, for tests of its locks. */
    EntryStore entries() {
        return entries;
    }

    // ---------------------------------------------------------------- evidence

    /**
     * Stores what the signature verifier found for a top-level digest, replacing earlier evidence.
     * Safe to call from several threads and processes for the same digest at once: the replacement
     * happens under the digest's evidence lock, and the last writer's complete evidence stays.
     */
    public void putEvidence(Digest top, String summary, Map<String, byte[]> files) {
        putEvidence(top, summary, files, Optional.empty());
    }

    /**
     * {@link #putEvidence(Digest, String, Map)} with the signer the verifier named, stored as a structured
     * record ({@code signer.json}) so a cache hit can report it without reading the summary text.
     */
    public void putEvidence(Digest top, String summary, Map<String, byte[]> files, Optional<Signer> signer) {
        evidence.put(top, summary, files, signer);
    }

    /** Whether a verifier has accepted {@code top} before (its evidence is stored). */
    public boolean hasEvidence(Digest top) {
        return evidence.has(top);
    }

    /**
     * The evidence stored for {@code top}: the verifier's summary, its files and signer, or empty if there is
     * none (or its signer record is malformed). Not checked here: the verifier re-verifies them.
     */
    public Optional<StoredEvidence> readEvidence(Digest top) {
        return evidence.read(top);
    }

    // ---------------------------------------------------------------- prune

    /**
     * Deletes every manifest, entry and evidence directory that no reference record reaches
     * (reference -> manifest -> index children -> layers). Entries being written are skipped.
     */
    public PruneReport prune() {
        return new Pruner(layout, refs, manifests, entries, evidence).prune();
    }
}
