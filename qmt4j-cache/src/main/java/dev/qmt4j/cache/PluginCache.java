package dev.qmt4j.cache;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageManifest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.Manifest;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.Platform;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content-addressed plugin cache. See this module's README for the on-disk layout.
 *
 * <p>Every write is atomic: files are written to {@code tmp/}, flushed and renamed into place, and
 * entries are assembled in a staging directory and renamed into place whole. A process killed at any
 * moment therefore leaves the old state or the new one, plus at most some litter in {@code tmp/}
 * that the next {@link #open} sweeps away.
 *
 * <p>Instances are thread-safe; several processes may share one directory.
 */
public final class PluginCache {
    static final String TREE_DIR = "plugin";
    static final String ENTRY_JSON = "entry.json";
    static final String SUMMARY = "summary.txt";
    private static final String MEDIA_TYPE_SUFFIX = ".media-type";
    /** Litter without a lock is only swept once this old, in case its writer is merely slow. */
    private static final Duration STALE_AFTER = Duration.ofHours(1);
    /** A stamp this close to the time it was recorded proves nothing (see {@link FileStamp#racy}). */
    static final Duration RACY_MARGIN = Duration.ofSeconds(2);

    private final Path root;
    private final Path manifests;
    private final Path entries;
    private final Path refs;
    private final Path evidence;
    private final Path tmp;
    private final Path locks;
    private final long racyMarginNanos;
    private final AtomicLong filesRehashed = new AtomicLong();

    private PluginCache(Path root, Duration racyMargin) {
        this.racyMarginNanos = racyMargin.toNanos();
        this.root = root;
        this.manifests = root.resolve("manifests");
        this.entries = root.resolve("entries");
        this.refs = root.resolve("refs");
        this.evidence = root.resolve("evidence");
        this.tmp = root.resolve("tmp");
        this.locks = root.resolve("locks");
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

    /** Opens (creating if needed) the cache at {@code root}, sweeping litter left by killed processes. */
    public static PluginCache open(Path root) {
        return open(root, RACY_MARGIN);
    }

    /** As {@link #open(Path)}, with another margin for racy stamps (tests, to avoid waiting). */
    static PluginCache open(Path root, Duration racyMargin) {
        PluginCache cache = new PluginCache(root.toAbsolutePath().normalize(), racyMargin);
        for (Path dir : List.of(cache.manifests, cache.entries, cache.refs, cache.evidence, cache.tmp, cache.locks)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw CacheFiles.failure("cannot create cache directory " + dir, e);
            }
        }
        cache.sweep();
        return cache;
    }

    /** The cache directory. */
    public Path root() {
        return root;
    }

    /**
     * How many entry files this instance has re-hashed (loads whose stamps did not match, commits'
     * re-checks, {@link #verify}). An observable for tests and diagnostics.
     */
    public long filesRehashed() {
        return filesRehashed.get();
    }

    // ---------------------------------------------------------------- references

    /** The record for a reference (by its canonical form), if one was written and is readable. */
    public Optional<RefRecord> findRef(ImageRef reference) {
        return readRef(refFile(reference.canonical()))
                .filter(r -> r.reference().equals(reference.canonical()));
    }

    /** Writes (replacing) the record for {@code record.reference()}. */
    public void putRef(RefRecord record) {
        CacheFiles.writeAtomically(tmp, refFile(record.reference()), CacheJson.write(record));
    }

    /**
     * Forgets a reference. Its content stays until {@link #prune()} finds nothing else uses it.
     *
     * @return whether there was a record
     */
    public boolean remove(ImageRef reference) {
        Path file = refFile(reference.canonical());
        try {
            boolean existed = Files.deleteIfExists(file);
            CacheFiles.fsyncDirectory(refs);
            return existed;
        } catch (IOException e) {
            throw CacheFiles.failure("cannot delete " + file, e);
        }
    }

    /**
     * Every reference in the cache, sorted by reference, each with all its cached builds (every
     * platform pulled from its index, not only the last). Does not re-hash entries.
     */
    public List<CachedReference> list() {
        CacheListing listing = listing();
        List<CachedReference> out = new ArrayList<>();
        for (RefRecord r : allRefs()) {
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
                try (CacheLock lock = lock(b.entry())) {
                    CacheFiles.deleteTree(tmp, entryDir(b.entry()));
                }
                removed.add(b);
            }
        }
        return removed;
    }

    private CacheListing listing() {
        List<EntryKey> keys = new ArrayList<>();
        for (Path dir : contentFiles(entries)) {
            keyOf(dir).ifPresent(keys::add);
        }
        return new CacheListing(this, keys);
    }

    // ---------------------------------------------------------------- manifests

    /** A cached manifest, re-hashed against its digest; a corrupt copy is deleted and reported absent. */
    public Optional<ManifestBlob> findManifest(Digest digest) {
        Path file = manifestFile(digest);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw CacheFiles.failure("cannot read " + file, e);
        }
        if (!digest.withHash(digest.newHasher().digest(bytes)).equals(digest)) {
            CacheFiles.deleteTree(tmp, file);
            return Optional.empty();
        }
        String mediaType = null;
        try {
            mediaType = Files.readString(mediaTypeFile(digest), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            // Optional: the parser falls back to the manifest's own mediaType field.
        }
        return Optional.of(new ManifestBlob(digest, mediaType == null || mediaType.isEmpty() ? null : mediaType, bytes));
    }

    /** Stores a manifest's raw bytes (the source has already checked them against the digest). */
    public void putManifest(ManifestBlob blob) {
        Path file = manifestFile(blob.digest());
        if (Files.exists(file)) {
            return;
        }
        if (blob.mediaType() != null) {
            // Written first, so that whoever sees the bytes also sees their type.
            CacheFiles.writeAtomically(tmp, mediaTypeFile(blob.digest()), blob.mediaType().getBytes(StandardCharsets.UTF_8));
        }
        CacheFiles.writeAtomically(tmp, file, blob.bytes());
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
        Optional<Loaded> loaded;
        try {
            loaded = readEntryStored(key);
        } catch (IllegalArgumentException e) {
            discard(key, e.getMessage(), warnings);
            return Optional.empty();
        }
        if (loaded.isEmpty()) {
            return Optional.empty();
        }
        CacheEntry entry = loaded.get().entry();
        Map<String, FileStamp> recorded = loaded.get().stamps();
        Map<String, FileStamp> before = stamps(entry);
        long recordedAt = loaded.get().recordedAt();
        Set<String> trusted = new HashSet<>();
        for (Map.Entry<String, FileStamp> b : before.entrySet()) {
            FileStamp r = recorded.get(b.getKey());
            if (b.getValue().equals(r) && !r.racy(recordedAt, racyMarginNanos)) {
                trusted.add(b.getKey());
            }
        }
        Optional<String> problem = EntryCheck.problem(entry, trusted::contains, this::rehashing);
        if (problem.isPresent()) {
            discard(key, problem.get(), warnings);
            return Optional.empty();
        }
        if (!trusted.equals(entry.contents().files().keySet())) {
            restamp(entry, before, recorded);
        }
        return Optional.of(entry);
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
            for (Path dir : contentFiles(entries)) {
                keyOf(dir).ifPresent(keys::add);
            }
        }
        List<EntryVerification> out = new ArrayList<>();
        for (EntryKey key : keys) {
            Path dir = entryDir(key);
            Optional<String> problem;
            Optional<Loaded> loaded;
            try {
                loaded = readEntryStored(key);
                problem = loaded.isEmpty() ? Optional.of("missing") : Optional.empty();
            } catch (IllegalArgumentException e) {
                loaded = Optional.empty();
                problem = Optional.of(e.getMessage());
            }
            if (loaded.isPresent()) {
                Map<String, FileStamp> before = stamps(loaded.get().entry());
                problem = EntryCheck.problem(loaded.get().entry(), f -> false, this::rehashing);
                if (problem.isEmpty()) {
                    restamp(loaded.get().entry(), before, Map.of());
                }
            }
            if (problem.isPresent() && Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                discard(key, problem.get(), w -> {});
            }
            out.add(new EntryVerification(key, dir, problem));
        }
        out.sort(Comparator.comparing(v -> v.directory().toString()));
        return out;
    }

    /** The logger, created on first use: a cache hit with matching stamps never initialises logging. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(PluginCache.class);
    }

    private void rehashing(String file) {
        filesRehashed.incrementAndGet();
        Log.LOG.debug("re-hashing cached file {}", file);
    }

    /** The current stamps of the entry's regular files (those the file system can stamp). */
    private static Map<String, FileStamp> stamps(CacheEntry entry) {
        Map<String, FileStamp> out = new HashMap<>();
        for (String f : entry.contents().files().keySet()) {
            FileStamp.of(entry.resolve(f)).ifPresent(st -> out.put(f, st));
        }
        return out;
    }

    /**
     * Records the stamps of files just verified, in {@code entry.json} (replaced atomically, under
     * the entry's lock). Only a stamp that was the same before and after the hashing is recorded: a
     * write during the hashing leaves the file to be re-hashed next time. Best effort: if the lock
     * is busy or the file system refuses, the next load simply re-hashes.
     */
    private void restamp(CacheEntry entry, Map<String, FileStamp> before, Map<String, FileStamp> previous) {
        Map<String, FileStamp> keep = new HashMap<>(previous);
        for (String f : entry.contents().files().keySet()) {
            Optional<FileStamp> now = FileStamp.of(entry.resolve(f));
            keep.remove(f);
            if (now.isPresent() && now.get().equals(before.get(f))) {
                keep.put(f, now.get());
            }
        }
        if (keep.isEmpty() && previous.isEmpty()) {
            return; // nothing to record (no stamps on this file system)
        }
        Optional<CacheLock> lock = CacheLock.tryAcquire(locks.resolve(entry.key().lockName() + ".lock"));
        if (lock.isEmpty()) {
            return;
        }
        try (CacheLock held = lock.get()) {
            Path json = entry.directory().resolve(ENTRY_JSON);
            if (Files.isRegularFile(json, LinkOption.NOFOLLOW_LINKS)) {
                CacheFiles.writeAtomically(tmp, json, CacheJson.write(entry.contents(), keep));
            }
        } catch (RuntimeException e) {
            Log.LOG.debug("cannot record stamps for {}: {}", entry.directory(), e.toString());
        }
    }

    /** Takes the inter-process lock for {@code key}; blocks until it is free. */
    public CacheLock lock(EntryKey key) {
        return CacheLock.acquire(locks.resolve(key.lockName() + ".lock"));
    }

    /** A fresh private staging directory under {@code tmp/}. */
    public Staging stage() {
        for (int attempt = 0; attempt < 5; attempt++) {
            String id = "s-" + UUID.randomUUID();
            Path lockFile = tmp.resolve(id + ".lock");
            Optional<CacheLock> lock = CacheLock.tryAcquireFile(lockFile, true);
            // A sweep may have deleted the file between our create and lock; then try another name.
            if (lock.isPresent() && Files.exists(lockFile)) {
                Path dir = tmp.resolve(id);
                try {
                    Files.createDirectory(dir);
                } catch (IOException e) {
                    lock.get().close();
                    throw CacheFiles.failure("cannot create " + dir, e);
                }
                return new Staging(dir, lockFile, lock.get());
            }
            lock.ifPresent(CacheLock::close);
        }
        throw new Qmt4jException(ErrorKind.CACHE, "cannot create a staging directory in " + tmp,
                "check that the cache directory is writable");
    }

    /** Where to put the plugin tree inside a staging directory before {@link #commit}. */
    public static Path stagedTree(Staging staging) {
        return staging.dir().resolve("entry").resolve(TREE_DIR);
    }

    /**
     * Moves the tree staged at {@link #stagedTree} into place as the entry for {@code key}, with
     * {@code contents} as its {@code entry.json}. The caller should hold {@link #lock(EntryKey)}.
     *
     * @param replace replace an existing entry (a forced re-download); otherwise an existing entry wins
     */
    public CacheEntry commit(Staging staging, EntryKey key, EntryContents contents, boolean replace) {
        Path staged = staging.dir().resolve("entry");
        syncTree(staged.resolve(TREE_DIR));
        CacheEntry committed = new CacheEntry(key, staged, contents);
        // Read-only, then stamped: the files were hashed as they were written (download, extraction),
        // so their stamps now vouch for that content. Renaming the directory keeps the files' stamps.
        makeReadOnly(committed);
        CacheFiles.writeAtomically(staging.dir(), staged.resolve(ENTRY_JSON), CacheJson.write(contents, stamps(committed)));
        Path target = entryDir(key);
        if (replace && Files.exists(target)) {
            CacheFiles.deleteTree(tmp, target);
        }
        if (!CacheFiles.moveIntoPlace(staged, target)) {
            // Someone committed first; theirs is as good as ours (same layer digest).
            return readEntryQuietly(key).orElseThrow(() -> new Qmt4jException(ErrorKind.CACHE,
                    "cache entry " + target + " vanished while being replaced", "retry the pull"));
        }
        return new CacheEntry(key, target, contents);
    }

    // ---------------------------------------------------------------- evidence

    /**
     * Stores what the signature verifier found for a top-level digest, replacing earlier evidence.
     * Safe to call from several threads and processes for the same digest at once: the replacement
     * happens under the digest's evidence lock, and the last writer's complete evidence stays.
     */
    public void putEvidence(Digest top, String summary, Map<String, byte[]> files) {
        try (Staging staging = stage()) {
            Path dir = staging.dir().resolve("evidence");
            Files.createDirectory(dir);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                if (f.getKey().contains("/") || f.getKey().contains("\\") || f.getKey().startsWith(".")
                        || f.getKey().equals(SUMMARY)) {
                    throw new IllegalArgumentException("bad evidence file name: " + f.getKey());
                }
                CacheFiles.writeAtomically(staging.dir(), dir.resolve(f.getKey()), f.getValue());
            }
            CacheFiles.writeAtomically(staging.dir(), dir.resolve(SUMMARY), summary.getBytes(StandardCharsets.UTF_8));
            Path target = evidenceDir(top);
            // Delete-then-rename is two steps: without the lock, a concurrent writer's delete lands
            // between another's failed rename (ENOTEMPTY) and its check, and readers see it half gone.
            try (CacheLock lock = CacheLock.acquire(evidenceLockFile(top))) {
                CacheFiles.deleteTree(tmp, target);
                CacheFiles.moveIntoPlace(dir, target);
            }
        } catch (IOException e) {
            throw CacheFiles.failure("cannot store verification evidence in " + evidenceDir(top), e);
        }
    }

    /** Whether a verifier has accepted {@code top} before (its evidence is stored). */
    public boolean hasEvidence(Digest top) {
        return Files.isRegularFile(evidenceDir(top).resolve(SUMMARY));
    }

    /**
     * The evidence files stored for {@code top} (without the summary), or empty if there are none.
     * Not checked here: the verifier re-verifies them.
     */
    public Optional<Map<String, byte[]>> readEvidence(Digest top) {
        if (!hasEvidence(top)) {
            return Optional.empty();
        }
        // Under the lock so a concurrent putEvidence cannot swap the directory mid-read; a cache whose
        // locks/ cannot be written (read-only) has no writers to fear, so it is read without it.
        CacheLock lock;
        try {
            lock = CacheLock.acquire(evidenceLockFile(top));
        } catch (Qmt4jException e) {
            return readEvidenceFiles(evidenceDir(top));
        }
        try (CacheLock held = lock) {
            return readEvidenceFiles(evidenceDir(top));
        }
    }

    /** The files of one evidence directory; empty unless it is complete (its summary is listed). */
    private static Optional<Map<String, byte[]>> readEvidenceFiles(Path dir) {
        Map<String, byte[]> files = new HashMap<>();
        boolean summary = false;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path f : s) {
                String name = f.getFileName().toString();
                if (name.equals(SUMMARY)) {
                    summary = true;
                } else if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(name, Files.readAllBytes(f));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return summary ? Optional.of(files) : Optional.empty();
    }

    /** The lock serialising writers (and readers) of one digest's evidence; never an entry's lock name. */
    private Path evidenceLockFile(Digest top) {
        return locks.resolve("evidence-" + top.fileName() + ".lock");
    }

    // ---------------------------------------------------------------- prune

    /**
     * Deletes every manifest, entry and evidence directory that no reference record reaches
     * (reference -> manifest -> index children -> layers). Entries being written are skipped.
     */
    public PruneReport prune() {
        Set<Digest> liveManifests = new HashSet<>();
        Set<Digest> liveLayers = new HashSet<>();
        Set<Digest> liveTops = new HashSet<>();
        for (RefRecord r : allRefs()) {
            liveTops.add(r.digest());
            r.entry().ifPresent(k -> liveLayers.add(k.layer()));
            Deque<Digest> todo = new ArrayDeque<>(List.of(r.digest()));
            while (!todo.isEmpty()) {
                Digest d = todo.pop();
                if (!liveManifests.add(d)) {
                    continue;
                }
                findManifest(d).flatMap(PluginCache::parseQuietly).ifPresent(m -> {
                    if (m instanceof ImageIndex index) {
                        index.manifests().forEach(c -> todo.push(c.digest()));
                    } else if (m instanceof ImageManifest image) {
                        image.layers().stream().map(Descriptor::digest).forEach(liveLayers::add);
                    }
                });
            }
        }
        List<Path> removed = new ArrayList<>();
        long[] freed = {0};
        for (Path file : contentFiles(manifests)) {
            String name = file.getFileName().toString();
            String hex = name.endsWith(MEDIA_TYPE_SUFFIX) ? name.substring(0, name.length() - MEDIA_TYPE_SUFFIX.length()) : name;
            if (!liveManifests.contains(digestOf(file.getParent(), hex))) {
                freed[0] += CacheFiles.sizeOf(file);
                CacheFiles.deleteTree(tmp, file);
                if (name.equals(hex)) {
                    removed.add(file); // the media-type sidecar goes with it, unlisted
                }
            }
        }
        for (Path dir : contentFiles(entries)) {
            String name = dir.getFileName().toString();
            int plus = name.indexOf('+');
            Digest layer = digestOf(dir.getParent(), plus < 0 ? name : name.substring(0, plus));
            if (layer != null && liveLayers.contains(layer)) {
                continue;
            }
            Optional<String> variant = plus < 0 ? Optional.empty() : Optional.of(name.substring(plus + 1));
            // An entry whose lock is held is being written by a pull that will reference it next.
            Optional<CacheLock> lock = layer == null ? Optional.empty() : CacheLock.tryAcquire(
                    locks.resolve(new EntryKey(layer, variant).lockName() + ".lock"));
            if (layer != null && lock.isEmpty()) {
                continue;
            }
            try {
                long size = CacheFiles.sizeOf(dir);
                CacheFiles.deleteTree(tmp, dir);
                freed[0] += size;
                removed.add(dir);
            } finally {
                lock.ifPresent(CacheLock::close);
            }
        }
        for (Path dir : contentFiles(evidence)) {
            Digest top = digestOf(dir.getParent(), dir.getFileName().toString());
            if (!liveTops.contains(top)) {
                // Evidence being stored right now belongs to a pull that will reference it next.
                Optional<CacheLock> lock = top == null ? Optional.empty() : CacheLock.tryAcquire(evidenceLockFile(top));
                if (top != null && lock.isEmpty()) {
                    continue;
                }
                try {
                    freed[0] += CacheFiles.sizeOf(dir);
                    CacheFiles.deleteTree(tmp, dir);
                    removed.add(dir);
                } finally {
                    lock.ifPresent(CacheLock::close);
                }
            }
        }
        return new PruneReport(removed, freed[0]);
    }

    // ---------------------------------------------------------------- internals

    Path entryDir(EntryKey key) {
        return entries.resolve(key.layer().algorithm()).resolve(key.directoryName());
    }

    private Path manifestFile(Digest d) {
        return manifests.resolve(d.algorithm()).resolve(d.hex());
    }

    private Path mediaTypeFile(Digest d) {
        return manifests.resolve(d.algorithm()).resolve(d.hex() + MEDIA_TYPE_SUFFIX);
    }

    private Path evidenceDir(Digest d) {
        return evidence.resolve(d.algorithm()).resolve(d.hex());
    }

    private Path refFile(String canonical) {
        // Hashed: a reference contains ':' and '/', and two spellings must never collide.
        return refs.resolve(Digest.sha256(canonical.getBytes(StandardCharsets.UTF_8)).hex() + ".json");
    }

    private Optional<RefRecord> readRef(Path file) {
        try {
            return Optional.of(CacheJson.readRef(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw CacheFiles.failure("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // unreadable record: as if never resolved
        }
    }

    private List<RefRecord> allRefs() {
        List<RefRecord> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(refs, "*.json")) {
            for (Path f : files) {
                readRef(f).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw CacheFiles.failure("cannot list " + refs, e);
        }
        return out;
    }

    /** Reads {@code entry.json}; malformed metadata is an {@link IllegalArgumentException}. */
    private Optional<CacheEntry> readEntryUnverified(EntryKey key) {
        return readEntryStored(key).map(Loaded::entry);
    }

    /** An entry as {@code entry.json} describes it, with its stamps and when they were recorded. */
    private record Loaded(CacheEntry entry, Map<String, FileStamp> stamps, long recordedAt) {}

    private Optional<Loaded> readEntryStored(EntryKey key) {
        Path dir = entryDir(key);
        Path json = dir.resolve(ENTRY_JSON);
        try {
            byte[] bytes = Files.readAllBytes(json);
            long recordedAt = FileStamp.nanos(Files.getLastModifiedTime(json, LinkOption.NOFOLLOW_LINKS));
            CacheJson.Stored stored = CacheJson.readStored(bytes);
            EntryContents contents = stored.contents();
            if (!contents.layer().equals(key.layer())) {
                throw new IllegalArgumentException("entry.json names layer " + contents.layer());
            }
            return Optional.of(new Loaded(new CacheEntry(key, dir, contents), stored.stamps(), recordedAt));
        } catch (NoSuchFileException e) {
            // Commits rename a directory that already holds entry.json, so a directory without it
            // was damaged from outside; it must go, or it would block every future commit.
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("entry.json is missing");
            }
            return Optional.empty();
        } catch (IOException e) {
            throw CacheFiles.failure("cannot read " + json, e);
        }
    }

    Optional<CacheEntry> readEntryQuietly(EntryKey key) {
        try {
            return readEntryUnverified(key);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes a damaged entry under its lock, after checking again: another process may have
     * replaced it with a good copy since we looked.
     */
    private void discard(EntryKey key, String why, Consumer<String> warnings) {
        Path dir = entryDir(key);
        try (CacheLock lock = lock(key)) {
            Optional<String> still;
            try {
                still = readEntryUnverified(key).map(e -> EntryCheck.problem(e, f -> false, this::rehashing)).orElse(Optional.of(why));
            } catch (IllegalArgumentException e) {
                still = Optional.of(e.getMessage());
            }
            if (still.isEmpty() || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            warnings.accept("cached entry " + dir + " is damaged (" + still.get() + "); deleted it and fetching it again");
            CacheFiles.deleteTree(tmp, dir);
        }
    }

    private static Optional<Manifest> parseQuietly(ManifestBlob blob) {
        try {
            return Optional.of(blob.parse());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The key of an entry directory {@code entries/<alg>/<hex>[+<name>]}, if it is one. */
    private static Optional<EntryKey> keyOf(Path dir) {
        String name = dir.getFileName().toString();
        int plus = name.indexOf('+');
        Digest layer = digestOf(dir.getParent(), plus < 0 ? name : name.substring(0, plus));
        if (layer == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new EntryKey(layer, plus < 0 ? Optional.empty() : Optional.of(name.substring(plus + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Clears the write permission bits of the entry's regular files, so that nothing rewrites a
     * cached plugin by accident (a deliberate write still can, and changes the file's stamp).
     * A no-op where the file system has no POSIX permissions.
     */
    private static void makeReadOnly(CacheEntry entry) {
        for (String f : entry.contents().files().keySet()) {
            Path p = entry.resolve(f);
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (perms.removeAll(EnumSet.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_WRITE))) {
                    Files.setPosixFilePermissions(p, perms);
                }
            } catch (UnsupportedOperationException | IOException e) {
                // Not POSIX (Windows), or not ours to change: the stamps still tell if it is written.
            }
        }
    }

    /** Parses {@code <alg dir>/<hex>} back into a digest, or null for foreign files. */
    private static Digest digestOf(Path algDir, String hex) {
        try {
            return new Digest(algDir.getFileName().toString(), hex);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The {@code <alg>/<name>} children of a content directory. */
    private static List<Path> contentFiles(Path base) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> algs = Files.list(base)) {
            for (Path alg : (Iterable<Path>) algs::iterator) {
                if (Files.isDirectory(alg, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> items = Files.list(alg)) {
                        items.forEach(out::add);
                    }
                }
            }
        } catch (IOException e) {
            throw CacheFiles.failure("cannot list " + base, e);
        }
        return out;
    }

    /** Flushes every staged file so the rename that publishes them cannot outlive their content. */
    private static void syncTree(Path tree) {
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                } else if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    CacheFiles.fsyncDirectory(f);
                }
            }
        } catch (IOException e) {
            throw CacheFiles.failure("cannot flush " + tree, e);
        }
    }

    /**
     * Removes what killed processes left in {@code tmp/}: staging directories whose lock nobody
     * holds any more, and unlocked litter older than {@link #STALE_AFTER}.
     */
    private void sweep() {
        Map<String, Path> lockFiles = new HashMap<>();
        List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> items = Files.newDirectoryStream(tmp)) {
            for (Path p : items) {
                String name = p.getFileName().toString();
                if (name.endsWith(".lock")) {
                    lockFiles.put(name.substring(0, name.length() - ".lock".length()), p);
                } else {
                    others.add(p);
                }
            }
        } catch (IOException e) {
            return; // sweeping is housekeeping; never fail an open over it
        }
        for (Map.Entry<String, Path> lf : lockFiles.entrySet()) {
            CacheLock.tryAcquireFile(lf.getValue(), false).ifPresent(lock -> {
                try {
                    CacheFiles.deleteQuietly(tmp.resolve(lf.getKey()));
                    CacheFiles.deleteQuietly(lf.getValue());
                } finally {
                    lock.close();
                }
            });
        }
        Instant cutoff = Instant.now().minus(STALE_AFTER);
        for (Path p : others) {
            if (lockFiles.containsKey(p.getFileName().toString())) {
                continue;
            }
            if (p.getFileName().toString().startsWith("d-")) {
                CacheFiles.deleteQuietly(p); // already doomed: a deletion cut short
                continue;
            }
            try {
                BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.lastModifiedTime().toInstant().isBefore(cutoff)) {
                    CacheFiles.deleteQuietly(p);
                }
            } catch (IOException e) {
                // Gone already, or unreadable: leave it.
            }
        }
    }
}
