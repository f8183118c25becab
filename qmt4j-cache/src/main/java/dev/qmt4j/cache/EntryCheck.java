package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.PluginType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Re-checks an entry against its {@code entry.json}: every file hashes to what was recorded, links
 * point where they did, nothing was added, and a Wasm file hashes to its layer digest. Files whose
 * {@link FileStamp} is unchanged since they were last verified may be skipped by the caller.
 */
final class EntryCheck {
    private EntryCheck() {}

    /** What is wrong with the entry, or empty if it is intact; every file is re-hashed. */
    static Optional<String> problem(CacheEntry entry) {
        return problem(entry, f -> false, f -> {});
    }

    /**
     * What is wrong with the entry, or empty if it is intact.
     *
     * @param trusted files whose content is known unchanged (their stamp matches): not re-hashed
     * @param hashing told the relative path of every file before it is re-hashed
     */
    static Optional<String> problem(CacheEntry entry, Predicate<String> trusted, java.util.function.Consumer<String> hashing) {
        EntryContents c = entry.contents();
        Path tree = entry.tree();
        try {
            Set<String> seen = new HashSet<>();
            walk(tree, "", seen);
            for (String rel : seen) {
                if (!c.files().containsKey(rel) && !c.links().containsKey(rel)) {
                    return Optional.of("unexpected file " + rel);
                }
            }
            for (var f : c.files().entrySet()) {
                Path p = entry.resolve(f.getKey());
                if (!seen.contains(f.getKey()) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.of("missing file " + f.getKey());
                }
                if (trusted.test(f.getKey())) {
                    continue;
                }
                hashing.accept(f.getKey());
                if (c.type() == PluginType.WASM && f.getKey().equals(c.pluginFile())) {
                    Digest layer = c.layer();
                    String actual = hash(p, layer.newHasher());
                    if (!actual.equals(layer.hex())) {
                        return Optional.of(f.getKey() + " does not match layer " + layer);
                    }
                    if (layer.algorithm().equals("sha256")) {
                        continue; // that was the same hash; don't read the file twice
                    }
                }
                if (!hash(p, Digest.newMessageDigest("sha256")).equals(f.getValue())) {
                    return Optional.of(f.getKey() + " does not match its recorded sha256");
                }
            }
            for (var l : c.links().entrySet()) {
                Path p = entry.resolve(l.getKey());
                if (!Files.isSymbolicLink(p) || !Files.readSymbolicLink(p).toString().replace('\\', '/').equals(l.getValue())) {
                    return Optional.of("link " + l.getKey() + " changed");
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("unreadable: " + e.getMessage());
        }
    }

    /** Every non-directory below {@code dir}, as {@code /}-separated paths; links are not followed. */
    private static void walk(Path dir, String prefix, Set<String> out) throws IOException {
        try (DirectoryStream<Path> items = Files.newDirectoryStream(dir)) {
            for (Path p : items) {
                String rel = prefix + p.getFileName();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    walk(p, rel + "/", out);
                } else {
                    out.add(rel);
                }
            }
        }
    }

    private static String hash(Path file, MessageDigest md) throws IOException {
        // A heap buffer: MessageDigest hashes its array in place (a direct one is copied in 4 KiB pieces).
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
