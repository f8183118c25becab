package dev.qmt4j.pull;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.cache.CacheEntry;
import dev.qmt4j.cache.EntryContents;
import dev.qmt4j.cache.EntryKey;
import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.cache.RefRecord;
import dev.qmt4j.cache.Selection;
import dev.qmt4j.cache.StoredEvidence;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.FeatureTags;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PlatformUnavailableException;
import dev.qmt4j.oci.PluginImage;
import dev.qmt4j.oci.PluginSelector;
import dev.qmt4j.oci.PluginType;
import dev.qmt4j.oci.Recheck;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.Signer;
import dev.qmt4j.oci.VerificationEvidence;
import dev.qmt4j.pull.extract.ExtractedTree;
import dev.qmt4j.pull.extract.PluginFileNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One pull, step by step:
 * <ol>
 *   <li>a cached digest reference, or a tag whose record is still fresh, is served from the cache
 *       with no network at all;</li>
 *   <li>otherwise the reference is resolved once to a digest (a cheap HEAD first, when the source
 *       offers one and the cache may already hold that digest); if the source is unreachable the
 *       last resolved digest is used, with a warning;</li>
 *   <li>the verifier approves that digest before anything else is fetched, and everything after is
 *       fetched by digest;</li>
 *   <li>the plugin is selected for the platform, and its layer is reused from the cache or
 *       downloaded, extracted and committed under a per-layer lock.</li>
 * </ol>
 */
final class PullAttempt {
    private final PluginPuller puller;
    private final PluginCache cache;
    private final PullRequest request;
    private final ImageRef ref;
    private final PullListener listener;
    private final List<String> warnings = new ArrayList<>();
    private final Instant now;
    /**
     * The reference's record as read at the start of {@link #run}, if any: the digest a fresh tag is
     * served from, the last digest when the source is unreachable, and a selection that may spare a
     * hit the manifests.
     */
    private Optional<RefRecord> record = Optional.empty();
    /** The verifier's summary for the digest being served: fresh from the verifier, or as stored with its evidence. */
    private Optional<String> verification = Optional.empty();
    /** Who signed the digest being served: named by the verifier, or by its re-check of the stored evidence. */
    private Optional<Signer> signer = Optional.empty();

    PullAttempt(PluginPuller puller, PullRequest request, PullListener listener) {
        this.puller = puller;
        this.cache = puller.cache();
        this.request = request;
        this.ref = request.reference();
        this.listener = listener;
        this.now = puller.clock().instant();
        request.fileName().ifPresent(PluginFileNames::requirePlain);
    }

    PullResult run() {
        record = cache.findRef(ref);
        if (!request.force()) {
            Optional<Digest> known = ref.digest().isPresent() ? ref.digest()
                    : record.filter(r -> puller.refresh().isFresh(r.resolvedAt(), now)).map(RefRecord::digest);
            Optional<PullResult> cached = known.flatMap(d -> fromCache(d, false));
            if (cached.isPresent()) {
                if (record.isEmpty()) {
                    // A digest first seen through a tag: record it so prune keeps it for this reference.
                    writeRecord(cached.get(), cache.findManifest(cached.get().digest()).map(ManifestBlob::mediaType).orElse(null));
                }
                return cached.get();
            }
        }
        ImageSource source;
        try {
            source = puller.sources().apply(ref);
        } catch (Qmt4jException e) {
            return offline(e);
        }
        try (source) {
            ManifestBlob top;
            try {
                Optional<PullResult> unchanged = unchangedTag(source);
                if (unchanged.isPresent()) {
                    return unchanged.get();
                }
                top = source.resolve();
            } catch (Qmt4jException e) {
                return offline(e);
            }
            return online(source, top);
        }
    }

    /** A HEAD says the tag still points at the cached digest: refresh the record, skip the rest. */
    private Optional<PullResult> unchangedTag(ImageSource source) {
        if (request.force() || ref.digest().isPresent() || record.isEmpty()) {
            return Optional.empty();
        }
        Optional<Digest> current = source.peekDigest();
        if (current.isEmpty() || !current.get().equals(record.get().digest())) {
            return Optional.empty();
        }
        Optional<PullResult> cached = fromCache(current.get(), false);
        cached.ifPresent(r -> writeRecord(r, record.get().mediaType()));
        return cached;
    }

