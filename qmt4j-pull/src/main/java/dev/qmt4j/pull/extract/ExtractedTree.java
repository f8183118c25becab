package dev.qmt4j.pull.extract;

import java.util.Map;
import java.util.TreeMap;

/**
 * What extraction produced in the tree directory.
 *
 * @param pluginFile the plugin file, relative to the tree ({@code /}-separated)
 * @param files      every regular file, relative path to lowercase hex SHA-256
 * @param links      every symbolic link, relative path to its in-tree target as written in the archive
 * @param size       total bytes of the regular files
 */
public record ExtractedTree(String pluginFile, Map<String, String> files, Map<String, String> links, long size) {
    public ExtractedTree {
        files = Map.copyOf(new TreeMap<>(files));
        links = Map.copyOf(new TreeMap<>(links));
    }
}
