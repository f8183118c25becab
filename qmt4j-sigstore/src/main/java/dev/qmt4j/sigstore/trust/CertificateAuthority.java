package dev.qmt4j.sigstore.trust;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate authority of a trust root: a Fulcio CA (for signing certificates) or a timestamp
 * authority (for RFC 3161 timestamps).
 *
 * @param uri the authority's URI (informational)
 * @param chain its certificates, issuing certificate first, trust anchor (root) last; the
 *     certificates before the root are trusted intermediates
 * @param validFor when certificates issued by this authority may be trusted (checked against the
 *     signing/timestamp time, in addition to the certificates' own validity)
 */
public record CertificateAuthority(String uri, List<X509Certificate> chain, ValidityPeriod validFor) {
    public CertificateAuthority {
        Objects.requireNonNull(uri, "uri");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate authority " + uri + " has an empty chain");
        }
        Objects.requireNonNull(validFor, "validFor");
    }

    /** The trust anchor: the last certificate of the chain. */
    public X509Certificate root() {
        return chain.get(chain.size() - 1);
    }

    /** The trusted intermediates: every certificate but the last. */
    public List<X509Certificate> intermediates() {
        return chain.subList(0, chain.size() - 1);
    }
}
