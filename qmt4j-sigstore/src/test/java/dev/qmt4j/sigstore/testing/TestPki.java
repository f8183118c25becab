package dev.qmt4j.sigstore.testing;

import dev.qmt4j.sigstore.certs.FulcioExtensions;
import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.certs.Pem;
import dev.qmt4j.sigstore.certs.SctVerifier;
import dev.qmt4j.sigstore.tlog.RekorVerifier;
import dev.qmt4j.sigstore.trust.CertificateAuthority;
import dev.qmt4j.sigstore.trust.TransparencyLog;
import dev.qmt4j.sigstore.trust.TrustRoot;
import dev.qmt4j.sigstore.trust.ValidityPeriod;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away Sigstore-like PKI for tests: a Fulcio-like root and intermediate CA, a CT log key
 * and a Rekor key (all generated with BouncyCastle/JDK), leaf issuance with Fulcio extensions and
 * embedded SCTs, and Rekor entries with signed entry timestamps. Usable by any test in this module.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(1000);
    public static final Instant CA_START = Instant.parse("2020-01-01T00:00:00Z");

    public final KeyPair rootKey = ec("secp384r1");
    public final KeyPair intermediateKey = ec("secp384r1");
    public final KeyPair ctKey = ec("secp256r1");
    public final KeyPair rekorKey = ec("secp256r1");
    public final X509Certificate root;
    public final X509Certificate intermediate;

    public TestPki() {
        this(KeyPurposeId.id_kp_codeSigning);
    }

    /** A PKI whose intermediate carries extended key usage {@code intermediateEku}. */
    public TestPki(KeyPurposeId intermediateEku) {
        root = ca("CN=test-fulcio-root", rootKey, null, null, true, null);
        intermediate = ca("CN=test-fulcio-intermediate", intermediateKey, "CN=test-fulcio-root", rootKey, false, intermediateEku);
    }

    /** A trust root with this PKI's CA (valid as given), Rekor log and CT log. */
    public TrustRoot trustRoot(ValidityPeriod caValidity, ValidityPeriod rekorValidity) {
        return trustRoot("test", false, caValidity, rekorValidity);
    }

    /** {@link #trustRoot(ValidityPeriod, ValidityPeriod)} with the given source name and manual flag. */
    public TrustRoot trustRoot(String source, boolean manual, ValidityPeriod caValidity, ValidityPeriod rekorValidity) {
        return new TrustRoot(source, manual,
                List.of(new CertificateAuthority("https://fulcio.test", List.of(intermediate, root), caValidity)),
                List.of(rekorLog(rekorValidity)), List.of(ctLog()), List.of());
    }

    /** The default trust root: everything valid from {@link #CA_START}. */
    public TrustRoot trustRoot() {
        ValidityPeriod v = new ValidityPeriod(CA_START, java.util.Optional.empty());
        return trustRoot(v, v);
    }

    public TransparencyLog rekorLog(ValidityPeriod validity) {
        return new TransparencyLog("https://rekor.test", Keys.sha256Spki(rekorKey.getPublic()), rekorKey.getPublic(),
                "PKIX_ECDSA_P256_SHA_256", validity);
    }

    public TransparencyLog ctLog() {
        return new TransparencyLog("https://ct.test", Keys.sha256Spki(ctKey.getPublic()), ctKey.getPublic(),
                "PKIX_ECDSA_P256_SHA_256", new ValidityPeriod(CA_START, java.util.Optional.empty()));
    }

    /** Options for a leaf certificate. */
    public static final class LeafSpec {
        public String uri = "https://github.com/querymt/querymt/.github/workflows/publish.yml@refs/tags/v1.0.0";
        public String email;
        public String issuerV1 = "https://token.actions.githubusercontent.com";
        public String issuerV2 = "https://token.actions.githubusercontent.com";
        public final Map<String, String> rawExtensions = new LinkedHashMap<>(Map.of(
                FulcioExtensions.GITHUB_WORKFLOW_REPOSITORY, "querymt/querymt"));
        public Instant notBefore = Instant.parse("2024-03-01T12:00:00Z");
        public Duration lifetime = Duration.ofMinutes(10);
        public boolean codeSigning = true;
        public boolean sct = true;
        public KeyPair sctKey;
        /** Issue the leaf for this key instead of a fresh pair ({@link Leaf#keys()} then has no private key). */
        public PublicKey publicKey;
    }

    /** A leaf certificate and its key pair. */
    public record Leaf(X509Certificate cert, KeyPair keys) {
        public String pem() {
            return TestPki.pem(cert);
        }
    }

    /** {@code c} as a PEM CERTIFICATE block. */
    public static String pem(X509Certificate c) {
        try {
            return Pem.encode("CERTIFICATE", c.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Leaf leaf() {
        return leaf(new LeafSpec());
    }

    /** Issues a leaf per {@code spec}, signed by the intermediate. */
    public Leaf leaf(LeafSpec spec) {
        try {
            KeyPair keys = spec.publicKey != null ? new KeyPair(spec.publicKey, null) : ec("secp256r1");
            BigInteger serial = BigInteger.valueOf(SERIAL.incrementAndGet());
            X509Certificate pre = buildLeaf(spec, keys, serial, null);
            if (!spec.sct) {
                return new Leaf(pre, keys);
            }
            byte[] tbs = pre.getTBSCertificate();
            KeyPair sctKey = spec.sctKey != null ? spec.sctKey : ctKey;
            long ts = spec.notBefore.toEpochMilli();
            byte[] issuerKeyHash = Keys.sha256(intermediate.getPublicKey().getEncoded());
            ByteArrayOutputStream signed = new ByteArrayOutputStream();
            signed.write(0);
            signed.write(0);
            signed.writeBytes(ByteBuffer.allocate(8).putLong(ts).array());
            signed.write(0);
            signed.write(1);
            signed.writeBytes(issuerKeyHash);
            signed.write((tbs.length >> 16) & 0xff);
            signed.write((tbs.length >> 8) & 0xff);
            signed.write(tbs.length & 0xff);
            signed.writeBytes(tbs);
            signed.write(0);
            signed.write(0);
            byte[] sig = sign("SHA256withECDSA", sctKey.getPrivate(), signed.toByteArray());
            ByteArrayOutputStream sct = new ByteArrayOutputStream();
            sct.write(0);
            sct.writeBytes(Keys.sha256Spki(ctKey.getPublic()));
            sct.writeBytes(ByteBuffer.allocate(8).putLong(ts).array());
            sct.write(0);
            sct.write(0);
            sct.write(4);
            sct.write(3);
            sct.write((sig.length >> 8) & 0xff);
            sct.write(sig.length & 0xff);
            sct.writeBytes(sig);
            byte[] one = sct.toByteArray();
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            int total = one.length + 2;
            list.write((total >> 8) & 0xff);
            list.write(total & 0xff);
            list.write((one.length >> 8) & 0xff);
            list.write(one.length & 0xff);
            list.writeBytes(one);
            return new Leaf(buildLeaf(spec, keys, serial, new DEROctetString(list.toByteArray()).getEncoded()), keys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate buildLeaf(LeafSpec spec, KeyPair keys, BigInteger serial, byte[] sctExt) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=test-fulcio-intermediate"), serial,
                Date.from(spec.notBefore), Date.from(spec.notBefore.plus(spec.lifetime)), new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
                keys.getPublic());
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        if (spec.codeSigning) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        } else {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
        }
        GeneralName san = spec.email != null ? new GeneralName(GeneralName.rfc822Name, spec.email)
                : new GeneralName(GeneralName.uniformResourceIdentifier, spec.uri);
        b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(san));
        if (spec.issuerV1 != null) {
            b.addExtension(new ASN1ObjectIdentifier(FulcioExtensions.ISSUER_V1), false, spec.issuerV1.getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, String> e : spec.rawExtensions.entrySet()) {
            b.addExtension(new ASN1ObjectIdentifier(e.getKey()), false, e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        if (spec.issuerV2 != null) {
            b.addExtension(new ASN1ObjectIdentifier(FulcioExtensions.ISSUER_V2), false, new DERUTF8String(spec.issuerV2));
        }
        if (sctExt != null) {
            b.addExtension(new ASN1ObjectIdentifier(SctVerifier.SCT_LIST_OID), false, sctExt);
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA384withECDSA").build(intermediateKey.getPrivate())));
    }

    private static X509Certificate ca(String dn, KeyPair keys, String issuerDn, KeyPair issuerKeys, boolean root, KeyPurposeId eku) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuerDn == null ? dn : issuerDn),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(CA_START), Date.from(Instant.parse("2040-01-01T00:00:00Z")),
                    new X500Name(dn), keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(root ? 1 : 0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            if (eku != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            }
            PrivateKey signer = issuerKeys == null ? keys.getPrivate() : issuerKeys.getPrivate();
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA384withECDSA").build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA unrelated to this PKI (an attacker's "Fulcio"). */
    public static X509Certificate selfSigned(String dn, KeyPair keys) {
        return ca(dn, keys, null, null, true, null);
    }

    /** A fresh EC key pair. */
    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs {@code data} with a JCA algorithm. */
    public static byte[] sign(String alg, PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A hashedrekord 0.0.1 body for (signature, signer PEM, sha256 of payload). */
    public static String hashedRekordBody(byte[] signature, String signerPem, byte[] payload) {
        String json = "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\""
                + HexFormat.of().formatHex(Keys.sha256(payload)) + "\"}},\"signature\":{\"content\":\""
                + Base64.getEncoder().encodeToString(signature) + "\",\"publicKey\":{\"content\":\""
                + Base64.getEncoder().encodeToString(signerPem.getBytes(StandardCharsets.US_ASCII)) + "\"}}}}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** cosign's Rekor bundle annotation JSON for {@code bodyB64}, signed by {@code key}. */
    public String rekorBundle(String bodyB64, long integratedTime, long logIndex, PrivateKey key) {
        String logId = HexFormat.of().formatHex(Keys.sha256Spki(rekorKey.getPublic()));
        byte[] set = sign("SHA256withECDSA", key, RekorVerifier.setPayload(bodyB64, integratedTime, logId, logIndex));
        return "{\"SignedEntryTimestamp\":\"" + Base64.getEncoder().encodeToString(set) + "\",\"Payload\":{\"body\":\"" + bodyB64
                + "\",\"integratedTime\":" + integratedTime + ",\"logIndex\":" + logIndex + ",\"logID\":\"" + logId + "\"}}";
    }

    /** {@link #rekorBundle(String, long, long, PrivateKey)} signed by this PKI's Rekor key. */
    public String rekorBundle(String bodyB64, long integratedTime, long logIndex) {
        return rekorBundle(bodyB64, integratedTime, logIndex, rekorKey.getPrivate());
    }
}
