package dev.qmt4j.cache;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extracted plugin layers in {@code entries/<alg>/<layer hex>[+<name>]/}: loading them (checked against
 * {@code entry.json}, re-hashing only files whose {@link FileStamp} changed), installing them (staged in
 * {@code tmp/}, renamed into place whole, under the entry's lock in {@code locks/}) and re-hashing them in full.
 */
final class EntryStore {
    static final String TREE_DIR = "plugin";
    static final String ENTRY_JSON = "entry.json";
    /** A stamp this close to the time it was recorded proves nothing (see {@link FileStamp#racy}). */
    static final Duration RACY_MARGIN = Duration.ofSeconds(2);

    private final CacheLayout layout;
    private final long racyMarginNanos;
    private final AtomicLong filesRehashed = new AtomicLong();

    EntryStore(CacheLayout layout, Duration racyMargin) {
        this.layout = layout;
        this.racyMarginNanos = racyMargin.toNanos();
    }

    /** See {@link PluginCache#filesRehashed()}. */
    long filesRehashed() {
        return filesRehashed.get();
    }

    /** See {@link PluginCache#findEntry}. */
    Optional<CacheEntry> find(EntryKey key, Consumer<String> warnings) {
        Optional<Loaded> loaded;
        try {
            loaded = readStored(key);
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

    /** Re-hashes every file of the entries named, ignoring stamps; see {@link PluginCache#verify}. */
    List<EntryVerification> verify(List<EntryKey> keys) {
        List<EntryVerification> out = new ArrayList<>();
        for (EntryKey key : keys) {
            Path dir = dir(key);
            Optional<String> problem;
            Optional<Loaded> loaded;
            try {
                loaded = readStored(key);
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

    /**
     * See {@link PluginCache#install}: under the entry's lock, the entry already present (unless
     * {@code replace}), else the one {@code writer} stages, committed; then {@code whileLocked}.
     */
    <T> T install(EntryKey key, boolean replace, Consumer<String> warnings, PluginCache.EntryWriter writer,
            Function<PluginCache.Installed, T> whileLocked) {
        try (CacheLock lock = lock(key)) {
            if (!replace) {
                // Another thread or process may have installed it while we waited for the lock.
                Optional<CacheEntry> present = find(key, warnings);
                if (present.isPresent()) {
                    return whileLocked.apply(new PluginCache.Installed(present.get(), true));
                }
            }
            CacheEntry entry;
            try (Staging staging = Staging.create(layout.tmp())) {
                Path staged = staging.dir().resolve("entry");
                EntryContents contents = writer.write(staging.dir(), staged.resolve(TREE_DIR));
                entry = commit(staging, staged, key, contents, replace);
            } catch (IOException e) {
                throw new Qmt4jException(ErrorKind.CACHE, "cannot stage the plugin in " + layout.root() + ": " + e.getMessage(),
                        "check that the cache directory is writable and the disk is not full", e);
            }
            return whileLocked.apply(new PluginCache.Installed(entry, false));
        }
    }

    /**
     * Moves the tree staged in {@code staged} into place as the entry for {@code key}, with
     * {@code contents} as its {@code entry.json}. The caller holds {@link #lock(EntryKey)}.
     *
     * @param replace replace an existing entry (a forced re-download); otherwise an existing entry wins
     */
    private CacheEntry commit(Staging staging, Path staged, EntryKey key, EntryContents contents, boolean replace) {
        syncTree(staged.resolve(TREE_DIR));
        CacheEntry committed = new CacheEntry(key, staged, contents);
        // Read-only, then stamped: the files were hashed as they were written (download, extraction),
        // so their stamps now vouch for that content. Renaming the directory keeps the files' stamps.
        makeReadOnly(committed);
        CacheFiles.tightenDirectories(staged);
        CacheFiles.writeAtomically(staging.dir(), staged.resolve(ENTRY_JSON), CacheJson.write(contents, stamps(committed)));
        Path target = dir(key);
        if (replace && Files.exists(target)) {
            CacheFiles.deleteTree(layout.tmp(), target);
        }
        if (!CacheFiles.moveIntoPlace(staged, target)) {
            // Someone committed first; theirs is as good as ours (same layer digest).
            return readQuietly(key).orElseThrow(() -> new Qmt4jException(ErrorKind.CACHE,
                    "cache entry " + target + " vanished while being replaced", "retry the pull"));
        }
        return new CacheEntry(key, target, contents);
    }

    /** Takes the inter-process lock for {@code key}; blocks until it is free. */
    CacheLock lock(EntryKey key) {
        return CacheLock.acquire(layout.lockFile(key.lockName()));
    }

    /** Takes the lock for {@code key} if nobody holds it (an entry being written is left alone). */
    Optional<CacheLock> tryLock(EntryKey key) {
        return CacheLock.tryAcquire(layout.lockFile(key.lockName()));
    }

    /** Deletes the entry for {@code key} now, under its lock. */
    void delete(EntryKey key) {
        try (CacheLock lock = lock(key)) {
            CacheFiles.deleteTree(layout.tmp(), dir(key));
        }
    }

    /** The key of every entry directory on disk, readable or not. */
    List<EntryKey> keys() {
        List<EntryKey> keys = new ArrayList<>();
        for (Path dir : CacheLayout.contentFiles(layout.entries())) {
            keyOf(dir).ifPresent(keys::add);
        }
        return keys;
    }

    /** The entry as {@code entry.json} describes it, files not checked; empty if absent or unreadable. */
    Optional<CacheEntry> readQuietly(EntryKey key) {
        try {
            return readStored(key).map(Loaded::entry);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    Path dir(EntryKey key) {
        return layout.entries().resolve(key.layer().algorithm()).resolve(key.directoryName());
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
        Optional<CacheLock> lock = tryLock(entry.key());
        if (lock.isEmpty()) {
            return;
        }
        try (CacheLock held = lock.get()) {
            Path json = entry.directory().resolve(ENTRY_JSON);
            if (Files.isRegularFile(json, LinkOption.NOFOLLOW_LINKS)) {
                CacheFiles.writeAtomically(layout.tmp(), json, CacheJson.write(entry.contents(), keep));
            }
        } catch (RuntimeException e) {
            Log.LOG.debug("cannot record stamps for {}: {}", entry.directory(), e.toString());
        }
    }

    /** An entry as {@code entry.json} describes it, with its stamps and when they were recorded. */
    private record Loaded(CacheEntry entry, Map<String, FileStamp> stamps, long recordedAt) {}

    /** Reads {@code entry.json}; malformed metadata is an {@link IllegalArgumentException}. */
    private Optional<Loaded> readStored(EntryKey key) {
        Path dir = dir(key);
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


    /**
     * Deletes a damaged entry under its lock, after checking again: another process may have
     * replaced it with a good copy since we looked.
     */
    private void discard(EntryKey key, String why, Consumer<String> warnings) {
        Path dir = dir(key);
        try (CacheLock lock = lock(key)) {
            Optional<String> still;
            try {
                still = readStored(key).map(Loaded::entry).map(e -> EntryCheck.problem(e, f -> false, this::rehashing))
                        .orElse(Optional.of(why));
            } catch (IllegalArgumentException e) {
                still = Optional.of(e.getMessage());
            }
            if (still.isEmpty() || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            warnings.accept("cached entry " + dir + " is damaged (" + still.get() + "); deleted it and fetching it again");
            CacheFiles.deleteTree(layout.tmp(), dir);
        }
    }

    /** The key of an entry directory {@code entries/<alg>/<hex>[+<name>]}, if it is one. */
    static Optional<EntryKey> keyOf(Path dir) {
        String name = dir.getFileName().toString();
        int plus = name.indexOf('+');
        Digest layer = CacheLayout.digestOf(dir.getParent(), plus < 0 ? name : name.substring(0, plus));
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
}
