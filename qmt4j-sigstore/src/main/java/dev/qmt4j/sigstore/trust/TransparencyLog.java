package dev.qmt4j.sigstore.trust;

import java.net.URI;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A transparency log (Rekor) or certificate-transparency log (CT) instance of a trust root.
 *
 * @param baseUrl the log's base URL, e.g. {@code https://rekor.sigstore.dev}; its host is the
 *     expected checkpoint signer name / Rekor v2 origin
 * @param logId the log ID as stored in the trust root ({@code logId.keyId}, 32 bytes); for Rekor v1
 *     and CT logs it is sha256(DER SPKI), for Rekor v2 the C2SP signed-note key hash
 * @param publicKey the log's public key
 * @param keyDetails the protobuf-specs key details name, e.g. {@code PKIX_ECDSA_P256_SHA_256},
 *     {@code PKIX_ED25519}; empty if unknown (manual mode)
 * @param validFor when the key may be used
 */
public record TransparencyLog(String baseUrl, byte[] logId, PublicKey publicKey, String keyDetails,
        ValidityPeriod validFor) {
    public TransparencyLog {
        Objects.requireNonNull(baseUrl, "baseUrl");
        logId = logId.clone();
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(keyDetails, "keyDetails");
        Objects.requireNonNull(validFor, "validFor");
    }

    @Override
    public byte[] logId() {
        return logId.clone();
    }

    /** The log ID in lower-case hex (the form used in cosign's Rekor bundle annotation). */
    public String logIdHex() {
        return HexFormat.of().formatHex(logId);
    }

    /**
     * The host of {@link #baseUrl()}, with {@code :port} if the URL has an explicit port: the
     * checkpoint signer name and Rekor v2 origin. The base URL itself if it has no host.
     */
    public String host() {
        try {
            URI u = URI.create(baseUrl);
            String h = u.getHost();
            if (h == null) {
                return baseUrl;
            }
            return u.getPort() == -1 ? h : h + ":" + u.getPort();
        } catch (IllegalArgumentException e) {
            return baseUrl;
        }
    }

    @Override
    public String toString() {
        return "TransparencyLog[" + baseUrl + ", logId=" + logIdHex() + ", " + keyDetails + ", validFor=" + validFor + "]";
    }
}
