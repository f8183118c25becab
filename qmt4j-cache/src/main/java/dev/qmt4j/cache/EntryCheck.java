package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.PluginType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Re-checks an entry against its {@code entry.json}: every file hashes to what was recorded, links
 * point where they did, nothing was added, and a Wasm file hashes to its layer digest.
 */
final class EntryCheck {
    private EntryCheck() {}

    /** What is wrong with the entry, or empty if it is intact. */
    static Optional<String> problem(CacheEntry entry) {
        EntryContents c = entry.contents();
        Path tree = entry.tree();
        try {
            Set<String> seen = new HashSet<>();
            try (Stream<Path> all = Files.walk(tree)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    if (p.equals(tree) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    String rel = relative(tree, p);
                    if (!c.files().containsKey(rel) && !c.links().containsKey(rel)) {
                        return Optional.of("unexpected file " + rel);
                    }
                    seen.add(rel);
                }
            }
            for (var f : c.files().entrySet()) {
                Path p = entry.resolve(f.getKey());
                if (!seen.contains(f.getKey()) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.of("missing file " + f.getKey());
                }
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

    private static String relative(Path tree, Path p) {
        return tree.relativize(p).toString().replace('\\', '/');
    }

    private static String hash(Path file, MessageDigest md) throws IOException {
        byte[] buf = new byte[1 << 17];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
