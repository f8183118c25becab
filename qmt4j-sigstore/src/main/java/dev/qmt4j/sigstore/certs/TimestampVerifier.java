package dev.qmt4j.sigstore.certs;

import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.trust.CertificateAuthority;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * RFC 3161 timestamp verification against the trust root's timestamp authorities ({@code timestampAuthorities}
 * in https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_trustroot.proto):
 * the token's message imprint is the hash of the signed bytes (the raw signature), its signer is
 * the leaf of a trust-root TSA chain (certificates embedded in the token are never trusted by
 * themselves), the CMS signature verifies, the TSA chain is valid at the generation time, and the
 * authority's {@code validFor} contains it.
 */
public final class TimestampVerifier {
    private final TrustRoot trustRoot;

    /** A verifier for the timestamp authorities of {@code trustRoot}. */
    public TimestampVerifier(TrustRoot trustRoot) {
        this.trustRoot = Objects.requireNonNull(trustRoot, "trustRoot");
    }

    /**
     * Verifies a DER {@code TimeStampResp} (or bare {@code TimeStampToken}) over {@code signedData}.
     *
     * @return the verified generation time
     * @throws VerificationException ({@link Check#TIMESTAMP})
     */
    public Instant verify(byte[] timestamp, byte[] signedData) throws VerificationException {
        TimeStampToken token;
        try {
            TimeStampResponse resp = new TimeStampResponse(timestamp);
            token = resp.getTimeStampToken();
        } catch (Exception e) {
            try {
                token = new TimeStampToken(new org.bouncycastle.cms.CMSSignedData(timestamp));
            } catch (Exception e2) {
                throw fail("RFC 3161 timestamp is malformed");
            }
        }
        if (token == null) {
            throw fail("RFC 3161 timestamp response carries no token");
        }
        ASN1ObjectIdentifier alg = token.getTimeStampInfo().getMessageImprintAlgOID();
        String jca;
        if (alg.equals(NISTObjectIdentifiers.id_sha256)) {
            jca = "SHA-256";
        } else if (alg.equals(NISTObjectIdentifiers.id_sha384)) {
            jca = "SHA-384";
        } else if (alg.equals(NISTObjectIdentifiers.id_sha512)) {
            jca = "SHA-512";
        } else {
            throw fail("RFC 3161 timestamp uses unsupported imprint algorithm " + alg);
        }
        if (!Arrays.equals(token.getTimeStampInfo().getMessageImprintDigest(), Keys.digest(jca, signedData))) {
            throw fail("RFC 3161 timestamp is for different data than the signature");
        }
        Instant genTime = token.getTimeStampInfo().getGenTime().toInstant();
        List<String> problems = new ArrayList<>();
        for (CertificateAuthority tsa : trustRoot.timestampAuthorities()) {
            X509Certificate signer = tsa.chain().get(0);
            try {
                if (!token.getSID().match(new X509CertificateHolder(signer.getEncoded()))) {
                    problems.add(tsa.uri() + ": not the signer");
                    continue;
                }
                if (!tsa.validFor().contains(genTime)) {
                    problems.add(tsa.uri() + ": not valid at " + genTime + " (valid " + tsa.validFor() + ")");
                    continue;
                }
                token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(signer));
                validateChain(tsa, genTime);
                return genTime;
            } catch (Exception e) {
                problems.add(tsa.uri() + ": " + e.getMessage());
            }
        }
        throw fail("RFC 3161 timestamp is not signed by a timestamp authority of the trust root"
                + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")"));
    }

    private static void validateChain(CertificateAuthority tsa, Instant at) throws GeneralSecurityException {
        Date d = Date.from(at);
        for (X509Certificate c : tsa.chain()) {
            c.checkValidity(d);
        }
        if (tsa.chain().size() == 1) {
            return;
        }
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(tsa.root(), null)));
        params.setRevocationEnabled(false);
        params.setDate(d);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(tsa.intermediates()), params);
    }

    private static VerificationException fail(String msg) {
        return new VerificationException(Check.TIMESTAMP, msg);
    }
}
