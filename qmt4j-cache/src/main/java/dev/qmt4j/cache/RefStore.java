package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The reference records in {@code refs/}: one {@link RefRecord} per canonical reference. */
final class RefStore {
    private final CacheLayout layout;

    RefStore(CacheLayout layout) {
        this.layout = layout;
    }

    /** The record for a reference (by its canonical form), if one was written and is readable. */
    Optional<RefRecord> find(ImageRef reference) {
        return read(file(reference.canonical()))
                .filter(r -> r.reference().equals(reference.canonical()));
    }

    /** Writes (replacing) the record for {@code record.reference()}. */
    void put(RefRecord record) {
        CacheFiles.writeAtomically(layout.tmp(), file(record.reference()), CacheJson.write(record));
    }

    /** Forgets a reference; whether there was a record. */
    boolean remove(ImageRef reference) {
        Path file = file(reference.canonical());
        try {
            boolean existed = Files.deleteIfExists(file);
            CacheFiles.fsyncDirectory(layout.refs());
            return existed;
        } catch (IOException e) {
            throw CacheFiles.failure("cannot delete " + file, e);
        }
    }

    /** Every readable record, in no particular order. */
    List<RefRecord> all() {
        List<RefRecord> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.refs(), "*.json")) {
            for (Path f : files) {
                read(f).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw CacheFiles.failure("cannot list " + layout.refs(), e);
        }
        return out;
    }

    private Path file(String canonical) {
        // Hashed: a reference contains ':' and '/', and two spellings must never collide.
        return layout.refs().resolve(Digest.sha256(canonical.getBytes(StandardCharsets.UTF_8)).hex() + ".json");
    }

    private static Optional<RefRecord> read(Path file) {
        try {
            return Optional.of(CacheJson.readRef(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw CacheFiles.failure("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // unreadable record: as if never resolved
        }
    }
}
