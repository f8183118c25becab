package dev.qmt4j.sigstore.policy;

import dev.qmt4j.sigstore.certs.CertificateIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a successful verification established.
 *
 * @param identity the signer's certificate identity; empty for keyed (public key) signatures
 * @param logIndex the (global) transparency-log index of the first verified entry, if any
 * @param integratedTime the log's integrated time of that entry, if it carried a verified SET
 * @param trustedTimes every verified time the certificate was checked at (SET times, RFC 3161 times)
 * @param payloadType the DSSE payload type, empty for message signatures / legacy signatures
 * @param payload the DSSE payload bytes (e.g. the in-toto statement) the signature covers, empty
 *     for message signatures; callers apply their own statement rules (predicateType) to it
 */
public record VerificationDetails(
        Optional<CertificateIdentity> identity,
        Optional<Long> logIndex,
        Optional<Instant> integratedTime,
        List<Instant> trustedTimes,
        Optional<String> payloadType,
        Optional<byte[]> payload) {
    public VerificationDetails {
        trustedTimes = List.copyOf(trustedTimes);
    }
}
