package dev.qmt4j.sigstore.policy;

/**
 * The verification step that refused a signature. Every {@link VerificationResult.Rejected} and
 * every {@link VerificationException} names one, so a user (and a test) can tell "wrong identity"
 * from "tampered inclusion proof" without parsing messages.
 */
public enum Check {
    /** The trust root is missing, malformed or has no material for the needed role. */
    TRUST_ROOT,
    /** The bundle / annotation / entry could not be parsed (bad JSON, base64, version, fields). */
    FORMAT,
    /** The policy itself is unusable (e.g. keyless without an identity constraint). */
    POLICY,
    /** The signing certificate does not chain to a certificate authority of the trust root. */
    CERTIFICATE_CHAIN,
    /** The certificate (or a chain certificate / the CA) is not valid at the trusted time. */
    CERTIFICATE_VALIDITY,
    /** The leaf lacks the codeSigning extended key usage or digitalSignature key usage. */
    CERTIFICATE_USAGE,
    /** No embedded SCT verified against a CT log of the trust root. */
    SCT,
    /** A transparency-log entry is missing, from an unknown log, or otherwise unusable. */
    TLOG_ENTRY,
    /** The signed entry timestamp (inclusion promise) does not verify. */
    TLOG_SET,
    /** The Merkle inclusion proof does not reproduce the root hash. */
    TLOG_INCLUSION_PROOF,
    /** The checkpoint (signed tree head) is malformed, unsigned, or does not match the proof. */
    TLOG_CHECKPOINT,
    /** The log entry body does not describe this signature, key/certificate and artifact. */
    TLOG_BODY,
    /** An RFC 3161 timestamp does not verify, or no trusted time is available. */
    TIMESTAMP,
    /** The signature does not verify with the certificate's / configured key. */
    SIGNATURE,
    /** The signed content does not refer to the artifact being verified (digest mismatch). */
    ARTIFACT,
    /** The verification key (configured public key) does not match the bundle's key. */
    KEY,
    /** A payload annotation the policy requires ({@code -a k=v}) is missing or different. */
    ANNOTATIONS,
    /** The certificate identity (SAN, issuer, extensions) does not satisfy the policy. */
    IDENTITY
}