    private PullResult online(ImageSource source, ManifestBlob top) {
        Digest digest = top.digest();
        if (ref.digest().isPresent() && !ref.digest().get().equals(digest)) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, source.describe() + " returned manifest " + digest
                    + " for " + ref.canonical(), "the registry or a proxy in between is misbehaving; try again later");
        }
        verify(source, digest);
        cache.putManifest(top); // only once verified: a refused image leaves nothing in the cache
        PluginImage image;
        try {
            image = select(top, child -> cache.findManifest(child).orElseGet(() -> {
                ManifestBlob m = source.manifest(child);
                cache.putManifest(m);
                return m;
            }));
        } catch (PlatformUnavailableException e) {
            throw withFeatureTags(e, source);
        }
        EntryKey key = keyFor(image);
        if (!request.force()) {
            Optional<CacheEntry> entry = cache.findEntry(key, warnings::add);
            if (entry.isPresent()) {
                return recorded(result(digest, image, entry.get(), true, false), top.mediaType());
            }
        }
        // Under the layer's lock: downloaded once across threads and processes, and the record is written
        // before the lock is released, so a concurrent prune never sees the entry unreferenced.
        return cache.install(key, request.force(), warnings::add,
                (scratch, tree) -> download(source, image, scratch, tree),
                installed -> recorded(result(digest, image, installed.entry(), installed.found(), false), top.mediaType()));
    }

    private void verify(ImageSource source, Digest digest) {
        if (request.insecureSkipSignature()) {
            warnings.add(skipWarning(digest));
            return;
        }
        listener.on(new PullEvent.VerifyingSignature(digest.toString()));
        VerificationEvidence evidence = puller.verifier().verify(source, ref, digest);
        cache.putEvidence(digest, evidence.summary(), evidence.files(), evidence.signer());
        verification = Optional.of(evidence.summary());
        signer = evidence.signer();
    }

    /** Fetches the layer into {@code scratch} and extracts the plugin into {@code tree}, for {@link PluginCache#install}. */
    private EntryContents download(ImageSource source, PluginImage image, Path scratch, Path tree) throws IOException {
        Path blob = scratch.resolve("layer");
        long declared = image.layer().size();
        listener.on(new PullEvent.Downloading(0, declared));
        source.fetchBlob(image.layer(), blob, (done, total) -> listener.on(new PullEvent.Downloading(done, total)));
        listener.on(new PullEvent.Extracting());
        ExtractedTree extracted = puller.extractor().extract(image.type(), image.layer().digest(), blob, tree,
                request.fileName());
        Files.deleteIfExists(blob);
        listener.on(new PullEvent.Persisting());
        return new EntryContents(image.type(), image.layer().digest(), extracted.pluginFile(),
                extracted.files(), extracted.links(), extracted.size());
    }

    /**
     * The plugin for {@code top} from the cache alone, or empty if anything is missing (a manifest,
     * the entry, or verification evidence when verification is required).
     */
    private Optional<PullResult> fromCache(Digest top, boolean offline) {
        if (!request.insecureSkipSignature() && !cache.hasEvidence(top)) {
            return Optional.empty(); // never verified (pulled insecurely before): must ask the verifier
        }
        Optional<StoredEvidence> stored = Optional.empty();
        Optional<Signer> proven = Optional.empty();
        if (!request.insecureSkipSignature()) {
            stored = cache.readEvidence(top);
            Recheck check = puller.verifier().recheck(ref, top, new VerificationEvidence("",
                    stored.map(StoredEvidence::files).orElse(java.util.Map.of()), stored.flatMap(StoredEvidence::signer)));
            if (check instanceof Recheck.Fails f) {
                warnings.add("the cached verification of " + top + " no longer holds (" + f.why() + "); not using the cached copy");
                return Optional.empty();
            }
            proven = ((Recheck.Holds) check).signer();
        }
        Optional<ManifestBlob> blob = cache.findManifest(top);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        Chosen image = recordedSelection(top, blob.get()).orElse(null);
        if (image == null) {
            try {
                image = Chosen.of(select(blob.get(), child -> cache.findManifest(child).orElseThrow(MissingChild::new)));
            } catch (MissingChild e) {
                return Optional.empty();
            }
        }
        Optional<CacheEntry> entry = cache.findEntry(keyFor(image.type(), image.layer()), warnings::add);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        if (request.insecureSkipSignature()) {
            warnings.add(skipWarning(top));
        }
        verification = stored.map(StoredEvidence::summary);
        signer = proven;
        return Optional.of(result(top, image, entry.get(), true, offline));
    }

    /** The source failed; if it is unreachable and the cache knows the reference, use that. */
    private PullResult offline(Qmt4jException failure) {
        if (failure.kind() != ErrorKind.NETWORK || record.isEmpty()) {
            throw failure;
        }
        RefRecord r = record.get();
        Optional<PullResult> cached = fromCache(r.digest(), true);
        if (cached.isEmpty()) {
            throw failure;
        }
        warnings.add(0, where() + " unreachable (" + failure.getMessage() + "); using cached " + r.digest()
                + " resolved " + age(Duration.between(r.resolvedAt(), now)) + " ago");
        return withWarnings(cached.get());
    }

    /**
     * The selection recorded with the reference for {@code top} and this request, if there is one and
     * the cached manifests (re-hashed by {@link PluginCache#findManifest}) still name what it chose:
     * the top manifest names the chosen manifest, and that one names the layer. Selection is a
     * function of the manifests and the request, so this is the answer {@link PluginSelector} would
     * give, without parsing JSON. Anything else (no record, another digest or request, a manifest
     * missing or not naming the digests) means empty, and the caller selects afresh.
     */
    private Optional<Chosen> recordedSelection(Digest top, ManifestBlob topBlob) {
        if (record.isEmpty() || record.get().selection().isEmpty() || !record.get().digest().equals(top)) {
            return Optional.empty();
        }
        Selection s = record.get().selection().get();
        Platform wanted = wantedPlatform();
        if (s.explicit() != request.platform().isPresent() || !s.requested().toString().equals(wanted.toString())) {
            return Optional.empty();
        }
        byte[] holder = topBlob.bytes();
        if (!s.manifest().equals(top)) {
            if (!names(holder, s.manifest())) {
                return Optional.empty();
            }
            Optional<ManifestBlob> child = cache.findManifest(s.manifest());
            if (child.isEmpty()) {
                return Optional.empty();
            }
            holder = child.get().bytes();
        }
        if (!names(holder, s.layer())) {
            return Optional.empty();
        }
        return Optional.of(new Chosen(s.type(), s.manifest(), s.layer(), s.platform()));
    }

    /** Whether manifest bytes contain {@code "<digest>"} as a JSON string. */
    private static boolean names(byte[] manifest, Digest digest) {
        return new String(manifest, StandardCharsets.ISO_8859_1).contains("\"" + digest + "\"");
    }

    /** The platform this request selects for: the override, else the host, normalised. */
    private Platform wantedPlatform() {
        return request.platform().orElse(puller.host()).normalize();
    }

    /** What a selection decided, whether computed from the manifests or recorded. */
    private record Chosen(PluginType type, Digest manifestDigest, Digest layer, Optional<Platform> platform) {
        static Chosen of(PluginImage image) {
            return new Chosen(image.type(), image.manifestDigest(), image.layer().digest(), image.platform());
        }
    }

    private PluginImage select(ManifestBlob top, Function<Digest, ManifestBlob> children) {
        return PluginSelector.select(top, children, puller.host(), request.platform());
    }

    /** A native index without this machine: name the repository's feature tags (QueryMT's accelerator indexes) in the hint. */
    private PlatformUnavailableException withFeatureTags(PlatformUnavailableException e, ImageSource source) {
        if (e.offered().isEmpty() || ref.tag().isEmpty()) {
            return e;
        }
        return e.withFeatureTags(FeatureTags.variants(ref.tag().get(), source.tags()));
    }

    private EntryKey keyFor(PluginImage image) {
        return keyFor(image.type(), image.layer().digest());
    }

    private PullResult result(Digest top, PluginImage image, CacheEntry entry, boolean cached, boolean offline) {
        return result(top, Chosen.of(image), entry, cached, offline);
    }

    private PullResult result(Digest top, Chosen image, CacheEntry entry, boolean cached, boolean offline) {
        return new PullResult(ref, top, image.manifestDigest(), image.layer(), image.type(), image.platform(),
                pluginPath(entry), cached, offline, warnings, verification, signer);
    }

    /**
     * The plugin file. For a native tree the rule is applied afresh (configured name, else the one
     * shared library), so the answer never depends on which request happened to extract the layer.
     */
    private Path pluginPath(CacheEntry entry) {
        EntryContents c = entry.contents();
        if (c.type() == PluginType.WASM) {
            return entry.pluginPath();
        }
        Optional<String> wanted = request.fileName();
        List<String> matches = c.files().keySet().stream()
                .filter(f -> wanted.map(w -> baseName(f).equals(w)).orElseGet(() -> PluginFileNames.isSharedLibrary(baseName(f))))
                .sorted().toList();
        if (matches.size() == 1) {
            return entry.resolve(matches.get(0));
        }
        String what = wanted.map(w -> (matches.isEmpty() ? "no file" : "several files") + " named " + w)
                .orElse(matches.isEmpty() ? "no shared library (.so, .dylib, .dll)" : "several shared libraries " + matches);
        throw new Qmt4jException(ErrorKind.EXTRACTION, "the native plugin layer " + c.layer() + " has " + what
                + "; it has " + c.files().keySet(), "name the plugin file in the provider config (one of the files in the layer)");
    }

    private PullResult recorded(PullResult result, String mediaType) {
        writeRecord(result, mediaType);
        return withWarnings(result);
    }

    private void writeRecord(PullResult r, String mediaType) {
        Selection selection = new Selection(wantedPlatform(), request.platform().isPresent(), r.type(),
                r.manifestDigest(), r.layerDigest(), r.platform());
        cache.putRef(new RefRecord(ref.canonical(), r.digest(), mediaType, now,
                Optional.of(keyFor(r.type(), r.layerDigest())), Optional.of(r.type()), Optional.of(selection)));
    }

    private EntryKey keyFor(PluginType type, Digest layer) {
        Optional<String> variant = type == PluginType.WASM
                ? request.fileName().filter(n -> !n.equals(PluginFileNames.DEFAULT_WASM))
                : Optional.empty();
        return new EntryKey(layer, variant);
    }

    private PullResult withWarnings(PullResult r) {
        return new PullResult(r.reference(), r.digest(), r.manifestDigest(), r.layerDigest(), r.type(), r.platform(),
                r.path(), r.cached(), r.offline(), warnings, r.verification(), r.signer());
    }

    private String skipWarning(Digest digest) {
        return "signature verification skipped for " + ref.canonical() + " (" + digest
                + ") because insecure_skip_signature is set; only use images you trust";
    }

    private String where() {
        if (ref instanceof RegistryRef r) {
            return "registry " + r.registry();
        }
        return "layout " + ((LayoutRef) ref).directory();
    }

    static String age(Duration d) {
        if (d.isNegative()) {
            return "0 s";
        }
        long s = d.getSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min";
        }
        if (s < 86_400) {
            return (s / 3600) + " h " + (s % 3600 / 60) + " min";
        }
        return (s / 86_400) + " d " + (s % 86_400 / 3600) + " h";
    }

    private static String baseName(String rel) {
        return rel.substring(rel.lastIndexOf('/') + 1);
    }

    /** Control flow only: a child manifest is not in the cache, so the cache cannot answer alone. */
    private static final class MissingChild extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingChild() {
            super(null, null, false, false);
        }
    }
}
