package dev.qmt4j.pull.extract;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a native plugin layer (tar, optionally gzip-compressed) into a directory, refusing
 * anything that could write outside it or exhaust the disk: absolute paths, {@code ..} segments,
 * links leading out of the tree, device and fifo entries, duplicate paths, and more than
 * {@link ExtractionLimits} allow.
 */
public final class TarExtractor {
    private final ExtractionLimits limits;

    public TarExtractor(ExtractionLimits limits) {
        this.limits = limits;
    }

    /**
     * @param layer    the downloaded layer file
     * @param tree     an empty directory to unpack into
     * @param fileName the plugin file's name if configured; otherwise the tree's single shared library
     */
    public ExtractedTree extract(Path layer, Path tree, Optional<String> fileName) {
        fileName.ifPresent(PluginFileNames::requirePlain);
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, String> links = new LinkedHashMap<>();
        long total = 0;
        int count = 0;
        try {
            Files.createDirectories(tree);
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.EXTRACTION, "cannot create " + tree + ": " + e.getMessage(),
                    "check that the cache directory is writable", e);
        }
        try (BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(layer), 1 << 16);
                TarArchiveInputStream tar = new TarArchiveInputStream(decompress(raw))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (++count > limits.maxEntries()) {
                    throw fail(e.getName(), "the layer has more than " + limits.maxEntries() + " entries");
                }
                String rel = safeRelative(e.getName());
                if (rel.isEmpty()) {
                    continue; // the archive root, "./"
                }
                Path target = tree.resolve(rel);
                if (files.containsKey(rel) || links.containsKey(rel)) {
                    throw fail(e.getName(), "the path occurs twice in the archive");
                }
                if (e.isDirectory()) {
                    createParents(tree, target);
                    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectory(target);
                    }
                } else if (e.isSymbolicLink()) {
                    String link = e.getLinkName();
                    checkLinkTarget(e.getName(), rel, link, links);
                    createParents(tree, target);
                    Files.createSymbolicLink(target, Path.of(link));
                    links.put(rel, link);
                } else if (e.isLink()) {
                    // A hard link names another archive path; copy it so the tree has no shared inodes.
                    String source = safeRelative(e.getLinkName());
                    if (!files.containsKey(source)) {
                        throw fail(e.getName(), "hard link to '" + e.getLinkName() + "', which is not a file extracted before it");
                    }
                    total += Files.size(tree.resolve(source));
                    checkTotal(e.getName(), total);
                    createParents(tree, target);
                    Files.copy(tree.resolve(source), target);
                    files.put(rel, files.get(source));
                } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    throw fail(e.getName(), "device files, fifos and other special entries are not allowed");
                } else if (e.isFile()) {
                    createParents(tree, target);
                    long before = total;
                    total = copy(e.getName(), tar, target, total, files, rel);
                    if (total - before != e.getSize()) {
                        throw fail(e.getName(), "the entry is shorter than its declared size");
                    }
                } else {
                    throw fail(e.getName(), "device files, fifos and other special entries are not allowed");
                }
            }
            // A link added later can redirect one checked earlier (x/y/../.. is harmless until x/y
            // becomes a link to ..), so every link is resolved again against the finished tree.
            for (Map.Entry<String, String> l : links.entrySet()) {
                checkLinkTarget(l.getKey(), l.getKey(), l.getValue(), links);
            }
        } catch (Qmt4jException ex) {
            throw ex;
        } catch (IOException | RuntimeException ex) {
            throw new Qmt4jException(ErrorKind.EXTRACTION, "cannot unpack the native plugin layer: " + ex.getMessage(),
                    "the layer is not a valid tar or tar+gzip archive; check how the image was built", ex);
        }
        return new ExtractedTree(choosePlugin(files, fileName), files, links, total);
    }

    private long copy(String entryName, InputStream in, Path target, long total, Map<String, String> files, String rel)
            throws IOException {
        MessageDigest sha = Digest.newMessageDigest("sha256");
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                checkTotal(entryName, total);
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
        files.put(rel, HexFormat.of().formatHex(sha.digest()));
        return total;
    }

    private void checkTotal(String entryName, long total) {
        if (total > limits.maxTotalBytes()) {
            throw fail(entryName, "the layer unpacks to more than " + limits.maxTotalBytes() + " bytes");
        }
    }

    private static InputStream decompress(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        // Detected from the bytes, not the media type: registries and tools mislabel layers.
        return b1 == 0x1f && b2 == 0x8b ? new GzipCompressorInputStream(in, true) : in;
    }

    /** Normalises an archive path to {@code a/b/c}, rejecting anything that could leave the tree. */
    static String safeRelative(String name) {
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':')) {
            throw fail(name, "absolute paths are not allowed");
        }
        List<String> parts = new ArrayList<>();
        for (String part : n.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw fail(name, "'..' path segments are not allowed");
            }
            if (part.indexOf('\0') >= 0) {
                throw fail(name, "NUL in the path");
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    /** The most links followed while resolving one target, as Linux's ELOOP limit (path_resolution(7)). */
    private static final int MAX_LINK_HOPS = 40;

    /**
     * A symlink may point anywhere inside the tree, relatively; never out of it. The target is
     * resolved step by step as the kernel would, following the symbolic links already in the tree
     * ({@code links}), so a chain like {@code a/l -> ..} then {@code escape -> a/l/a/l/../../..}
     * is seen to leave the tree even though its {@code ..} steps look balanced as text. Names
     * that are not links yet are taken as plain directories; the caller checks every link again
     * once the whole archive is extracted.
     */
    private static void checkLinkTarget(String entryName, String rel, String link, Map<String, String> links) {
        String l = link.replace('\\', '/');
        if (l.isEmpty() || l.startsWith("/") || (l.length() > 1 && l.charAt(1) == ':')) {
            throw fail(entryName, "symbolic link to absolute path '" + link + "'");
        }
        List<String> stack = new ArrayList<>(List.of(rel.split("/")));
        stack.remove(stack.size() - 1);
        Deque<String> todo = new ArrayDeque<>(List.of(l.split("/")));
        int hops = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (stack.isEmpty()) {
                    throw fail(entryName, "symbolic link to '" + link + "' leaves the plugin directory"
                            + (hops > 0 ? " (following the symbolic links in the layer)" : ""));
                }
                stack.remove(stack.size() - 1);
                continue;
            }
            stack.add(part);
            String next = links.get(String.join("/", stack));
            if (next != null) {
                if (++hops > MAX_LINK_HOPS) {
                    throw fail(entryName, "symbolic link to '" + link + "' goes through more than " + MAX_LINK_HOPS
                            + " symbolic links (a loop)");
                }
                // A link's target is relative to the directory holding the link.
                stack.remove(stack.size() - 1);
                List<String> expanded = List.of(next.replace('\\', '/').split("/"));
                for (int i = expanded.size() - 1; i >= 0; i--) {
                    todo.addFirst(expanded.get(i));
                }
            }
        }
    }

    /**
     * Creates the parent directories of {@code target}, refusing to go through a symbolic link:
     * a link extracted earlier must never redirect later writes.
     */
    private static void createParents(Path tree, Path target) throws IOException {
        Path p = tree;
        Path rel = tree.relativize(target.getParent() == null ? tree : target.getParent());
        for (Path part : rel) {
            if (part.toString().isEmpty()) {
                continue;
            }
            p = p.resolve(part);
            if (Files.isSymbolicLink(p)) {
                throw fail(tree.relativize(target).toString(), "the path goes through the symbolic link " + tree.relativize(p));
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(p);
            } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw fail(tree.relativize(target).toString(), tree.relativize(p) + " is a file, not a directory");
            }
        }
    }

    private static String choosePlugin(Map<String, String> files, Optional<String> fileName) {
        List<String> libraries = files.keySet().stream()
                .filter(f -> PluginFileNames.isSharedLibrary(baseName(f))).sorted().toList();
        if (fileName.isPresent()) {
            List<String> named = files.keySet().stream().filter(f -> baseName(f).equals(fileName.get())).sorted().toList();
            if (named.size() == 1) {
                return named.get(0);
            }
            throw new Qmt4jException(ErrorKind.EXTRACTION, named.isEmpty()
                    ? "the native plugin layer has no file named " + fileName.get() + "; it has " + describe(files.keySet())
                    : "the native plugin layer has several files named " + fileName.get() + ": " + named,
                    "set the provider's file name to one of the files in the layer");
        }
        if (libraries.size() == 1) {
            return libraries.get(0);
        }
        throw new Qmt4jException(ErrorKind.EXTRACTION, libraries.isEmpty()
                ? "the native plugin layer contains no shared library (.so, .dylib, .dll); it has " + describe(files.keySet())
                : "the native plugin layer contains several shared libraries: " + libraries,
                "name the plugin file in the provider config so qmt4j knows which one to load");
    }

    private static String describe(java.util.Collection<String> names) {
        return names.isEmpty() ? "no files" : names.stream().sorted().limit(20).toList().toString();
    }

    private static String baseName(String rel) {
        return rel.substring(rel.lastIndexOf('/') + 1);
    }

    private static Qmt4jException fail(String entry, String why) {
        return new Qmt4jException(ErrorKind.EXTRACTION, "unsafe entry '" + entry + "' in the native plugin layer: " + why,
                "the image may be malicious or badly built; do not use it until its publisher fixes it");
    }
}
