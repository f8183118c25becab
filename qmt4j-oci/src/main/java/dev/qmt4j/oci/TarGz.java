package dev.qmt4j.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs one file into a reproducible tar+gzip layer: the file at the archive root, mtime 0,
 * uid/gid 0 with no owner names, mode 0755, and a gzip header without timestamp (the JDK writes
 * none). The same library therefore always gives the same layer digest.
 */
final class TarGz {
    private static final int MODE_EXECUTABLE = 0755;

    /** The layer file and the digest of its uncompressed tar (the image config's {@code diff_id}). */
    record Layer(Path file, Digest diffId) {}

    private TarGz() {}

    static Layer pack(Path source, Path target) {
        MessageDigest tarHasher = Digest.newMessageDigest("sha256");
        try (OutputStream file = Files.newOutputStream(target);
                GZIPOutputStream gzip = new GZIPOutputStream(file, 64 * 1024);
                DigestOutputStream hashed = new DigestOutputStream(gzip, tarHasher);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(hashed)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry(source.getFileName().toString());
            entry.setSize(Files.size(source));
            entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | MODE_EXECUTABLE);
            entry.setModTime(0L);
            entry.setIds(0, 0);
            entry.setUserName("");
            entry.setGroupName("");
            tar.putArchiveEntry(entry);
            try (InputStream in = Files.newInputStream(source)) {
                in.transferTo(tar);
            }
            tar.closeArchiveEntry();
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + source, e);
        }
        return new Layer(target, new Digest("sha256", java.util.HexFormat.of().formatHex(tarHasher.digest())));
    }
}
