package dev.qmt4j.sigstore.trust.tuf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The on-disk TUF state of one repository: the trusted {@code root.json}, {@code timestamp.json},
 * {@code snapshot.json}, {@code targets.json}, verified targets under {@code targets/}, and
 * {@code refreshed-at} (when the last update succeeded). Every write is atomic (temp file + move).
 */
public final class TufStore {
    private static final String REFRESHED_AT = "refreshed-at";
    private final Path dir;

    /** @param dir the repository's directory, e.g. {@code <cache>/sigstore/tuf/tuf-repo-cdn.sigstore.dev} */
    public TufStore(Path dir) {
        this.dir = dir;
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    /** A metadata file ({@code root.json}, ...), if stored. */
    public Optional<byte[]> metadata(String name) {
        return read(dir.resolve(name));
    }

    /** A verified target, if stored. */
    public Optional<byte[]> target(String name) {
        return read(dir.resolve("targets").resolve(name));
    }

    /** Stores a verified metadata file. */
    public void putMetadata(String name, byte[] bytes) {
        write(dir.resolve(name), bytes);
    }

    /** Stores a verified target. */
    public void putTarget(String name, byte[] bytes) {
        write(dir.resolve("targets").resolve(name), bytes);
    }

    /** Forgets a metadata file (after a key rotation of its role). */
    public void deleteMetadata(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When the last complete update succeeded. */
    public Optional<Instant> refreshedAt() {
        return read(dir.resolve(REFRESHED_AT)).flatMap(b -> {
            try {
                return Optional.of(Instant.parse(new String(b, java.nio.charset.StandardCharsets.US_ASCII).strip()));
            } catch (java.time.format.DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    /** Records a successful update. */
    public void markRefreshed(Instant when) {
        write(dir.resolve(REFRESHED_AT), when.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static Optional<byte[]> read(Path p) {
        try {
            return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void write(Path p, byte[] bytes) {
        try {
            // rwxr-xr-x or stricter whatever the umask; the temporary file is rw------- (createTempFile).
            dev.qmt4j.files.CachePermissions.createDirectories(p.getParent());
            Path tmp = Files.createTempFile(p.getParent(), "." + p.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }
}
