package dev.qmt4j.oci.layout;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * File mechanics shared by layout source and target: where blobs live, verified streaming copies
 * and atomic writes (temporary file in the destination's directory, fsync, rename), so a crash
 * leaves either the old file or the complete new one.
 */
final class LayoutFiles {
    static final String INDEX_JSON = "index.json";
    static final String OCI_LAYOUT = "oci-layout";
    static final String LAYOUT_VERSION_JSON = "{\"imageLayoutVersion\":\"1.0.0\"}";
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private LayoutFiles() {}

    /** {@code blobs/<alg>/<hex>}; safe because a {@link Digest} only holds a known algorithm and hex. */
    static Path blobPath(Path layout, Digest digest) {
        return layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    /**
     * Copies {@code in} to a new file {@code target} (which must not exist), checking that exactly
     * {@code expected.size()} bytes arrive and hash to {@code expected.digest()}. On any failure
     * nothing is left at {@code target}.
     */
    static void copyVerified(InputStream in, Descriptor expected, Path target, TransferListener listener, String origin)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".partial-", ".tmp");
        boolean done = false;
        try {
            MessageDigest hasher = expected.digest().newHasher();
            long total = expected.size();
            long count = 0;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[128 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    count += n;
                    if (count > total) {
                        throw new Qmt4jException(ErrorKind.INTEGRITY, "blob " + expected.digest() + " from " + origin
                                + " is larger than its declared size " + total);
                    }
                    hasher.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    listener.progress(count, total);
                }
                channel.force(true);
            }
            if (count != total) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, "blob " + expected.digest() + " from " + origin
                        + " has " + count + " bytes, expected " + total);
            }
            Digest actual = expected.digest().withHash(hasher.digest());
            if (!actual.equals(expected.digest())) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, "blob " + expected.digest() + " from " + origin
                        + " hashes to " + actual, "the content was altered or corrupted; re-create it from a trusted copy");
            }
            move(temp, target);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Writes {@code bytes} to {@code target} atomically, replacing it if present. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".partial-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Wraps an I/O failure on a layout as a user-facing error. */
    static Qmt4jException ioError(String what, Path path, IOException e) {
        return new Qmt4jException(ErrorKind.CACHE, what + " " + path + ": " + e.getMessage(),
                "check that the directory exists and is readable and writable", e);
    }
}
