package dev.qmt4j.sigstore;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.sigstore.certs.CertificateIdentity;
import dev.qmt4j.sigstore.certs.CertificateVerifier;
import dev.qmt4j.sigstore.certs.FulcioExtensions;
import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.certs.Pem;
import dev.qmt4j.sigstore.cosign.CosignPublicKeys;
import dev.qmt4j.sigstore.cosign.SignatureLayer;
import dev.qmt4j.sigstore.cosign.SimpleSigningPayload;
import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.IdentityMatch;
import dev.qmt4j.sigstore.policy.VerificationDetails;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.policy.VerificationResult;
import dev.qmt4j.sigstore.tlog.LegacyRekorBundle;
import dev.qmt4j.sigstore.tlog.RekorVerifier;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Verifies one legacy {@code .sig} layer completely against a policy (docs/verification.md, "Checks per signature"):
 * signature over the exact payload bytes, Rekor bundle (SET, key validity, entry bound to this
 * signature, signer and payload hash), certificate chain and SCT at the integrated time, payload
 * digest claim, identity. The chain annotation is never used: only the trust root's certificates anchor a chain.
 */
public final class LegacyLayerVerifier {
    private final Supplier<TrustRoot> trustRoot;

    /** The trust root is only asked for when a certificate or Rekor entry must be checked. */
    public LegacyLayerVerifier(Supplier<TrustRoot> trustRoot) {
        this.trustRoot = trustRoot;
    }

    /** Every check for {@code layer} as a signature of {@code digest}; never throws for bad input. */
    public VerificationResult verify(SignatureLayer layer, Digest digest, ImagePolicy policy) {
        List<CertificateIdentity> found = new ArrayList<>();
        try {
            Optional<X509Certificate> cert = certificate(layer);
            // Called only with a certificate: linking FulcioExtensions loads BouncyCastle, whose signed
            // jar costs a keyed verification (no certificate) 0.2-0.4 s of CPU to check.
            if (cert.isPresent()) {
                FulcioExtensions.identityOrEmpty(cert.get()).ifPresent(found::add);
            }
            VerificationDetails details = policy instanceof ImagePolicy.Keyed k
                    ? keyed(layer, digest, k, cert)
                    : keyless(layer, digest, (ImagePolicy.Keyless) policy, cert);
            return new VerificationResult.Verified(details);
        } catch (VerificationException e) {
            return VerificationResult.Rejected.of(e, found);
        }
    }

    private VerificationDetails keyed(SignatureLayer layer, Digest digest, ImagePolicy.Keyed policy,
            Optional<X509Certificate> cert) throws VerificationException {
        PublicKey key = policy.key();
        if (cert.isPresent() && !Arrays.equals(cert.get().getPublicKey().getEncoded(), key.getEncoded())) {
            throw new VerificationException(Check.KEY, "the signature's certificate holds key "
                    + CosignPublicKeys.fingerprint(cert.get().getPublicKey()) + ", not the configured key " + CosignPublicKeys.fingerprint(key));
        }
        if (!Keys.verifyLegacy(key, layer.payload(), layer.signature())) {
            throw new VerificationException(Check.SIGNATURE, "the signature does not verify with the configured key "
                    + CosignPublicKeys.fingerprint(key));
        }
        Optional<Tlog> tlog = Optional.empty();
        if (layer.rekorBundle().isPresent()) {
            // A present entry must verify even when the policy does not require one, as in cosign.
            tlog = Optional.of(tlog(layer, cert.isPresent() ? der(cert.get()) : key.getEncoded()));
        } else if (policy.requireTlog()) {
            throw new VerificationException(Check.TLOG_ENTRY, "no Rekor bundle annotation (" + "dev.sigstore.cosign/bundle"
                    + ") and the policy requires a transparency-log entry");
        }
        claims(layer, digest, policy);
        return details(Optional.empty(), tlog);
    }

