package dev.qmt4j.pull.extract;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds tar(+gzip) archives entry by entry, including the malicious ones real tools refuse to make. */
public final class Tars implements AutoCloseable {
    private final TarArchiveOutputStream tar;

    private Tars(OutputStream out) {
        this.tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    public static Tars gzip(Path file) throws IOException {
        return new Tars(new GzipCompressorOutputStream(Files.newOutputStream(file)));
    }

    public static Tars plain(Path file) throws IOException {
        return new Tars(Files.newOutputStream(file));
    }

    public Tars file(String name, String content) throws IOException {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    Tars file(String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
        return this;
    }

    /** A file of {@code size} zero bytes, streamed (compresses to almost nothing). */
    Tars zeros(String name, long size) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(size);
        tar.putArchiveEntry(e);
        byte[] buf = new byte[1 << 16];
        for (long left = size; left > 0; left -= buf.length) {
            tar.write(buf, 0, (int) Math.min(buf.length, left));
        }
        tar.closeArchiveEntry();
        return this;
    }

    public Tars dir(String name) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true));
        tar.closeArchiveEntry();
        return this;
    }

    public Tars symlink(String name, String target) throws IOException {
        return link(name, target, TarConstants.LF_SYMLINK);
    }

    Tars hardlink(String name, String target) throws IOException {
        return link(name, target, TarConstants.LF_LINK);
    }

    Tars special(String name, byte type) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    private Tars link(String name, String target, byte type) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
