package dev.qmt4j.sigstore.certs;

import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.trust.TransparencyLog;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;

/**
 * Verification of the Signed Certificate Timestamps embedded in a Fulcio leaf (RFC 6962 section
 * 3.2, precert entries): the signed data is rebuilt from the leaf's TBSCertificate with
 * the SCT-list extension removed and the issuer's key hash. At least one SCT must verify with a
 * CT log of the trust root that was valid at the SCT's timestamp.
 */
public final class SctVerifier {
    /** The embedded SCT list extension. */
    public static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";

    private SctVerifier() {}

    /** One parsed SCT (v1). */
    record Sct(byte[] logId, long timestampMillis, byte[] extensions, int hashAlg, int sigAlg, byte[] signature) {}

    /**
     * Verifies that {@code leaf} carries ≥ 1 valid SCT from a trusted CT log.
     *
     * @param issuer the certificate that issued {@code leaf} (its key hash is part of the signed data)
     * @throws VerificationException ({@link Check#SCT})
     */
    public static void verify(X509Certificate leaf, X509Certificate issuer, TrustRoot trustRoot) throws VerificationException {
        byte[] ext = FulcioExtensions.extnValue(leaf, SCT_LIST_OID);
        if (ext == null) {
            throw new VerificationException(Check.SCT, "signing certificate has no embedded SCT (certificate transparency proof)");
        }
        List<Sct> scts;
        byte[] tbs;
        try {
            scts = parseList(ext);
            tbs = precertTbs(leaf);
        } catch (RuntimeException | IOException | CertificateEncodingException e) {
            throw new VerificationException(Check.SCT, "signing certificate's SCT list is malformed");
        }
        byte[] issuerKeyHash = Keys.sha256(issuer.getPublicKey().getEncoded());
        List<String> problems = new ArrayList<>();
        for (Sct sct : scts) {
            List<TransparencyLog> logs = trustRoot.ctlogs(sct.logId());
            if (logs.isEmpty()) {
                problems.add("SCT from unknown CT log " + java.util.HexFormat.of().formatHex(sct.logId()));
                continue;
            }
            Instant t = Instant.ofEpochMilli(sct.timestampMillis());
            byte[] signed = signedData(sct, issuerKeyHash, tbs);
            for (TransparencyLog log : logs) {
                if (!log.validFor().contains(t)) {
                    problems.add("CT log " + log.baseUrl() + " key not valid at " + t);
                    continue;
                }
                if (sct.hashAlg() == 4 && Keys.verifyLegacy(log.publicKey(), signed, sct.signature())) {
                    return;
                }
                problems.add("SCT signature does not verify with CT log " + log.baseUrl());
            }
        }
        String hint = trustRoot.isManual() && trustRoot.ctlogs().isEmpty()
                ? " (this manual trust root has no CT log keys: add ctfe_pub_keys / --ctfe-pub-keys)" : "";
        throw new VerificationException(Check.SCT, "no valid SCT from a CT log of the trust root"
                + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)) + hint);
    }

    static List<Sct> parseList(byte[] octets) throws IOException {
        // the extension value is an OCTET STRING holding the TLS-encoded list
        byte[] tls = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(octets)).getOctets();
        ByteBuffer b = ByteBuffer.wrap(tls);
        int total = u16(b);
        if (total != b.remaining()) {
            throw new IllegalArgumentException("SCT list length mismatch");
        }
        List<Sct> out = new ArrayList<>();
        while (b.hasRemaining()) {
            int len = u16(b);
            ByteBuffer s = b.slice(b.position(), len);
            b.position(b.position() + len);
            int version = s.get() & 0xff;
            if (version != 0) {
                continue;
            }
            byte[] logId = new byte[32];
            s.get(logId);
            long ts = s.getLong();
            byte[] exts = new byte[u16(s)];
            s.get(exts);
            int hash = s.get() & 0xff;
            int sig = s.get() & 0xff;
            byte[] signature = new byte[u16(s)];
            s.get(signature);
            if (s.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes in SCT");
            }
            out.add(new Sct(logId, ts, exts, hash, sig, signature));
        }
        return out;
    }

    private static int u16(ByteBuffer b) {
        return b.getShort() & 0xffff;
    }

    static byte[] signedData(Sct sct, byte[] issuerKeyHash, byte[] tbs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0); // version v1
        out.write(0); // signature_type certificate_timestamp
        out.writeBytes(ByteBuffer.allocate(8).putLong(sct.timestampMillis()).array());
        out.write(0);
        out.write(1); // entry_type precert_entry
        out.writeBytes(issuerKeyHash);
        out.write((tbs.length >> 16) & 0xff);
        out.write((tbs.length >> 8) & 0xff);
        out.write(tbs.length & 0xff);
        out.writeBytes(tbs);
        out.write((sct.extensions().length >> 8) & 0xff);
        out.write(sct.extensions().length & 0xff);
        out.writeBytes(sct.extensions());
        return out.toByteArray();
    }

    /** The leaf's TBSCertificate DER with the SCT-list extension removed (everything else kept in order). */
    static byte[] precertTbs(X509Certificate leaf) throws IOException, CertificateEncodingException {
        ASN1Sequence tbs = ASN1Sequence.getInstance(Certificate.getInstance(leaf.getEncoded()).getTBSCertificate().toASN1Primitive());
        ASN1EncodableVector v = new ASN1EncodableVector();
        for (ASN1Encodable e : tbs) {
            if (e instanceof ASN1TaggedObject t && t.getTagNo() == 3) {
                ASN1Sequence exts = ASN1Sequence.getInstance(t.getExplicitBaseObject());
                ASN1EncodableVector kept = new ASN1EncodableVector();
                for (ASN1Encodable x : exts) {
                    Extension ex = Extension.getInstance(x);
                    if (!ex.getExtnId().getId().equals(SCT_LIST_OID)) {
                        kept.add(x);
                    }
                }
                v.add(new DERTaggedObject(true, 3, new DERSequence(kept)));
            } else {
                v.add(e);
            }
        }
        return new DERSequence(v).getEncoded("DER");
    }
}
