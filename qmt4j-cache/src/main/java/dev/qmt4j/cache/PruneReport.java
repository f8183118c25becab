package dev.qmt4j.cache;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link PluginCache#prune()} removed.
 *
 * @param removed    the manifests, entries and evidence directories deleted
 * @param bytesFreed their total size
 */
public record PruneReport(List<Path> removed, long bytesFreed) {
    public PruneReport {
        removed = List.copyOf(removed);
    }
}
