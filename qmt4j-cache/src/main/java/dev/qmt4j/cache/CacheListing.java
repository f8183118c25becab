package dev.qmt4j.cache;

import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageManifest;
import dev.qmt4j.oci.Manifest;
import dev.qmt4j.oci.Platform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the cached builds of references. A reference record names only the entry of its last pull, so
 * the builds are found the way {@link Pruner} finds what a reference keeps alive: its
 * cached top manifest, the cached children of an index (each with its platform), their layers, and
 * the entries of those layers (any variant). Nothing is re-hashed but the manifests, as on a load.
 */
final class CacheListing {
    private final ManifestStore manifests;
    private final EntryStore store;
    /** Entry keys by layer digest, from one listing of {@code entries/}. */
    private final Map<Digest, List<EntryKey>> entries = new HashMap<>();

    CacheListing(ManifestStore manifests, EntryStore store) {
        this.manifests = manifests;
        this.store = store;
        for (EntryKey k : store.keys()) {
            entries.computeIfAbsent(k.layer(), l -> new ArrayList<>()).add(k);
        }
    }

    /** Where an entry of a reference was found: the index entry's platform and the image manifest. */
    private record Reached(Optional<Platform> platform, Digest manifest, EntryKey key) {}

    /** The builds of {@code record} whose entries are present, in index order; the last pulled one too if it was not reached. */
    List<CachedBuild> builds(RefRecord record) {
        List<CachedBuild> out = new ArrayList<>();
        for (Reached r : reached(record)) {
            store.readQuietly(r.key()).ifPresent(e -> out.add(new CachedBuild(r.platform(), e.contents().type(),
                    r.manifest(), r.key(), e.contents().size(), e.pluginPath(),
                    record.entry().map(r.key()::equals).orElse(false))));
        }
        return out;
    }

    /** The entry keys of every build of {@code record} on disk, readable or not (for a full re-hash). */
    List<EntryKey> entryKeys(RefRecord record) {
        return reached(record).stream().map(Reached::key).toList();
    }

    private List<Reached> reached(RefRecord record) {
        Map<EntryKey, Reached> out = new LinkedHashMap<>();
        Optional<Manifest> top = manifest(record.digest());
        if (top.isPresent() && top.get() instanceof ImageIndex index) {
            for (Descriptor child : index.manifests()) {
                manifest(child.digest()).filter(m -> m instanceof ImageManifest)
                        .ifPresent(m -> add(out, child.platform(), child.digest(), (ImageManifest) m));
            }
        } else if (top.isPresent() && top.get() instanceof ImageManifest image) {
            add(out, Optional.empty(), record.digest(), image);
        }
        // A record whose manifests are gone (or damaged) still shows the entry its last pull used.
        record.entry().filter(k -> !out.containsKey(k) && entries.getOrDefault(k.layer(), List.of()).contains(k))
                .ifPresent(k -> out.put(k, new Reached(record.selection().flatMap(Selection::platform),
                        record.selection().map(Selection::manifest).orElse(record.digest()), k)));
        return new ArrayList<>(out.values());
    }

    private void add(Map<EntryKey, Reached> out, Optional<Platform> platform, Digest manifest, ImageManifest image) {
        for (Descriptor layer : image.layers()) {
            for (EntryKey k : entries.getOrDefault(layer.digest(), List.of())) {
                out.putIfAbsent(k, new Reached(platform, manifest, k));
            }
        }
    }

    private Optional<Manifest> manifest(Digest d) {
        return manifests.parsed(d);
    }
}
