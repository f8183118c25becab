package dev.qmt4j.cache;

import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageManifest;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Garbage collection: deletes every manifest, entry and evidence directory that no reference record
 * reaches (reference -> manifest -> index children -> layers). What is being written (its lock is held)
 * is skipped: it belongs to a pull that will reference it next.
 */
final class Pruner {
    private final CacheLayout layout;
    private final RefStore refs;
    private final ManifestStore manifests;
    private final EntryStore entries;
    private final EvidenceStore evidence;

    Pruner(CacheLayout layout, RefStore refs, ManifestStore manifests, EntryStore entries, EvidenceStore evidence) {
        this.layout = layout;
        this.refs = refs;
        this.manifests = manifests;
        this.entries = entries;
        this.evidence = evidence;
    }

    PruneReport prune() {
        Set<Digest> liveManifests = new HashSet<>();
        Set<Digest> liveLayers = new HashSet<>();
        Set<Digest> liveTops = new HashSet<>();
        for (RefRecord r : refs.all()) {
            liveTops.add(r.digest());
            r.entry().ifPresent(k -> liveLayers.add(k.layer()));
            Deque<Digest> todo = new ArrayDeque<>(List.of(r.digest()));
            while (!todo.isEmpty()) {
                Digest d = todo.pop();
                if (!liveManifests.add(d)) {
                    continue;
                }
                manifests.parsed(d).ifPresent(m -> {
                    if (m instanceof ImageIndex index) {
                        index.manifests().forEach(c -> todo.push(c.digest()));
                    } else if (m instanceof ImageManifest image) {
                        image.layers().stream().map(Descriptor::digest).forEach(liveLayers::add);
                    }
                });
            }
        }
        List<Path> removed = new ArrayList<>();
        long[] freed = {0};
        String suffix = ManifestStore.MEDIA_TYPE_SUFFIX;
        for (Path file : CacheLayout.contentFiles(layout.manifests())) {
            String name = file.getFileName().toString();
            String hex = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
            if (!liveManifests.contains(CacheLayout.digestOf(file.getParent(), hex))) {
                freed[0] += CacheFiles.sizeOf(file);
                CacheFiles.deleteTree(layout.tmp(), file);
                if (name.equals(hex)) {
                    removed.add(file); // the media-type sidecar goes with it, unlisted
                }
            }
        }
        for (Path dir : CacheLayout.contentFiles(layout.entries())) {
            String name = dir.getFileName().toString();
            int plus = name.indexOf('+');
            Digest layer = CacheLayout.digestOf(dir.getParent(), plus < 0 ? name : name.substring(0, plus));
            if (layer != null && liveLayers.contains(layer)) {
                continue;
            }
            Optional<String> variant = plus < 0 ? Optional.empty() : Optional.of(name.substring(plus + 1));
            // An entry whose lock is held is being written by a pull that will reference it next.
            Optional<CacheLock> lock = layer == null ? Optional.empty() : entries.tryLock(new EntryKey(layer, variant));
            if (layer != null && lock.isEmpty()) {
                continue;
            }
            try {
                long size = CacheFiles.sizeOf(dir);
                CacheFiles.deleteTree(layout.tmp(), dir);
                freed[0] += size;
                removed.add(dir);
            } finally {
                lock.ifPresent(CacheLock::close);
            }
        }
        for (Path dir : CacheLayout.contentFiles(layout.evidence())) {
            Digest top = CacheLayout.digestOf(dir.getParent(), dir.getFileName().toString());
            if (!liveTops.contains(top)) {
                // Evidence being stored right now belongs to a pull that will reference it next.
                Optional<CacheLock> lock = top == null ? Optional.empty() : CacheLock.tryAcquire(evidence.lockFile(top));
                if (top != null && lock.isEmpty()) {
                    continue;
                }
                try {
                    freed[0] += CacheFiles.sizeOf(dir);
                    CacheFiles.deleteTree(layout.tmp(), dir);
                    removed.add(dir);
                } finally {
                    lock.ifPresent(CacheLock::close);
                }
            }
        }
        return new PruneReport(removed, freed[0]);
    }
}
