package dev.qmt4j.cache;

import java.nio.file.Path;

/**
 * A complete, verified entry on disk.
 *
 * @param key       its key
 * @param directory the entry directory ({@code entries/<alg>/<name>})
 * @param contents  what {@code entry.json} says it holds
 */
public record CacheEntry(EntryKey key, Path directory, EntryContents contents) {

    /** Where the plugin tree lives: the plugin file and its companions. */
    public Path tree() {
        return directory.resolve(EntryStore.TREE_DIR);
    }

    /** The plugin file. */
    public Path pluginPath() {
        return resolve(contents.pluginFile());
    }

    /** A file of the tree by its relative {@code /}-separated path. */
    public Path resolve(String relative) {
        Path p = tree();
        for (String part : relative.split("/")) {
            p = p.resolve(part);
        }
        return p;
    }
}
