package dev.qmt4j.sigstore;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.sigstore.certs.FulcioExtensions;
import dev.qmt4j.sigstore.certs.Pem;
import dev.qmt4j.sigstore.cosign.CosignAnnotations;
import dev.qmt4j.sigstore.cosign.LegacySigner;
import dev.qmt4j.sigstore.cosign.SimpleSigningPayload;
import dev.qmt4j.sigstore.testing.TestPki;
import dev.qmt4j.sigstore.trust.TrustRoot;
import dev.qmt4j.sigstore.trust.ValidityPeriod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A private Sigstore for keyless signing in tests, on top of a {@link TestPki} (Fulcio-like root and
 * intermediate, CT log, Rekor): leaves are issued for an {@link Identity} at a chosen time, and cosign
 * annotations carry a Rekor bundle with a fresh log index. {@link #trustRoot()} trusts exactly this PKI.
 * Shared with qmt4j-cli's tests through this module's test-jar.
 */
public final class TestSigstore {
    final TestPki pki = new TestPki();
    public final KeyPair ctKey = pki.ctKey;
    public final KeyPair rekorKey = pki.rekorKey;
    final Instant now = Instant.now();
    private long nextIndex = 1000;

    TrustRoot trustRoot() {
        ValidityPeriod always = new ValidityPeriod(now.minusSeconds(86_400 * 2), Optional.empty());
        return pki.trustRoot("test sigstore", true, always, always);
    }

    /** The CA certificates (intermediate, then root) as PEM, as a manual trust root file holds them. */
    public String caPem() {
        return TestPki.pem(pki.intermediate) + TestPki.pem(pki.root);
    }

    /**
     * Writes this PKI as a manual trust root (docs/verification.md: {@code fulcio_certs}, {@code rekor_pub_keys},
     * {@code ctfe_pub_keys}) into {@code dir}: {@code fulcio.pem}, {@code rekor.pub} and {@code ctfe.pub}.
     */
    public TrustFiles writeTrustFiles(Path dir) throws IOException {
        return new TrustFiles(Files.writeString(dir.resolve("fulcio.pem"), caPem()),
                Files.writeString(dir.resolve("rekor.pub"), Pem.encode("PUBLIC KEY", rekorKey.getPublic().getEncoded())),
                Files.writeString(dir.resolve("ctfe.pub"), Pem.encode("PUBLIC KEY", ctKey.getPublic().getEncoded())));
    }

    /** The files of a manual trust root, as {@link #writeTrustFiles} wrote them. */
    public record TrustFiles(Path fulcio, Path rekor, Path ctfe) {
        /** The three {@code [oci]} keys that name these files, one a line (no newline after the last), for a providers.toml. */
        public String toml() {
            return "fulcio_certs = \"%s\"\nrekor_pub_keys = \"%s\"\nctfe_pub_keys = \"%s\"".formatted(fulcio, rekor, ctfe);
        }
    }

    /** An identity a leaf is issued for: SAN URI (or email), issuer (.1.1 and .1.8), workflow repository (.1.5). */
    public record Identity(String san, String issuer, String repository) {
        public static Identity github(String repo, String workflow) {
            return new Identity("https://github.com/" + repo + "/.github/workflows/" + workflow + "@refs/tags/v1.0.0",
                    PolicyResolver.GITHUB_ACTIONS_ISSUER, repo);
        }
    }

    /** A leaf for {@code key} valid for ten minutes from {@code notBefore}, with an SCT. */
    X509Certificate leaf(PublicKey key, Identity id, Instant notBefore) {
        TestPki.LeafSpec s = new TestPki.LeafSpec();
        s.publicKey = key;
        if (id.san().contains("://")) {
            s.uri = id.san();
        } else {
            s.email = id.san();
        }
        s.issuerV1 = id.issuer();
        s.issuerV2 = id.issuer();
        s.rawExtensions.clear();
        if (id.repository() != null) {
            s.rawExtensions.put(FulcioExtensions.GITHUB_WORKFLOW_REPOSITORY, id.repository());
        }
        s.notBefore = notBefore;
        return pki.leaf(s).cert();
    }

    /** The cosign Rekor bundle annotation for a hashedrekord entry of (signature, signer PEM, payload), SET-signed. */
    String rekorBundle(byte[] signature, String signerPem, byte[] payload, long integratedTime) {
        return pki.rekorBundle(TestPki.hashedRekordBody(signature, signerPem, payload), integratedTime, nextIndex++);
    }

    /** What a keyless signer attaches: annotations for a fresh key, leaf, signature and Rekor bundle. */
    public LegacySigner.Signed signKeyless(ImageSource source, ImageTarget target, Digest subject, String dockerRef, Identity id) {
        return signKeyless(source, target, subject, SimpleSigningPayload.create(dockerRef, subject, Map.of()), id, now, now.getEpochSecond() + 5);
    }

    LegacySigner.Signed signKeyless(ImageSource source, ImageTarget target, Digest subject, byte[] payload, Identity id,
            Instant notBefore, long integratedTime) {
        KeyPair ephemeral = ec();
        X509Certificate leaf = leaf(ephemeral.getPublic(), id, notBefore);
        byte[] sig = sign(ephemeral.getPrivate(), payload);
        return LegacySigner.attach(source, target, subject, payload, annotations(sig, leaf, payload, integratedTime), sig);
    }

    Map<String, String> annotations(byte[] sig, X509Certificate leaf, byte[] payload, long integratedTime) {
        String pem = TestPki.pem(leaf);
        Map<String, String> a = new LinkedHashMap<>();
        a.put(CosignAnnotations.SIGNATURE, Base64.getEncoder().encodeToString(sig));
        a.put(CosignAnnotations.CERTIFICATE, pem);
        a.put(CosignAnnotations.CHAIN, caPem());
        a.put(CosignAnnotations.BUNDLE, rekorBundle(sig, pem, payload, integratedTime));
        return a;
    }

    /** A fresh P-256 key pair, the kind cosign generates for keyless signing. */
    static KeyPair ec() {
        return TestPki.ec("secp256r1");
    }

    /** ECDSA/SHA-256 over {@code data}. */
    static byte[] sign(java.security.PrivateKey key, byte[] data) {
        return TestPki.sign("SHA256withECDSA", key, data);
    }
}
