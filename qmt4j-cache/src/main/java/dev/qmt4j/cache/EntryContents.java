package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.PluginType;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an entry holds, as recorded in its {@code entry.json}: enough to re-check every byte.
 *
 * @param type       Wasm or native
 * @param layer      the layer the files came from
 * @param pluginFile the plugin file, relative to the entry's {@code plugin/} directory ({@code /}-separated)
 * @param files      every regular file, relative path to lowercase hex SHA-256
 * @param links      every symbolic link, relative path to its (relative, in-tree) target
 * @param size       total bytes of the regular files
 */
public record EntryContents(PluginType type, Digest layer, String pluginFile, Map<String, String> files,
        Map<String, String> links, long size) {

    public EntryContents {
        files = Map.copyOf(new TreeMap<>(files));
        links = Map.copyOf(new TreeMap<>(links));
        if (!files.containsKey(pluginFile)) {
            throw new IllegalArgumentException("plugin file " + pluginFile + " is not among the files");
        }
    }
}
