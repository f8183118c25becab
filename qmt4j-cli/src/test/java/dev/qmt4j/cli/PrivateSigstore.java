package dev.qmt4j.cli;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.sigstore.certs.FulcioExtensions;
import dev.qmt4j.sigstore.certs.Pem;
import dev.qmt4j.sigstore.cosign.CosignAnnotations;
import dev.qmt4j.sigstore.cosign.LegacySigner;
import dev.qmt4j.sigstore.cosign.SimpleSigningPayload;
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
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * A copy of the sigstore module's {@code TestSigstore} (test sources are not shared between modules;
 * a test-jar would need a pom change): a private Sigstore for tests, made with BouncyCastle: a Fulcio-like CA issuing short-lived leaves
 * with the Fulcio OID extensions and an embedded SCT from a test CT log, and a Rekor-like log key
 * signing SETs over hashedrekord entries. {@link #trustRoot()} trusts exactly these.
 */
final class PrivateSigstore {
    final KeyPair caKey = ec();
    final KeyPair ctKey = ec();
    final KeyPair rekorKey = ec();
    final X509Certificate ca;
    final Instant now = Instant.now();
    private long nextIndex = 1000;

    PrivateSigstore() {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=test-fulcio,O=qmt4j"), BigInteger.ONE,
                    Date.from(now.minusSeconds(86_400)), Date.from(now.plusSeconds(86_400 * 30)), new X500Name("CN=test-fulcio,O=qmt4j"),
                    caKey.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    TrustRoot trustRoot() {
        ValidityPeriod always = new ValidityPeriod(now.minusSeconds(86_400 * 2), Optional.empty());
        return new TrustRoot("test sigstore", true,
                List.of(new CertificateAuthority("https://fulcio.test", List.of(ca), always)),
                List.of(new TransparencyLog("https://rekor.test", sha256(rekorKey.getPublic().getEncoded()), rekorKey.getPublic(),
                        "PKIX_ECDSA_P256_SHA_256", always)),
                List.of(new TransparencyLog("https://ctfe.test", sha256(ctKey.getPublic().getEncoded()), ctKey.getPublic(),
                        "PKIX_ECDSA_P256_SHA_256", always)),
                List.of());
    }

    /** An identity a leaf is issued for: SAN URI (or email), issuer (.1.1 and .1.8), workflow repository (.1.5). */
    record Identity(String san, String issuer, String repository) {
        static Identity github(String repo, String workflow) {
            return new Identity("https://github.com/" + repo + "/.github/workflows/" + workflow + "@refs/tags/v1.0.0",
                    dev.qmt4j.sigstore.PolicyResolver.GITHUB_ACTIONS_ISSUER, repo);
        }
    }

    /** A leaf for {@code key} valid for ten minutes from {@code notBefore}, with an SCT. */
    X509Certificate leaf(PublicKey key, Identity id, Instant notBefore) {
        try {
            Date from = Date.from(notBefore);
            Date to = Date.from(notBefore.plusSeconds(600));
            BigInteger serial = BigInteger.valueOf(System.nanoTime());
            X509v3CertificateBuilder pre = leafBuilder(key, id, serial, from, to);
            X509Certificate precert = new JcaX509CertificateConverter().getCertificate(
                    pre.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
            byte[] tbs = precert.getTBSCertificate();
            byte[] sct = sct(tbs, notBefore.toEpochMilli());
            X509v3CertificateBuilder b = leafBuilder(key, id, serial, from, to);
            b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2"), false, new DEROctetString(sct));
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private X509v3CertificateBuilder leafBuilder(PublicKey key, Identity id, BigInteger serial, Date from, Date to) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial, from, to, new X500Name(""), key);
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        GeneralName san = id.san().contains("://") ? new GeneralName(GeneralName.uniformResourceIdentifier, id.san())
                : new GeneralName(GeneralName.rfc822Name, id.san());
        b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(san));
        b.addExtension(new ASN1ObjectIdentifier(FulcioExtensions.ISSUER_V1), false, id.issuer().getBytes(StandardCharsets.UTF_8));
        if (id.repository() != null) {
            b.addExtension(new ASN1ObjectIdentifier(FulcioExtensions.GITHUB_WORKFLOW_REPOSITORY), false,
                    id.repository().getBytes(StandardCharsets.UTF_8));
        }
        b.addExtension(new ASN1ObjectIdentifier(FulcioExtensions.ISSUER_V2), false, new DERUTF8String(id.issuer()));
        return b;
    }

    /** A TLS-encoded SCT list with one SCT by the test CT log over {@code tbs}. */
    private byte[] sct(byte[] tbs, long millis) throws Exception {
        byte[] logId = sha256(ctKey.getPublic().getEncoded());
        byte[] issuerKeyHash = sha256(ca.getPublicKey().getEncoded());
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.write(0);
        signed.write(0);
        signed.writeBytes(ByteBuffer.allocate(8).putLong(millis).array());
        signed.write(0);
        signed.write(1);
        signed.writeBytes(issuerKeyHash);
        signed.write((tbs.length >> 16) & 0xff);
        signed.write((tbs.length >> 8) & 0xff);
        signed.write(tbs.length & 0xff);
        signed.writeBytes(tbs);
        signed.write(0);
        signed.write(0);
        byte[] sig = sign(ctKey.getPrivate(), signed.toByteArray());
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        one.write(0);
        one.writeBytes(logId);
        one.writeBytes(ByteBuffer.allocate(8).putLong(millis).array());
        one.write(0);
        one.write(0);
        one.write(4);
        one.write(3);
        one.write((sig.length >> 8) & 0xff);
        one.write(sig.length & 0xff);
        one.writeBytes(sig);
        byte[] s = one.toByteArray();
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        int total = s.length + 2;
        list.write((total >> 8) & 0xff);
        list.write(total & 0xff);
        list.write((s.length >> 8) & 0xff);
        list.write(s.length & 0xff);
        list.writeBytes(s);
        return list.toByteArray();
    }

    /** The cosign Rekor bundle annotation for a hashedrekord entry of (signature, signer PEM, payload), SET-signed. */
    String rekorBundle(byte[] signature, String signerPem, byte[] payload, long integratedTime) {
        String body = "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\""
                + HexFormat.of().formatHex(sha256(payload)) + "\"}},\"signature\":{\"content\":\""
                + Base64.getEncoder().encodeToString(signature) + "\",\"publicKey\":{\"content\":\""
                + Base64.getEncoder().encodeToString(signerPem.getBytes(StandardCharsets.US_ASCII)) + "\"}}}}";
        String bodyB64 = Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8));
        String logId = HexFormat.of().formatHex(sha256(rekorKey.getPublic().getEncoded()));
        long index = nextIndex++;
        byte[] set = sign(rekorKey.getPrivate(), RekorVerifier.setPayload(bodyB64, integratedTime, logId, index));
        return "{\"SignedEntryTimestamp\":\"" + Base64.getEncoder().encodeToString(set) + "\",\"Payload\":{\"body\":\"" + bodyB64
                + "\",\"integratedTime\":" + integratedTime + ",\"logIndex\":" + index + ",\"logID\":\"" + logId + "\"}}";
    }

    /** What a keyless signer attaches: annotations for a fresh key, leaf, signature and Rekor bundle. */
    LegacySigner.Signed signKeyless(ImageSource source, ImageTarget target, Digest subject, String dockerRef, Identity id) {
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
        String pem = pem(leaf);
        Map<String, String> a = new LinkedHashMap<>();
        a.put(CosignAnnotations.SIGNATURE, Base64.getEncoder().encodeToString(sig));
        a.put(CosignAnnotations.CERTIFICATE, pem);
        a.put(CosignAnnotations.CHAIN, pem(ca));
        a.put(CosignAnnotations.BUNDLE, rekorBundle(sig, pem, payload, integratedTime));
        return a;
    }

    static String pem(X509Certificate c) {
        try {
            return Pem.encode("CERTIFICATE", c.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
