package dev.qmt4j.cli;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.LockedProvider;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.Signer;
import dev.qmt4j.sigstore.ImageVerdict;
import dev.qmt4j.sigstore.PolicyFlags;
import dev.qmt4j.sigstore.SigstoreVerifier;
import java.util.Optional;

/**
 * The online part of {@code qmt4j lock --check --online} (docs/locking.md): an OCI provider's tag is resolved once,
 * through the configured sources and mirrors as {@code qmt4j lock} resolves it ({@link LockResolver}), and compared
 * with the locked digest. A moved tag's new digest is verified under the provider's policy and its signer compared
 * with the locked one as structured {@link Signer}s, never as text. Only manifests and signatures are read: no
 * plugin layer is downloaded and nothing is written to the cache or the lock.
 */
final class LockOnlineCheck {
    /** How one provider compares with the registry. */
    enum Status {
        /** The tag still names the locked digest (or the path pins a digest, which cannot move). */
        UNCHANGED,
        /** The tag names another digest now. */
        MOVED,
        /** The registry (and every mirror) could not answer; {@link Outcome#error} says why. */
        FAILED
    }

    /**
     * One provider's line for stdout.
     *
     * @param status what was found
     * @param line   the line, starting with {@code provider 'NAME': }
     * @param error  the error that stopped the check ({@link Status#FAILED} only)
     */
    record Outcome(Status status, String line, Optional<Qmt4jException> error) {}

    private final Services services;
    private SigstoreVerifier verifier;

    LockOnlineCheck(Services services) {
        this.services = services;
    }

    /**
     * @param name   the provider's name
     * @param ref    its parsed reference
     * @param locked its lock entry (same name and {@code path})
     */
    Outcome check(String name, ImageRef ref, LockedProvider.Oci locked) {
        String prefix = "provider '" + name + "': ";
        if (ref.digest().isPresent()) {
            // The offline part has compared the path's digest with the lock's already; a digest names one manifest forever.
            return new Outcome(Status.UNCHANGED, prefix + "unchanged " + locked.digest() + " (pinned by digest in its path)",
                    Optional.empty());
        }
        try (ImageSource source = services.source(ref)) {
            // The one resolution 'qmt4j lock' makes: a manifest request, no blob.
            Digest now = source.resolve().digest();
            if (now.toString().equals(locked.digest())) {
                return new Outcome(Status.UNCHANGED, prefix + "unchanged " + locked.digest(), Optional.empty());
            }
            return new Outcome(Status.MOVED, prefix + "tag moved: locked " + locked.digest() + ", registry now " + now + "; "
                    + signer(source, ref, now, locked), Optional.empty());
        } catch (Qmt4jException e) {
            return new Outcome(Status.FAILED, prefix + "cannot resolve " + ref.canonical() + " (" + where(ref) + "): "
                    + firstLine(e.getMessage()), Optional.of(e));
        }
    }

    /** What the moved digest's signature says: verified by the same signer, by another one, or not at all. */
    private String signer(ImageSource source, ImageRef ref, Digest now, LockedProvider.Oci locked) {
        if (services.skipSignature(false)) {
            return "not verified (insecure_skip_signature)";
        }
        if (verifier == null) {
            verifier = services.sigstoreVerifier(PolicyFlags.none());
        }
        ImageVerdict verdict;
        try {
            // Reads the signature manifests and their small payload layers only (docs/verification.md).
            verdict = verifier.check(source, ref, now);
        } catch (Qmt4jException e) {
            if (e.kind() != dev.qmt4j.ErrorKind.VERIFICATION) {
                throw e; // the registry failed while the signatures were read: the check is incomplete, not a verdict
            }
            return "verification failed: " + firstLine(e.getMessage()); // e.g. no policy applies to the reference
        }
        if (verdict instanceof ImageVerdict.Refused r) {
            return "verification failed: " + firstLine(r.reason());
        }
        Signer signer = SigstoreVerifier.signer((ImageVerdict.Accepted) verdict);
        if (locked.signer().isEmpty()) {
            return "verifies, signed by " + signer.describe() + "; the lock records no signer";
        }
        // Structured signers by equality, as locked mode compares them (docs/locking.md, "Signer").
        return locked.signer().get().equals(signer) ? "verifies, same signer (" + signer.describe() + ")"
                : "verifies, but signer changed: locked " + locked.signer().get().describe() + ", now " + signer.describe();
    }

    /** Which registry could not answer (a mirror's failure is in the error's own message). */
    private static String where(ImageRef ref) {
        return ref instanceof dev.qmt4j.oci.RegistryRef r ? "registry " + r.registry() : "the layout";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
