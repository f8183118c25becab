package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.PluginType;
import java.time.Instant;
import java.util.Optional;

/**
 * What one canonical reference resolved to, and when. There is one record per canonical reference;
 * it is what keeps manifests and entries alive through {@link PluginCache#prune()}.
 *
 * @param reference  the canonical reference ({@code oci://registry/repo:tag})
 * @param digest     the top-level digest it resolved to (index or manifest)
 * @param mediaType  that manifest's media type
 * @param resolvedAt when the registry last confirmed the digest
 * @param entry      the entry the last pull used, if any (for listing)
 * @param type       that entry's plugin type, if any
 * @param selection  how the last pull selected the plugin from {@code digest}, if recorded (lets a
 *                   cache hit skip parsing manifests; see {@link Selection})
 */
public record RefRecord(String reference, Digest digest, String mediaType, Instant resolvedAt,
        Optional<EntryKey> entry, Optional<PluginType> type, Optional<Selection> selection) {

    /** A record without a selection. */
    public RefRecord(String reference, Digest digest, String mediaType, Instant resolvedAt,
            Optional<EntryKey> entry, Optional<PluginType> type) {
        this(reference, digest, mediaType, resolvedAt, entry, type, Optional.empty());
    }
}
