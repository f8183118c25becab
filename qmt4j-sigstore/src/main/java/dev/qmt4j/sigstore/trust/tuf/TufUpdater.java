package dev.qmt4j.sigstore.trust.tuf;

import dev.qmt4j.sigstore.certs.Keys;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * A TUF client (TUF specification 1.0 section 5, https://theupdateframework.github.io/specification/latest/):
 * root rotation, timestamp, snapshot,
 * targets, then one target file, each checked for threshold signatures, version, rollback against
 * the locally trusted copy, expiry (against one start time), length and hashes. Verified metadata
 * is persisted in a {@link TufStore}. Top-level targets only (delegations are not followed).
 */
public final class TufUpdater {
    static final int MAX_ROOT_ROTATIONS = 1024;
    static final long MAX_ROOT_BYTES = 512 * 1024;
    static final long MAX_TIMESTAMP_BYTES = 64 * 1024;
    static final long MAX_METADATA_BYTES = 4 * 1024 * 1024;
    /** Where each verified root version is kept ({@code roots/<N>.root.json}). */
    static final String ROOT_HISTORY = "roots";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TufUpdater.class);

    private final TufFetcher fetcher;
    private final TufStore store;
    private final byte[] bootstrapRoot;
    private final Clock clock;

    /**
     * @param fetcher       reads the repository
     * @param store         the local state
     * @param bootstrapRoot the root trusted out of band when the store has none (the embedded one)
     * @param clock         for expiry checks
     */
    public TufUpdater(TufFetcher fetcher, TufStore store, byte[] bootstrapRoot, Clock clock) {
        this.fetcher = fetcher;
        this.store = store;
        this.bootstrapRoot = bootstrapRoot.clone();
        this.clock = clock;
    }

    /**
     * Updates all metadata and returns the verified bytes of {@code targetName}.
     *
     * @throws IOException  the repository could not be read (network, HTTP error, missing file)
     * @throws TufException a check failed (never to be answered with older trust material silently)
     */
    public byte[] refresh(String targetName) throws IOException {
        Instant now = clock.instant();
        TufMetadata root = updateRoot(now);
        TufMetadata timestamp = updateTimestamp(root, now);
        TufMetadata snapshot = updateSnapshot(root, timestamp, now);
        TufMetadata targets = updateTargets(root, snapshot, now);
        byte[] target = downloadTarget(root, targets, targetName);
        store.markRefreshed(now);
        return target;
    }

    /**
     * The trusted root: the stored one if its chain of versions verifies from the bootstrap (embedded) root, else
     * the bootstrap. Each stored version N+1 ({@code roots/<N+1>.root.json}, kept by {@link #refresh}) must carry a
     * threshold of signatures of version N's root keys and of its own, as when it was first fetched (TUF
     * specification 5.3); so a {@code root.json} planted in the cache by someone who can write to it, with keys of
     * their own, is ignored. A stored root not newer than the bootstrap is never used in its place.
     */
    TufMetadata trustedRoot() {
        TufMetadata bootstrap = TufMetadata.parse(bootstrapRoot, "root");
        Optional<byte[]> stored = store.metadata("root.json");
        if (stored.isEmpty()) {
            return bootstrap;
        }
        try {
            TufMetadata top = TufMetadata.parse(stored.get(), "root");
            if (top.version() <= bootstrap.version()) {
                return bootstrap;
            }
            if (top.version() - bootstrap.version() > MAX_ROOT_ROTATIONS) {
                throw new TufException("root.chain", "cached root v" + top.version() + " is too far from the embedded v" + bootstrap.version());
            }
            TufMetadata trusted = bootstrap;
            for (long v = bootstrap.version() + 1; v <= top.version(); v++) {
                long version = v;
                byte[] bytes = v == top.version() ? stored.get() : store.metadata(ROOT_HISTORY + "/" + v + ".root.json")
                        .orElseThrow(() -> new TufException("root.chain", "root v" + version + " of the chain is not cached"));
                trusted = verifiedSuccessor(trusted, bytes, v);
            }
            return trusted;
        } catch (TufException e) {
            LOG.warn("Ignoring the cached TUF root in {}: it does not chain to the embedded root v{} ({}); starting again from the"
                    + " embedded root", store.directory(), bootstrap.version(), e.getMessage());
            return bootstrap;
        }
    }

    /** {@code bytes} as root version {@code version}, signed by a threshold of {@code trusted}'s root keys and of its own. */
    private static TufMetadata verifiedSuccessor(TufMetadata trusted, byte[] bytes, long version) {
        TufMetadata candidate = TufMetadata.parse(bytes, "root");
        candidate.verifyThreshold(trusted.keys(), trusted.role("root"), "root.threshold(previous root keys)");
        candidate.verifyThreshold(candidate.keys(), candidate.role("root"), "root.threshold(own keys)");
        if (candidate.version() != version) {
            throw new TufException("root.version", version + ".root.json has version " + candidate.version());
        }
        return candidate;
    }

    private TufMetadata updateRoot(Instant now) throws IOException {
        TufMetadata trusted = trustedRoot();
        TufMetadata.Role originalTimestamp = trusted.role("timestamp");
        TufMetadata.Role originalSnapshot = trusted.role("snapshot");
        for (int i = 0; i < MAX_ROOT_ROTATIONS; i++) {
            long next = trusted.version() + 1;
            Optional<byte[]> bytes = fetcher.fetch(next + ".root.json", MAX_ROOT_BYTES);
            if (bytes.isEmpty()) {
                break;
            }
            TufMetadata candidate = verifiedSuccessor(trusted, bytes.get(), next);
            // Every version is kept, so a later run can check the whole chain from the embedded root (trustedRoot).
            store.putMetadata(ROOT_HISTORY + "/" + next + ".root.json", candidate.raw());
            store.putMetadata("root.json", candidate.raw());
            trusted = candidate;
        }
        if (!java.util.Arrays.equals(store.metadata("root.json").orElse(null), trusted.raw())) {
            // A stored root that did not chain from the embedded one (trustedRoot) is replaced by the one that does.
            store.putMetadata("root.json", trusted.raw());
        }
        if (!trusted.expires().isAfter(now)) {
            throw new TufException("root.expired", "root v" + trusted.version() + " expired " + trusted.expires());
        }
        if (!originalTimestamp.equals(trusted.role("timestamp")) || !originalSnapshot.equals(trusted.role("snapshot"))) {
            store.deleteMetadata("timestamp.json");
            store.deleteMetadata("snapshot.json");
        }
        return trusted;
    }

    private Optional<TufMetadata> cached(String name, String type, TufMetadata root, String role) {
        Optional<byte[]> bytes = store.metadata(name);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            TufMetadata m = TufMetadata.parse(bytes.get(), type);
            m.verifyThreshold(root.keys(), root.role(role), type + ".threshold");
            return Optional.of(m);
        } catch (TufException e) {
            return Optional.empty(); // not trusted any more (e.g. keys rotated): no rollback baseline from it
        }
    }

    private TufMetadata updateTimestamp(TufMetadata root, Instant now) throws IOException {
        byte[] bytes = fetcher.fetch("timestamp.json", MAX_TIMESTAMP_BYTES)
                .orElseThrow(() -> new IOException("the repository has no timestamp.json"));
        TufMetadata ts = TufMetadata.parse(bytes, "timestamp");
        ts.verifyThreshold(root.keys(), root.role("timestamp"), "timestamp.threshold");
        long snapshotVersion = ts.meta("snapshot.json").flatMap(TufMetadata.FileInfo::version)
                .orElseThrow(() -> new TufException("timestamp.format", "timestamp names no snapshot.json version"));
        Optional<TufMetadata> old = cached("timestamp.json", "timestamp", root, "timestamp");
        if (old.isPresent()) {
            if (ts.version() < old.get().version()) {
                throw new TufException("timestamp.rollback", "timestamp v" + ts.version() + " is older than the trusted v" + old.get().version());
            }
            long oldSnapshot = old.get().meta("snapshot.json").flatMap(TufMetadata.FileInfo::version).orElse(0L);
            if (snapshotVersion < oldSnapshot) {
                throw new TufException("timestamp.rollback", "timestamp names snapshot v" + snapshotVersion
                        + ", older than the trusted v" + oldSnapshot);
            }
        }
        if (!ts.expires().isAfter(now)) {
            throw new TufException("timestamp.expired", "timestamp v" + ts.version() + " expired " + ts.expires());
        }
        store.putMetadata("timestamp.json", bytes);
        return ts;
    }

    private TufMetadata updateSnapshot(TufMetadata root, TufMetadata ts, Instant now) throws IOException {
        TufMetadata.FileInfo info = ts.meta("snapshot.json").orElseThrow();
        long version = info.version().orElseThrow();
        String name = root.consistentSnapshot() ? version + ".snapshot.json" : "snapshot.json";
        byte[] bytes = fetcher.fetch(name, info.length().orElse(MAX_METADATA_BYTES))
                .orElseThrow(() -> new IOException("the repository has no " + name));
        checkFile(bytes, info, "snapshot", name);
        TufMetadata snap = TufMetadata.parse(bytes, "snapshot");
        snap.verifyThreshold(root.keys(), root.role("snapshot"), "snapshot.threshold");
        if (snap.version() != version) {
            throw new TufException("snapshot.version", name + " has version " + snap.version() + ", timestamp says " + version);
        }
        Optional<TufMetadata> old = cached("snapshot.json", "snapshot", root, "snapshot");
        if (old.isPresent()) {
            Map<String, Long> now2 = snap.metaVersions();
            for (var e : old.get().metaVersions().entrySet()) {
                Long v = now2.get(e.getKey());
                if (v == null || v < e.getValue()) {
                    throw new TufException("snapshot.rollback", e.getKey() + " went from v" + e.getValue() + " to "
                            + (v == null ? "absent" : "v" + v));
                }
            }
        }
        if (!snap.expires().isAfter(now)) {
            throw new TufException("snapshot.expired", "snapshot v" + snap.version() + " expired " + snap.expires());
        }
        store.putMetadata("snapshot.json", bytes);
        return snap;
    }

    private TufMetadata updateTargets(TufMetadata root, TufMetadata snapshot, Instant now) throws IOException {
        TufMetadata.FileInfo info = snapshot.meta("targets.json")
                .orElseThrow(() -> new TufException("snapshot.format", "snapshot lists no targets.json"));
        long version = info.version().orElseThrow(() -> new TufException("snapshot.format", "targets.json without a version"));
        String name = root.consistentSnapshot() ? version + ".targets.json" : "targets.json";
        byte[] bytes = fetcher.fetch(name, info.length().orElse(MAX_METADATA_BYTES))
                .orElseThrow(() -> new IOException("the repository has no " + name));
        checkFile(bytes, info, "targets", name);
        TufMetadata targets = TufMetadata.parse(bytes, "targets");
        targets.verifyThreshold(root.keys(), root.role("targets"), "targets.threshold");
        if (targets.version() != version) {
            throw new TufException("targets.version", name + " has version " + targets.version() + ", snapshot says " + version);
        }
        if (!targets.expires().isAfter(now)) {
            throw new TufException("targets.expired", "targets v" + targets.version() + " expired " + targets.expires());
        }
        store.putMetadata("targets.json", bytes);
        return targets;
    }

    private byte[] downloadTarget(TufMetadata root, TufMetadata targets, String targetName) throws IOException {
        TufMetadata.FileInfo info = targets.target(targetName)
                .orElseThrow(() -> new TufException("target.missing", "targets v" + targets.version() + " lists no " + targetName));
        long length = info.length().orElseThrow(() -> new TufException("targets.format", targetName + " has no length"));
        if (!info.hashes().containsKey("sha256") && !info.hashes().containsKey("sha512")) {
            throw new TufException("targets.format", targetName + " has no sha256 or sha512 hash");
        }
        String path;
        if (root.consistentSnapshot()) {
            String hash = info.hashes().containsKey("sha256") ? info.hashes().get("sha256") : info.hashes().get("sha512");
            int slash = targetName.lastIndexOf('/');
            path = targetName.substring(0, slash + 1) + hash + "." + targetName.substring(slash + 1);
        } else {
            path = targetName;
        }
        byte[] bytes = fetcher.fetch("targets/" + path, length)
                .orElseThrow(() -> new IOException("the repository has no targets/" + path));
        checkFile(bytes, info, "target", targetName);
        store.putTarget(targetName, bytes);
        return bytes;
    }

    /** Length and every listed hash (sha256, sha512; other algorithms are refused). */
    static void checkFile(byte[] bytes, TufMetadata.FileInfo info, String role, String name) {
        if (info.length().isPresent() && bytes.length != info.length().get()) {
            throw new TufException(role + ".length", name + " is " + bytes.length + " bytes, expected " + info.length().get());
        }
        for (var h : info.hashes().entrySet()) {
            String alg = switch (h.getKey()) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new TufException(role + ".hash", name + ": unsupported hash algorithm " + h.getKey());
            };
            byte[] actual = Keys.digest(alg, bytes);
            byte[] expected;
            try {
                expected = HexFormat.of().parseHex(h.getValue());
            } catch (IllegalArgumentException e) {
                throw new TufException(role + ".hash", name + ": " + h.getKey() + " is not hex");
            }
            if (!MessageDigest.isEqual(actual, expected)) {
                throw new TufException(role + ".hash", name + " " + h.getKey() + " is " + HexFormat.of().formatHex(actual)
                        + ", expected " + h.getValue());
            }
        }
    }

    /**
     * When the stored metadata stops being valid: the earliest expiry of the trusted root and the stored
     * timestamp, snapshot and targets. Empty when none is stored.
     */
    public Optional<Instant> cachedExpiry() {
        if (store.metadata("timestamp.json").isEmpty() && store.metadata("targets.json").isEmpty()) {
            return Optional.empty();
        }
        Instant earliest = trustedRoot().expires();
        for (String[] m : new String[][] {{"timestamp.json", "timestamp"}, {"snapshot.json", "snapshot"}, {"targets.json", "targets"}}) {
            Optional<byte[]> bytes = store.metadata(m[0]);
            if (bytes.isPresent()) {
                try {
                    Instant e = TufMetadata.parse(bytes.get(), m[1]).expires();
                    earliest = e.isBefore(earliest) ? e : earliest;
                } catch (TufException e) {
                    // unreadable: cachedTarget will not use it either
                }
            }
        }
        return Optional.of(earliest);
    }

    /**
     * Reads the stored target without any network: the stored targets.json must be signed by a threshold
     * of the stored root's targets keys and list the target with matching length and hashes.
     *
     * @return the target bytes, or empty when nothing (valid) is stored
     */
    public Optional<byte[]> cachedTarget(String targetName) {
        Optional<byte[]> target = store.target(targetName);
        Optional<byte[]> targetsBytes = store.metadata("targets.json");
        if (target.isEmpty() || targetsBytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            TufMetadata root = trustedRoot();
            TufMetadata targets = TufMetadata.parse(targetsBytes.get(), "targets");
            targets.verifyThreshold(root.keys(), root.role("targets"), "targets.threshold");
            TufMetadata.FileInfo info = targets.target(targetName)
                    .orElseThrow(() -> new TufException("target.missing", "cached targets lists no " + targetName));
            checkFile(target.get(), info, "target", targetName);
            return target;
        } catch (TufException e) {
            return Optional.empty();
        }
    }
}
