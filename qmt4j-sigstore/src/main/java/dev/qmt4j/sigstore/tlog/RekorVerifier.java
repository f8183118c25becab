package dev.qmt4j.sigstore.tlog;

import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.trust.TransparencyLog;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Transparency-log (Rekor) checks against a trust root: log lookup with key validity, signed entry
 * timestamps (SETs), Merkle inclusion proofs with their checkpoints, and (for cosign's legacy
 * {@code .sig} layers) the whole Rekor bundle annotation check (docs/verification.md, "Checks per signature").
 */
public final class RekorVerifier {
    /** Allowed clock skew for "the integrated time is not in the future". */
    public static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(5);
    private final TrustRoot trustRoot;
    private final java.util.function.Supplier<Instant> clock;

    /** A verifier using the Rekor logs of {@code trustRoot} and the system clock. */
    public RekorVerifier(TrustRoot trustRoot) {
        this(trustRoot, Instant::now);
    }

    /** A verifier with an explicit clock (used for "integrated time is not in the future"). */
    public RekorVerifier(TrustRoot trustRoot, java.util.function.Supplier<Instant> clock) {
        this.trustRoot = Objects.requireNonNull(trustRoot, "trustRoot");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Finds the trusted log with this ID whose key is valid at {@code at}.
     *
     * @throws VerificationException ({@link Check#TLOG_ENTRY}) if unknown or not valid then
     */
    public TransparencyLog findLog(byte[] logId, Instant at) throws VerificationException {
        List<TransparencyLog> logs = trustRoot.tlogs(logId);
        if (logs.isEmpty()) {
            throw new VerificationException(Check.TLOG_ENTRY, "transparency log " + HexFormat.of().formatHex(logId)
                    + " is not in the trust root (" + trustRoot.source() + ")");
        }
        if (at == null) {
            return logs.get(0);
        }
        for (TransparencyLog l : logs) {
            if (l.validFor().contains(at)) {
                return l;
            }
        }
        throw new VerificationException(Check.TLOG_ENTRY, "transparency log " + logs.get(0).baseUrl()
                + " key is not valid at " + at + " (valid " + logs.get(0).validFor() + ")");
    }

    /** The canonical (RFC 8785) SET payload: {@code {"body":..,"integratedTime":..,"logID":..,"logIndex":..}}. */
    public static byte[] setPayload(String bodyBase64, long integratedTime, String logIdHex, long logIndex) {
        return ("{\"body\":\"" + bodyBase64 + "\",\"integratedTime\":" + integratedTime + ",\"logID\":\""
                + logIdHex + "\",\"logIndex\":" + logIndex + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Verifies a signed entry timestamp (inclusion promise).
     *
     * @param logId the log ID (bytes)
     * @param canonicalizedBody the entry body bytes
     * @param integratedTime unix seconds
     * @param logIndex the global log index
     * @param set the SET signature (DER ECDSA)
     * @return the log that signed it
     * @throws VerificationException {@link Check#TLOG_ENTRY} (unknown log / key not valid at the
     *     integrated time) or {@link Check#TLOG_SET} (bad signature)
     */
    public TransparencyLog verifySet(byte[] logId, byte[] canonicalizedBody, long integratedTime, long logIndex, byte[] set)
            throws VerificationException {
        return verifySet(logId, java.util.Base64.getEncoder().encodeToString(canonicalizedBody), integratedTime, logIndex, set);
    }

    /**
     * Like {@link #verifySet(byte[], byte[], long, long, byte[])} with the body as the exact base64
     * string that was signed (cosign's annotation {@code Payload.body}).
     */
    public TransparencyLog verifySet(byte[] logId, String bodyBase64, long integratedTime, long logIndex, byte[] set)
            throws VerificationException {
        if (logIndex < 0 || integratedTime < 0) {
            throw new VerificationException(Check.FORMAT, "negative log index or integrated time");
        }
        TransparencyLog log = findLog(logId, Instant.ofEpochSecond(integratedTime));
        if (!(log.publicKey() instanceof ECPublicKey)) {
            throw new VerificationException(Check.TLOG_SET, "transparency log " + log.baseUrl() + " key is not ECDSA; it cannot sign entry timestamps");
        }
        byte[] payload = setPayload(bodyBase64, integratedTime, HexFormat.of().formatHex(logId), logIndex);
        if (!Keys.verify(log.publicKey(), payload, set)) {
            throw new VerificationException(Check.TLOG_SET, "signed entry timestamp of log index " + logIndex
                    + " does not verify with the key of " + log.baseUrl());
        }
        return log;
    }

    /**
     * Verifies an inclusion proof and its checkpoint: the audit path from
     * {@code SHA-256(0x00 || canonicalizedBody)} reproduces {@code rootHash}; the checkpoint carries
     * the same root hash and tree size, its origin names the log host (Rekor v1: {@code host - treeID}
     * also accepted), and it has a valid signature line from the log (name = host, key hint = first
     * four bytes of the log ID).
     *
     * @throws VerificationException {@link Check#TLOG_INCLUSION_PROOF} or {@link Check#TLOG_CHECKPOINT}
     */
    public void verifyInclusion(TransparencyLog log, byte[] canonicalizedBody, InclusionProof proof) throws VerificationException {
        byte[] root;
        try {
            root = Merkle.rootFromInclusionProof(proof.logIndex(), proof.treeSize(), Merkle.leafHash(canonicalizedBody), proof.hashes());
        } catch (IllegalArgumentException e) {
            throw new VerificationException(Check.TLOG_INCLUSION_PROOF, "inclusion proof is invalid: " + e.getMessage());
        }
        if (!Arrays.equals(root, proof.rootHash())) {
            throw new VerificationException(Check.TLOG_INCLUSION_PROOF,
                    "inclusion proof does not reproduce the root hash (the entry is not in the tree the proof claims)");
        }
        if (proof.checkpoint().isEmpty()) {
            throw new VerificationException(Check.TLOG_CHECKPOINT, "inclusion proof has no checkpoint");
        }
        Checkpoint cp = Checkpoint.parse(proof.checkpoint());
        verifyCheckpoint(log, cp);
        if (!Arrays.equals(cp.rootHash(), proof.rootHash())) {
            throw new VerificationException(Check.TLOG_CHECKPOINT, "checkpoint root hash differs from the inclusion proof's root hash");
        }
        if (cp.treeSize() != proof.treeSize()) {
            throw new VerificationException(Check.TLOG_CHECKPOINT, "checkpoint tree size " + cp.treeSize()
                    + " differs from the inclusion proof's tree size " + proof.treeSize());
        }
    }

    /**
     * Verifies a checkpoint's origin and its signature by {@code log}.
     *
     * @throws VerificationException ({@link Check#TLOG_CHECKPOINT})
     */
    public static void verifyCheckpoint(TransparencyLog log, Checkpoint cp) throws VerificationException {
        String host = log.host();
        if (!cp.origin().equals(host) && !cp.origin().matches(java.util.regex.Pattern.quote(host) + " - [0-9]+")) {
            throw new VerificationException(Check.TLOG_CHECKPOINT, "checkpoint origin '" + cp.origin()
                    + "' does not name the log " + host);
        }
        byte[] hint = Arrays.copyOf(log.logId(), 4);
        boolean sawCandidate = false;
        for (Checkpoint.NoteSignature s : cp.signatures()) {
            if (!s.name().equals(host) || !Arrays.equals(s.keyHint(), hint)) {
                continue;
            }
            sawCandidate = true;
            if (Keys.verify(log.publicKey(), cp.signedBody(), s.signature())) {
                return;
            }
        }
        throw new VerificationException(Check.TLOG_CHECKPOINT, sawCandidate
                ? "checkpoint signature by " + host + " does not verify"
                : "checkpoint has no signature by " + host + " with key hint " + HexFormat.of().formatHex(hint));
    }

    /**
     * The whole legacy check of cosign's {@code dev.sigstore.cosign/bundle} annotation for
     * a {@code .sig} layer: log lookup and key validity at the integrated time, SET signature, and
     * binding of the logged {@code hashedrekord}/{@code rekord} entry to this layer's signature,
     * signer and payload digest (SHA-256).
     *
     * @param bundle the parsed annotation
     * @param signature the layer signature bytes
     * @param payload the layer payload bytes
     * @param signerDer DER of the layer certificate, or of the configured public key's SPKI
     * @return the verified integrated time (the caller validates the certificate at it)
     * @throws VerificationException naming the failed check ({@link Check#FORMAT}, {@link Check#TLOG_ENTRY},
     *     {@link Check#TLOG_SET}, {@link Check#TLOG_BODY})
     */
    public Instant verifyLegacyBundle(LegacyRekorBundle bundle, byte[] signature, byte[] payload, byte[] signerDer)
            throws VerificationException {
        byte[] body;
        try {
            body = bundle.bodyBytes();
        } catch (IllegalArgumentException e) {
            throw new VerificationException(Check.FORMAT, "Rekor bundle body is not valid base64");
        }
        verifySet(bundle.logId(), bundle.body(), bundle.integratedTime(), bundle.logIndex(), bundle.signedEntryTimestamp());
        Instant it = Instant.ofEpochSecond(bundle.integratedTime());
        if (it.isAfter(clock.get().plus(CLOCK_SKEW))) {
            throw new VerificationException(Check.TLOG_ENTRY, "transparency-log integrated time " + it + " is in the future");
        }
        RekorEntryBody entry = RekorEntryBody.parse(body);
        if (!entry.kind().equals("hashedrekord") && !entry.kind().equals("rekord")) {
            throw new VerificationException(Check.TLOG_BODY, "transparency log entry kind " + entry.type()
                    + " cannot log a cosign image signature");
        }
        entry.checkMessageSignature(signature, signerDer, "SHA-256", Keys.sha256(payload));
        return Instant.ofEpochSecond(bundle.integratedTime());
    }
}
