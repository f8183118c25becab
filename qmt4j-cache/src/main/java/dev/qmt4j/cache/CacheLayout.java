package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where each part of the cache lives (see this module's README, "Layout"), and the two helpers every
 * content directory ({@code <dir>/<alg>/<name>}) needs.
 */
record CacheLayout(Path root, Path manifests, Path entries, Path refs, Path evidence, Path tmp, Path locks) {

    static CacheLayout of(Path root) {
        return new CacheLayout(root, root.resolve("manifests"), root.resolve("entries"), root.resolve("refs"),
                root.resolve("evidence"), root.resolve("tmp"), root.resolve("locks"));
    }

    /** The fixed directories {@link PluginCache#open} creates. */
    List<Path> directories() {
        return List.of(manifests, entries, refs, evidence, tmp, locks);
    }

    /** The inter-process lock file named {@code name} under {@code locks/}. */
    Path lockFile(String name) {
        return locks.resolve(name + ".lock");
    }

    /** Parses {@code <alg dir>/<hex>} back into a digest, or null for foreign files. */
    static Digest digestOf(Path algDir, String hex) {
        try {
            return new Digest(algDir.getFileName().toString(), hex);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The {@code <alg>/<name>} children of a content directory. */
    static List<Path> contentFiles(Path base) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> algs = Files.list(base)) {
            for (Path alg : (Iterable<Path>) algs::iterator) {
                if (Files.isDirectory(alg, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> items = Files.list(alg)) {
                        items.forEach(out::add);
                    }
                }
            }
        } catch (IOException e) {
            throw CacheFiles.failure("cannot list " + base, e);
        }
        return out;
    }
}
