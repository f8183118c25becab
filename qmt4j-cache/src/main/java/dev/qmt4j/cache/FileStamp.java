package dev.qmt4j.cache;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the file system says about a verified file: size, modification time, status-change time
 * ({@code ctime}) and identity (device and inode). Any write, truncation, {@code chmod}, rename
 * over it or replacement through the file system changes at least one of them (a write sets
 * {@code ctime} to the current time even when {@code mtime} is put back with {@code utimes}), so
 * an unchanged stamp lets a load skip re-hashing the file. See the module README for what this
 * does not catch.
 *
 * @param size  bytes
 * @param mtime modification time, nanoseconds since the epoch
 * @param ctime status-change time, nanoseconds since the epoch
 * @param key   the file key ({@code (dev=…,ino=…)} on Unix)
 */
record FileStamp(long size, long mtime, long ctime, String key) {

    /**
     * The stamp of a regular file, or empty where the file system gives no {@code ctime} or file key
     * (Windows): there every load re-hashes.
     */
    static Optional<FileStamp> of(Path file) {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,fileKey,isRegularFile",
                    LinkOption.NOFOLLOW_LINKS);
            Object key = a.get("fileKey");
            Object ctime = a.get("ctime");
            if (key == null || !(ctime instanceof FileTime c) || !Boolean.TRUE.equals(a.get("isRegularFile"))) {
                return Optional.empty();
            }
            return Optional.of(new FileStamp((Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")), nanos(c),
                    key.toString()));
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the stamp was taken too close to {@code recordedAt} (the modification time of the
     * {@code entry.json} that holds it, i.e. the file system's clock when it was written) to prove
     * anything: time stamps are coarse (a clock tick, up to 2 s on some file systems), so a write
     * within the same tick as the verification would leave the stamp unchanged. Such a stamp is never
     * trusted; the next load re-hashes the file and records a fresh one ("racy git" rule).
     */
    boolean racy(long recordedAt, long marginNanos) {
        return ctime >= recordedAt - marginNanos || mtime >= recordedAt - marginNanos;
    }

    // Written out: a record's generated equals/hashCode bootstrap through java.lang.runtime.ObjectMethods
    // on first use, which spins method handles and costs a cache hit measurable start-up time.
    @Override
    public boolean equals(Object o) {
        return o instanceof FileStamp s && s.size == size && s.mtime == mtime && s.ctime == ctime && s.key.equals(key);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(size) * 31 + Long.hashCode(mtime)) * 31 + key.hashCode();
    }

    static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }
}
