package dev.qmt4j.host;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.ProviderEntry;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.Signer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locked mode (docs/locking.md): every provider comes from its lockfile entry, never from a tag. An OCI
 * provider is pulled by the locked digest (through mirrors when configured; signatures are found by that
 * digest too) and must be signed by the locked signer; a local or {@code https://} plugin must have the
 * locked SHA-256.
 */
final class LockedMode {
    private final LockFile lock;
    private final Path file;

    LockedMode(LockFile lock, Path file) {
        this.lock = lock;
        this.file = file;
    }

    /** Reads {@code file}; a missing lockfile is a {@code LOCK} error (locked mode cannot run without one). */
    static LockedMode read(Path file) {
        try {
            return new LockedMode(LockFile.read(file), file);
        } catch (Qmt4jException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw new Qmt4jException(ErrorKind.LOCK, "locked mode: no lockfile at " + file,
                        "write it with 'qmt4j lock', or run without --locked / [oci] lock = \"frozen\"");
            }
            throw e;
        }
    }

    /**
     * The source to fetch {@code e} from: the OCI reference pinned to the locked digest, or the
     * {@code https://} download pinned to the locked SHA-256.
     *
     * @throws Qmt4jException {@code LOCK} when the lock has no entry for the provider's name and path, or a different kind
     */
    PluginSource pin(ProviderEntry e, PluginSource src) {
        LockedProvider locked = lock.find(e.name(), e.path()).orElseThrow(() -> new Qmt4jException(ErrorKind.LOCK,
                "locked mode: the provider is not in the lockfile " + file + " (" + lock.find(e.name())
                        .map(p -> "it locks " + p.reference() + ", the config says " + e.path())
                        .orElse("no entry for " + e.path()) + ")",
                "add it with 'qmt4j lock' (or 'qmt4j lock --update " + e.name() + "') and commit the lockfile"));
        if (src instanceof PluginSource.Oci oci) {
            if (!(locked instanceof LockedProvider.Oci o)) {
                throw kindMismatch(e);
            }
            Digest pinned = Digest.parse(o.digest());
            ImageRef ref = oci.reference();
            if (ref.digest().isPresent() && !ref.digest().get().equals(pinned)) {
                throw new Qmt4jException(ErrorKind.LOCK, "locked mode: the config pins " + ref.digest().get()
                        + ", the lockfile " + file + " " + pinned, "run 'qmt4j lock --update " + e.name() + "'");
            }
            return new PluginSource.Oci(ref.withDigest(pinned));
        }
        if (!(locked instanceof LockedProvider.File f)) {
            throw kindMismatch(e);
        }
        if (src instanceof PluginSource.Url u) {
            // The downloader checks the pin, so the lock's SHA-256 decides what is accepted.
            return new PluginSource.Url(u.uri(), Optional.of(f.sha256()), false, u.type());
        }
        PluginSource.LocalFile l = (PluginSource.LocalFile) src;
        if (java.nio.file.Files.isRegularFile(l.file())) {
            String now = Digest.sha256(l.file()).hex();
            if (!now.equals(f.sha256())) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, "locked mode: " + l.file() + " has sha256:" + now
                        + ", the lockfile " + file + " sha256:" + f.sha256(),
                        "restore the reviewed file, or record the new one with 'qmt4j lock --update " + e.name() + "'");
            }
        }
        return src;
    }

    /**
     * Checks who signed what was pulled against the locked signer, by equality of the structured signers
     * (docs/locking.md, "Signer"): never through the verifier's summary text, whose certificate fields the
     * signer chose and which could imitate its separators and labels.
     *
     * @param signer  who the verifier established signed it, empty when verification was skipped
     * @param summary the verifier's summary, only to show in the error
     * @throws Qmt4jException {@code VERIFICATION} when it differs
     */
    void checkSigner(ProviderEntry e, Optional<Signer> signer, Optional<String> summary) {
        Optional<Signer> want = lock.find(e.name(), e.path())
                .filter(LockedProvider.Oci.class::isInstance).flatMap(p -> ((LockedProvider.Oci) p).signer());
        if (want.isEmpty() || signer.equals(want)) {
            return;
        }
        throw new Qmt4jException(ErrorKind.VERIFICATION, "locked mode: the lockfile " + file + " records the signer "
                + want.get().describe() + ", but " + signer.map(s -> "it was signed by " + s.describe()
                        + summary.map(t -> " (" + t + ")").orElse(""))
                        .orElse("the plugin was not verified" + summary.map(t -> " (" + t + ")").orElse("")),
                "a change of signer needs review: if it is expected, run 'qmt4j lock --update " + e.name() + "'");
    }

    private Qmt4jException kindMismatch(ProviderEntry e) {
        return new Qmt4jException(ErrorKind.LOCK, "locked mode: the lockfile " + file + " records another kind of source for "
                + e.path() + " (an OCI image vs a file)", "run 'qmt4j lock --update " + e.name() + "'");
    }
}