    private VerificationDetails keyless(SignatureLayer layer, Digest digest, ImagePolicy.Keyless policy,
            Optional<X509Certificate> cert) throws VerificationException {
        if (cert.isEmpty()) {
            throw new VerificationException(Check.CERTIFICATE_CHAIN,
                    "no certificate annotation: a keyless policy needs a Fulcio certificate (or configure public_key for keyed signatures)");
        }
        X509Certificate c = cert.get();
        if (!Keys.verifyLegacy(c.getPublicKey(), layer.payload(), layer.signature())) {
            throw new VerificationException(Check.SIGNATURE, "the signature does not verify with its certificate's key");
        }
        if (layer.rekorBundle().isEmpty()) {
            throw new VerificationException(Check.TLOG_ENTRY,
                    "no Rekor bundle annotation: a keyless signature needs a verified transparency-log entry for its time");
        }
        Tlog tlog = tlog(layer, der(c));
        new CertificateVerifier(trustRoot.get()).verify(c, List.of(tlog.time()), policy.sctRequired());
        claims(layer, digest, policy);
        IdentityMatch match = policy.identity().match(c);
        if (match instanceof IdentityMatch.Mismatch m) {
            throw new VerificationException(Check.IDENTITY, m.reason());
        }
        return details(match.found(), Optional.of(tlog));
    }

    private record Tlog(Instant time, long logIndex) {}

    private Tlog tlog(SignatureLayer layer, byte[] signerDer) throws VerificationException {
        LegacyRekorBundle bundle = LegacyRekorBundle.parse(layer.rekorBundle().get());
        Instant t = new RekorVerifier(trustRoot.get()).verifyLegacyBundle(bundle, layer.signature(), layer.payload(), signerDer);
        return new Tlog(t, bundle.logIndex());
    }

    private static void claims(SignatureLayer layer, Digest digest, ImagePolicy policy) throws VerificationException {
        SimpleSigningPayload payload;
        try {
            payload = SimpleSigningPayload.parse(layer.payload());
        } catch (IllegalArgumentException e) {
            throw new VerificationException(Check.FORMAT, "simple-signing payload: " + e.getMessage());
        }
        if (!payload.names(digest)) {
            throw new VerificationException(Check.ARTIFACT, "the payload signs " + payload.manifestDigest() + ", not " + digest);
        }
        // A signature made for another repository, served under this name, is another image by the
        // same signer (docs/verification.md, "Checks per signature").
        Optional<dev.qmt4j.oci.RegistryRef> expected = policy.dockerReference();
        if (expected.isPresent() && !SimpleSigningPayload.sameRepository(payload.dockerReference(), expected.get())) {
            throw new VerificationException(Check.ARTIFACT, "the signature was made for docker-reference '" + payload.dockerReference()
                    + "', not for " + expected.get().name() + " (another image by the same signer?); for a copy you moved"
                    + " or re-tagged yourself, set check_docker_reference = false in the provider's verify block or [oci]");
        }
        Optional<String> missing = payload.missingAnnotation(policy.annotations());
        if (missing.isPresent()) {
            throw new VerificationException(Check.ANNOTATIONS, "required payload annotation " + missing.get());
        }
    }

    private static VerificationDetails details(Optional<CertificateIdentity> identity, Optional<Tlog> tlog) {
        return new VerificationDetails(identity, tlog.map(Tlog::logIndex), tlog.map(Tlog::time),
                tlog.map(t -> List.of(t.time())).orElse(List.of()), Optional.empty(), Optional.empty());
    }

    private static Optional<X509Certificate> certificate(SignatureLayer layer) throws VerificationException {
        if (layer.certificatePem().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pem.certificate(layer.certificatePem().get()));
        } catch (IllegalArgumentException e) {
            throw new VerificationException(Check.FORMAT, "certificate annotation: " + e.getMessage());
        }
    }

    private static byte[] der(X509Certificate c) throws VerificationException {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new VerificationException(Check.FORMAT, "certificate cannot be encoded");
        }
    }
}
