package dev.qmt4j.cache;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.files.CachePermissions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A private scratch directory under the cache's {@code tmp/}, on the same file system as the
 * entries so that finished work can be renamed into place atomically. It is locked while open, so
 * a sweep in another process can tell a live staging area from one left by a killed process.
 * Closing it deletes whatever was not committed.
 */
final class Staging implements AutoCloseable {
    /** Litter without a lock is only swept once this old, in case its writer is merely slow. */
    private static final Duration STALE_AFTER = Duration.ofHours(1);

    private final Path dir;
    private final Path lockFile;
    private final CacheLock lock;

    private Staging(Path dir, Path lockFile, CacheLock lock) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** A fresh staging directory {@code tmp/s-<uuid>/}, locked through {@code tmp/s-<uuid>.lock}. */
    static Staging create(Path tmp) {
        for (int attempt = 0; attempt < 5; attempt++) {
            String id = "s-" + UUID.randomUUID();
            Path lockFile = tmp.resolve(id + ".lock");
            Optional<CacheLock> lock = CacheLock.tryAcquireFile(lockFile, true);
            // A sweep may have deleted the file between our create and lock; then try another name.
            if (lock.isPresent() && Files.exists(lockFile)) {
                Path dir = tmp.resolve(id);
                try {
                    Files.createDirectory(dir, CachePermissions.dirAttributes(dir));
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

    /** The directory to write into. */
    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            CacheFiles.deleteQuietly(dir);
        } finally {
            lock.close();
            CacheFiles.deleteQuietly(lockFile);
        }
    }

    /**
     * Removes what killed processes left in {@code tmp}: staging directories whose lock nobody
     * holds any more, and unlocked litter older than {@link #STALE_AFTER}.
     */
    static void sweep(Path tmp) {
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
