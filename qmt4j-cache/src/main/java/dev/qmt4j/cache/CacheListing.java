package dev.qmt4j.cache;

import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageManifest;
import dev.qmt4j.oci.Manifest;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.Platform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the cached builds of references. A reference record names only the entry of its last pull, so
 * the builds are found the way {@link PluginCache#prune()} finds what a reference keeps alive: its
 * cached top manifest, the cached children of an index (each with its platform), their layers, and
 * the entries of those layers (any variant). Nothing is re-hashed but the manifests, as on a load.
 */
final class CacheListing {
    private final PluginCache cache;
    /** Entry keys by layer digest, from one listing of {@code entries/}. */
    private final Map<Digest, List<EntryKey>> entries = new HashMap<>();

    CacheListing(PluginCache cache, List<EntryKey> allEntries) {
        this.cache = cache;
        for (EntryKey k : allEntries) {
            entries.computeIfAbsent(k.layer(), l -> new ArrayList<>()).add(k);
        }
    }

    /** The builds of {@code record} whose entries are present, in index order; the last pulled one too if it was not reached. */
    List<CachedBuild> builds(RefRecord record) {
        List<CachedBuild> out = new ArrayList<>();
        Set<EntryKey> seen = new LinkedHashSet<>();
        Optional<Manifest> top = manifest(record.digest());
        if (top.isPresent() && top.get() instanceof ImageIndex index) {
            for (Descriptor child : index.manifests()) {
                manifest(child.digest()).filter(m -> m instanceof ImageManifest)
                        .ifPresent(m -> add(out, seen, record, child.platform(), child.digest(), (ImageManifest) m));
            }
        } else if (top.isPresent() && top.get() instanceof ImageManifest image) {
            add(out, seen, record, Optional.empty(), record.digest(), image);
        }
        // A record whose manifests are gone (or damaged) still shows the entry its last pull used.
        record.entry().filter(k -> !seen.contains(k)).ifPresent(k -> cache.readEntryQuietly(k).ifPresent(e ->
                out.add(new CachedBuild(record.selection().flatMap(Selection::platform), e.contents().type(),
                        record.selection().map(Selection::manifest).orElse(record.digest()), k, e.contents().size(),
                        e.pluginPath(), true))));
        return out;
    }

    private void add(List<CachedBuild> out, Set<EntryKey> seen, RefRecord record, Optional<Platform> platform,
            Digest manifest, ImageManifest image) {
        for (Descriptor layer : image.layers()) {
            for (EntryKey k : entries.getOrDefault(layer.digest(), List.of())) {
                if (seen.add(k)) {
                    cache.readEntryQuietly(k).ifPresent(e -> out.add(new CachedBuild(platform, e.contents().type(), manifest,
                            k, e.contents().size(), e.pluginPath(), record.entry().map(k::equals).orElse(false))));
                }
            }
        }
    }

    private Optional<Manifest> manifest(Digest d) {
        return cache.findManifest(d).flatMap(CacheListing::parse);
    }

    private static Optional<Manifest> parse(ManifestBlob blob) {
        try {
            return Optional.of(blob.parse());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
