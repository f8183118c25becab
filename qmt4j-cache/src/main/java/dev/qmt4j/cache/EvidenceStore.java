package dev.qmt4j.cache;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.files.CachePermissions;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What signature verifiers found, in {@code evidence/<alg>/<top hex>/}: {@code summary.txt} (display
 * text), {@code signer.json} (the signer, when the verifier named one; see {@link CacheJson#write(Signer)})
 * and the evidence files. Each directory is replaced whole under its own lock ({@code locks/evidence-<alg>-<hex>.lock});
 * see this module's README ("Concurrency").
 */
final class EvidenceStore {
    static final String SUMMARY = "summary.txt";
    static final String SIGNER = "signer.json";

    private final CacheLayout layout;

    EvidenceStore(CacheLayout layout) {
        this.layout = layout;
    }

    /** Stores evidence for {@code top}, replacing earlier evidence; the last writer's complete evidence stays. */
    void put(Digest top, String summary, Map<String, byte[]> files, Optional<Signer> signer) {
        try (Staging staging = Staging.create(layout.tmp())) {
            Path dir = staging.dir().resolve("evidence");
            Files.createDirectory(dir, CachePermissions.dirAttributes(dir));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                if (f.getKey().contains("/") || f.getKey().contains("\\") || f.getKey().startsWith(".")
                        || f.getKey().equals(SUMMARY) || f.getKey().equals(SIGNER)) {
                    throw new IllegalArgumentException("bad evidence file name: " + f.getKey());
                }
                CacheFiles.writeAtomically(staging.dir(), dir.resolve(f.getKey()), f.getValue());
            }
            if (signer.isPresent()) {
                CacheFiles.writeAtomically(staging.dir(), dir.resolve(SIGNER), CacheJson.write(signer.get()));
            }
            // The summary last: its presence marks the directory complete (readFiles).
            CacheFiles.writeAtomically(staging.dir(), dir.resolve(SUMMARY), summary.getBytes(StandardCharsets.UTF_8));
            Path target = dir(top);
            // Delete-then-rename is two steps: without the lock, a concurrent writer's delete lands
            // between another's failed rename (ENOTEMPTY) and its check, and readers see it half gone.
            try (CacheLock lock = CacheLock.acquire(lockFile(top))) {
                CacheFiles.deleteTree(layout.tmp(), target);
                CacheFiles.moveIntoPlace(dir, target);
            }
        } catch (IOException e) {
            throw CacheFiles.failure("cannot store verification evidence in " + dir(top), e);
        }
    }

    /** Whether evidence for {@code top} is stored. */
    boolean has(Digest top) {
        return Files.isRegularFile(dir(top).resolve(SUMMARY));
    }

    /** The evidence stored for {@code top}, or empty if there is none. */
    Optional<StoredEvidence> read(Digest top) {
        if (!has(top)) {
            return Optional.empty();
        }
        // Under the lock so a concurrent put cannot swap the directory mid-read; a cache whose
        // locks/ cannot be written (read-only) has no writers to fear, so it is read without it.
        CacheLock lock;
        try {
            lock = CacheLock.acquire(lockFile(top));
        } catch (Qmt4jException e) {
            return readFiles(dir(top));
        }
        try (CacheLock held = lock) {
            return readFiles(dir(top));
        }
    }

    /** The lock serialising writers (and readers) of one digest's evidence; never an entry's lock name. */
    Path lockFile(Digest top) {
        return layout.lockFile("evidence-" + top.fileName());
    }

    private Path dir(Digest d) {
        return layout.evidence().resolve(d.algorithm()).resolve(d.hex());
    }

    /**
     * The files of one evidence directory; empty unless it is complete (its summary is listed) and its
     * signer record, if any, reads (a malformed one is not trusted to mean "no signer": the caller verifies afresh).
     */
    private static Optional<StoredEvidence> readFiles(Path dir) {
        Map<String, byte[]> files = new HashMap<>();
        String summary = null;
        Optional<Signer> signer = Optional.empty();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path f : s) {
                String name = f.getFileName().toString();
                if (name.equals(SUMMARY)) {
                    summary = Files.readString(f, StandardCharsets.UTF_8);
                } else if (name.equals(SIGNER)) {
                    signer = Optional.of(CacheJson.readSigner(Files.readAllBytes(f)));
                } else if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(name, Files.readAllBytes(f));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return summary != null ? Optional.of(new StoredEvidence(summary, files, signer)) : Optional.empty();
    }
}
