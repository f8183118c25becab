package dev.qmt4j.sigstore.certs;

import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.trust.CertificateAuthority;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Validates Fulcio signing certificates against a trust root
 * (https://github.com/sigstore/fulcio/blob/main/docs/certificate-specification.md): a PKIX path to a
 * certificate authority whose {@code validFor} contains the trusted time, built <em>only</em> from
 * the trust root's certificates (untrusted chains that travel with a signature are never used as
 * anchors or intermediates), with every certificate valid at that time, no revocation checking,
 * the leaf carrying the codeSigning EKU and digitalSignature key usage, and (unless disabled) a
 * verified embedded SCT.
 */
public final class CertificateVerifier {
    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    private final TrustRoot trustRoot;

    /** A verifier for the Fulcio CAs (and CT logs) of {@code trustRoot}. */
    public CertificateVerifier(TrustRoot trustRoot) {
        this.trustRoot = Objects.requireNonNull(trustRoot, "trustRoot");
    }

    /**
     * Validates {@code leaf} at each trusted time and verifies its SCT.
     *
     * @param leaf the signing certificate
     * @param trustedTimes verified times (Rekor integrated times, RFC 3161 times); at least one
     * @param sctRequired whether an SCT from a trusted CT log is required (RFC 6962; default true)
     * @return the validated path (leaf first, trust anchor last) of the first time
     * @throws VerificationException naming the failed check
     */
    public List<X509Certificate> verify(X509Certificate leaf, Collection<Instant> trustedTimes, boolean sctRequired)
            throws VerificationException {
        if (trustedTimes.isEmpty()) {
            throw new VerificationException(Check.TIMESTAMP,
                    "no trusted time (verified transparency-log entry time or RFC 3161 timestamp) to validate the certificate at");
        }
        List<X509Certificate> first = null;
        for (Instant t : trustedTimes) {
            List<X509Certificate> path = verifyChain(leaf, t);
            if (first == null) {
                first = path;
            }
        }
        if (sctRequired) {
            SctVerifier.verify(leaf, first.get(1 < first.size() ? 1 : 0), trustRoot);
        }
        return first;
    }

    /**
     * Builds and validates a path from {@code leaf} to a Fulcio CA of the trust root valid at {@code at}.
     *
     * @return the path, leaf first, anchor last
     * @throws VerificationException {@link Check#CERTIFICATE_VALIDITY} if the leaf is not valid at
     *     {@code at}, {@link Check#CERTIFICATE_USAGE} without codeSigning/digitalSignature,
     *     {@link Check#CERTIFICATE_CHAIN} if no CA valid at {@code at} issued it
     */
    public List<X509Certificate> verifyChain(X509Certificate leaf, Instant at) throws VerificationException {
        Date date = Date.from(at);
        if (date.before(leaf.getNotBefore()) || date.after(leaf.getNotAfter())) {
            throw new VerificationException(Check.CERTIFICATE_VALIDITY, "signing certificate is valid from "
                    + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ", not at the signing time " + at);
        }
        checkUsage(leaf);
        List<String> failures = new ArrayList<>();
        for (CertificateAuthority ca : trustRoot.certificateAuthorities()) {
            if (!ca.validFor().contains(at)) {
                failures.add(ca.uri() + ": not valid at " + at + " (valid " + ca.validFor() + ")");
                continue;
            }
            try {
                List<X509Certificate> path = build(leaf, ca, date);
                checkIntermediateUsage(path);
                return path;
            } catch (GeneralSecurityException e) {
                failures.add(ca.uri() + ": " + e.getMessage());
            }
        }
        throw new VerificationException(Check.CERTIFICATE_CHAIN, "signing certificate (issuer "
                + leaf.getIssuerX500Principal().getName() + ") does not chain to a certificate authority of the trust root ("
                + trustRoot.source() + ") valid at " + at + (failures.isEmpty() ? "" : ": " + String.join("; ", failures)));
    }

    private static List<X509Certificate> build(X509Certificate leaf, CertificateAuthority ca, Date date)
            throws GeneralSecurityException {
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(leaf);
        PKIXBuilderParameters params = new PKIXBuilderParameters(Set.of(new TrustAnchor(ca.root(), null)), target);
        params.setRevocationEnabled(false);
        params.setDate(date);
        List<X509Certificate> store = new ArrayList<>(ca.intermediates());
        store.add(leaf);
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
        PKIXCertPathBuilderResult r = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
        List<X509Certificate> path = new ArrayList<>();
        r.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
        path.add(r.getTrustAnchor().getTrustedCert());
        return path;
    }

    /**
     * Go's x509 EKU nesting rule, as cosign/sigstore-go get it: a CA certificate in the path that
     * restricts extended key usage must allow codeSigning (or any purpose).
     */
    private static void checkIntermediateUsage(List<X509Certificate> path) throws GeneralSecurityException {
        for (int i = 1; i < path.size(); i++) {
            List<String> eku = path.get(i).getExtendedKeyUsage();
            if (eku != null && !eku.contains(CODE_SIGNING) && !eku.contains("2.5.29.37.0")) {
                throw new java.security.cert.CertPathValidatorException("CA certificate "
                        + path.get(i).getSubjectX500Principal().getName() + " does not allow codeSigning");
            }
        }
    }

    /**
     * Checks the leaf's extended key usage (codeSigning) and key usage (digitalSignature). Java's
     * PKIX validator does not check EKU.
     *
     * @throws VerificationException ({@link Check#CERTIFICATE_USAGE})
     */
    public static void checkUsage(X509Certificate leaf) throws VerificationException {
        List<String> eku;
        try {
            eku = leaf.getExtendedKeyUsage();
        } catch (java.security.cert.CertificateParsingException e) {
            throw new VerificationException(Check.CERTIFICATE_USAGE, "signing certificate has a malformed extended key usage");
        }
        if (eku == null || !eku.contains(CODE_SIGNING)) {
            throw new VerificationException(Check.CERTIFICATE_USAGE, "signing certificate lacks the codeSigning extended key usage");
        }
        boolean[] ku = leaf.getKeyUsage();
        if (ku != null && !ku[0]) {
            throw new VerificationException(Check.CERTIFICATE_USAGE, "signing certificate key usage lacks digitalSignature");
        }
    }
}
