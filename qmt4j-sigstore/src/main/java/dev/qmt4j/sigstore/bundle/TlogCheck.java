package dev.qmt4j.sigstore.bundle;

import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.tlog.RekorEntryBody;
import dev.qmt4j.sigstore.tlog.RekorVerifier;
import dev.qmt4j.sigstore.trust.TransparencyLog;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Optional;

/**
 * Verification of one bundle transparency-log entry ({@code TransparencyLogEntry},
 * https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_rekor.proto).
 */
final class TlogCheck {
    private final RekorVerifier rekor;

    TlogCheck(TrustRoot trustRoot) {
        this.rekor = new RekorVerifier(trustRoot);
    }

    /**
     * Verifies the entry completely.
     *
     * @param tsaTimes verified RFC 3161 times; an entry without a SET must come from a log whose key
     *     was valid at each of them
     * @return the integrated time if a SET verified it (the only trusted time a log entry gives)
     */
    Optional<Instant> verify(SigstoreBundle bundle, SigstoreBundle.TlogEntry e, byte[] signature, byte[] signerDer, PublicKey key,
            Artifact artifact, java.util.List<Instant> tsaTimes)
            throws VerificationException {
        RekorEntryBody body = RekorEntryBody.parse(e.canonicalizedBody());
        if (!body.kind().equals(e.kind()) || !body.apiVersion().equals(e.kindVersion())) {
            throw new VerificationException(Check.TLOG_BODY, "transparency-log entry body is " + body.type()
                    + " but the bundle says " + e.kind() + "/" + e.kindVersion());
        }
        boolean v2 = body.type().equals("hashedrekord/0.0.2");
        if (bundle.version().equals("0.1") && e.signedEntryTimestamp().isEmpty()) {
            throw new VerificationException(Check.TLOG_ENTRY, "a v0.1 bundle's log entry needs an inclusion promise (SET)");
        }
        if ((!bundle.version().equals("0.1") || v2) && e.inclusionProof().isEmpty()) {
            throw new VerificationException(Check.TLOG_INCLUSION_PROOF, "log entry " + e.logIndex() + " has no inclusion proof");
        }
        if (bundle.content() instanceof SigstoreBundle.MessageSignature ms) {
            String alg = ContentCheck.messageAlg(ms);
            byte[] digest = ms.digest().orElseGet(() -> artifact.digest(alg));
            body.checkMessageSignature(signature, signerDer, alg, digest);
        } else {
            SigstoreBundle.DsseEnvelope env = (SigstoreBundle.DsseEnvelope) bundle.content();
            body.checkDsse(signature, signerDer, env.payload(), env.pae(), Keys.defaultHash(key));
        }
        Optional<Instant> time = Optional.empty();
        TransparencyLog log;
        if (e.signedEntryTimestamp().isPresent()) {
            long it = e.integratedTime().orElse(0L);
            log = rekor.verifySet(e.logId(), e.canonicalizedBody(), it, e.logIndex(), e.signedEntryTimestamp().get());
            time = Optional.of(Instant.ofEpochSecond(it));
        } else {
            log = rekor.findLog(e.logId(), e.integratedTime().map(Instant::ofEpochSecond).orElse(null));
            // no inclusion promise: the log key must have been valid at every verified timestamp
            for (Instant t : tsaTimes) {
                rekor.findLog(e.logId(), t);
            }
        }
        if (e.inclusionProof().isPresent()) {
            rekor.verifyInclusion(log, e.canonicalizedBody(), e.inclusionProof().get());
        }
        return time;
    }
}
