package dev.qmt4j.cache;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.files.CachePermissions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * File operations that never leave a half-written file where a reader could see it: content is
 * written to a temporary file on the same file system, flushed to disk, and renamed into place.
 */
final class CacheFiles {
    private CacheFiles() {}

    /** Writes {@code bytes} to {@code target} atomically, staging the temporary file in {@code tmpDir}. */
    static void writeAtomically(Path tmpDir, Path target, byte[] bytes) {
        Path temp = tmpDir.resolve("w-" + UUID.randomUUID());
        try {
            CachePermissions.createDirectories(target.getParent());
            // rw-r--r-- or stricter whatever the umask: no one else may rewrite cache files.
            try (FileChannel ch = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    CachePermissions.fileAttributes(temp))) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(target.getParent());
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failure("cannot write " + target, e);
        }
    }

    /**
     * Renames a directory (or file) into place atomically. Returns false if {@code target} already
     * exists, in which case {@code source} is left where it was.
     */
    static boolean moveIntoPlace(Path source, Path target) {
        try {
            CachePermissions.createDirectories(target.getParent());
            if (Files.exists(target)) {
                return false;
            }
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(target.getParent());
            return true;
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            return false;
        } catch (IOException e) {
            // On Linux, rename(2) onto a directory another process just put there fails with ENOTEMPTY,
            // which the JDK reports as a plain FileSystemException: that is losing the race too.
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.exists(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            throw failure("cannot move " + source + " to " + target, e);
        }
    }

    /**
     * Clears the group and others write bits of every directory in {@code tree} (an extracted archive's
     * directories were created under the process umask), so a committed entry is {@code rwxr-xr-x} or stricter.
     */
    static void tightenDirectories(Path tree) {
        try {
            Files.walkFileTree(tree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
                    if (perms.removeAll(java.util.EnumSet.of(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE,
                            java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE))) {
                        Files.setPosixFilePermissions(dir, perms);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (UnsupportedOperationException e) {
            // not POSIX (Windows): nothing to tighten
        } catch (IOException e) {
            throw failure("cannot set the permissions of " + tree, e);
        }
    }

    /** Flushes a directory's entries to disk so a rename survives a crash; a no-op where unsupported. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open directories as channels; its renames are durable enough.
        }
    }

    /**
     * Deletes a file or directory tree. A tree is first renamed into {@code tmpDir} so that other
     * processes see it disappear at once rather than file by file.
     */
    static void deleteTree(Path tmpDir, Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path doomed = path;
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            doomed = tmpDir.resolve("d-" + UUID.randomUUID());
            try {
                Files.move(path, doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                doomed = path;
            }
        }
        try {
            deleteRecursively(doomed);
        } catch (IOException e) {
            throw failure("cannot delete " + path, e);
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // someone else deleted it first
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException e) {
            // Best effort: the sweep on the next open removes what is left in tmp/.
        }
    }

    /** Size of a file or a whole tree, not following links. */
    static long sizeOf(Path path) {
        long[] total = {0};
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return total[0];
        }
        return total[0];
    }

    /** A {@code CACHE} error naming the path, with a hint that fits the cause. */
    static Qmt4jException failure(String what, IOException cause) {
        String hint;
        String msg = String.valueOf(cause.getMessage());
        if (cause instanceof AccessDeniedException) {
            hint = "check the permissions of the cache directory, or point QMT4J_CACHE_DIR elsewhere";
        } else if (msg.contains("No space left") || msg.contains("not enough space")) {
            hint = "the disk is full: free space or run 'qmt4j cache prune'";
        } else {
            hint = "check that the cache directory is writable and the disk is not full";
        }
        return new Qmt4jException(ErrorKind.CACHE, what + ": " + cause, hint, cause);
    }
}
