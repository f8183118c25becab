package dev.qmt4j.sigstore.certs;

import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;

/**
 * The Sigstore (Fulcio) certificate extensions under {@code 1.3.6.1.4.1.57264.1} and their decoding
 * (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md):
 * {@code .1.1}-{@code .1.6} hold raw UTF-8 bytes as the extension value, {@code .1.8}
 * and later a DER UTF8String.
 */
public final class FulcioExtensions {
    /** Prefix of all Sigstore OIDs. */
    public static final String PREFIX = "1.3.6.1.4.1.57264.1.";
    /** OIDC issuer, deprecated v1 (raw). */
    public static final String ISSUER_V1 = PREFIX + "1";
    /** GitHub workflow trigger (raw, deprecated). */
    public static final String GITHUB_WORKFLOW_TRIGGER = PREFIX + "2";
    /** GitHub workflow SHA (raw, deprecated). */
    public static final String GITHUB_WORKFLOW_SHA = PREFIX + "3";
    /** GitHub workflow name (raw, deprecated). */
    public static final String GITHUB_WORKFLOW_NAME = PREFIX + "4";
    /** GitHub workflow repository, e.g. {@code querymt/querymt} (raw, deprecated). */
    public static final String GITHUB_WORKFLOW_REPOSITORY = PREFIX + "5";
    /** GitHub workflow ref (raw, deprecated). */
    public static final String GITHUB_WORKFLOW_REF = PREFIX + "6";
    /** otherName SAN type (username). */
    public static final String OTHERNAME_SAN = PREFIX + "7";
    /** OIDC issuer v2 (DER UTF8String). */
    public static final String ISSUER_V2 = PREFIX + "8";
    /** Build signer URI. */
    public static final String BUILD_SIGNER_URI = PREFIX + "9";
    /** Source repository URI, e.g. {@code https://github.com/querymt/querymt}. */
    public static final String SOURCE_REPOSITORY_URI = PREFIX + "12";
    /** Source repository digest (commit). */
    public static final String SOURCE_REPOSITORY_DIGEST = PREFIX + "13";
    /** Source repository ref. */
    public static final String SOURCE_REPOSITORY_REF = PREFIX + "14";

    private FulcioExtensions() {}

    /** True for the OIDs whose value is raw UTF-8 rather than DER ({@code .1.1}-{@code .1.6}). */
    public static boolean isRaw(String oid) {
        if (!oid.startsWith(PREFIX)) {
            return false;
        }
        String rest = oid.substring(PREFIX.length());
        return rest.matches("[1-6]");
    }

    /**
     * Reads the identity of a signing certificate.
     *
     * @throws VerificationException ({@link Check#IDENTITY}) if a Sigstore extension is malformed or
     *     the v1 and v2 issuers disagree
     */
    public static CertificateIdentity identity(X509Certificate cert) throws VerificationException {
        Map<String, String> ext = new LinkedHashMap<>();
        for (String oid : allExtensionOids(cert)) {
            if (!oid.startsWith(PREFIX) || oid.equals(OTHERNAME_SAN)) {
                continue;
            }
            byte[] value = extnValue(cert, oid);
            String text;
            if (isRaw(oid)) {
                text = utf8(value, oid);
            } else {
                text = derString(value, oid);
                if (text == null) {
                    continue; // unknown non-string extension: ignored, never an error
                }
            }
            ext.put(oid, text);
        }
        String v1 = ext.get(ISSUER_V1);
        String v2 = ext.get(ISSUER_V2);
        if (v1 != null && v2 != null && !v1.equals(v2)) {
            throw new VerificationException(Check.IDENTITY,
                    "certificate has two different OIDC issuers: " + v1 + " (OID .1.1) and " + v2 + " (OID .1.8)");
        }
        return new CertificateIdentity(subjectAlternativeNames(cert), Optional.ofNullable(v2 != null ? v2 : v1), ext);
    }

    /** Like {@link #identity} but never throws: a malformed certificate yields SANs only. */
    public static Optional<CertificateIdentity> identityOrEmpty(X509Certificate cert) {
        try {
            return Optional.of(identity(cert));
        } catch (VerificationException | RuntimeException e) {
            try {
                return Optional.of(new CertificateIdentity(subjectAlternativeNames(cert), Optional.empty(), Map.of()));
            } catch (VerificationException | RuntimeException e2) {
                return Optional.empty();
            }
        }
    }

    /** SAN values: rfc822Name, URI, DNS name, and Sigstore otherName usernames, in order. */
    public static List<String> subjectAlternativeNames(X509Certificate cert) throws VerificationException {
        byte[] value = extnValue(cert, Extension.subjectAlternativeName.getId());
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        try {
            GeneralNames names = GeneralNames.getInstance(ASN1Primitive.fromByteArray(value));
            for (GeneralName n : names.getNames()) {
                switch (n.getTagNo()) {
                    case GeneralName.rfc822Name, GeneralName.uniformResourceIdentifier, GeneralName.dNSName ->
                            out.add(((ASN1String) n.getName()).getString());
                    case GeneralName.otherName -> {
                        OtherName on = OtherName.getInstance(n.getName());
                        if (on.getTypeID().getId().equals(OTHERNAME_SAN)) {
                            ASN1Encodable v = on.getValue();
                            if (v instanceof ASN1TaggedObject t) {
                                v = t.getBaseObject();
                            }
                            if (v instanceof ASN1String s) {
                                out.add(s.getString());
                            }
                        }
                    }
                    default -> { }
                }
            }
        } catch (Exception e) {
            throw new VerificationException(Check.IDENTITY, "certificate subject alternative name is malformed");
        }
        return out;
    }

    /** The extnValue (inside the OCTET STRING) of extension {@code oid}, or null. */
    public static byte[] extnValue(X509Certificate cert, String oid) {
        byte[] wrapped = cert.getExtensionValue(oid);
        if (wrapped == null) {
            return null;
        }
        return ASN1OctetString.getInstance(wrapped).getOctets();
    }

    private static List<String> allExtensionOids(X509Certificate cert) {
        List<String> oids = new ArrayList<>();
        if (cert.getCriticalExtensionOIDs() != null) {
            oids.addAll(cert.getCriticalExtensionOIDs());
        }
        if (cert.getNonCriticalExtensionOIDs() != null) {
            oids.addAll(cert.getNonCriticalExtensionOIDs());
        }
        return oids;
    }

    private static String utf8(byte[] value, String oid) throws VerificationException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new VerificationException(Check.IDENTITY, "certificate extension " + oid + " is not UTF-8");
        }
    }

    /** Decodes a DER string; null if the value is well-formed DER but not a string type. */
    private static String derString(byte[] value, String oid) throws VerificationException {
        ASN1Primitive p;
        try {
            p = ASN1Primitive.fromByteArray(value);
            if (!java.util.Arrays.equals(p.getEncoded("DER"), value)) {
                throw new VerificationException(Check.IDENTITY, "certificate extension " + oid + " has trailing or non-DER bytes");
            }
        } catch (java.io.IOException e) {
            throw new VerificationException(Check.IDENTITY, "certificate extension " + oid + " is not valid DER");
        }
        if (p instanceof ASN1UTF8String u) {
            return u.getString();
        }
        if (oid.equals(ISSUER_V2)) {
            throw new VerificationException(Check.IDENTITY, "certificate extension " + oid + " is not a DER UTF8String");
        }
        if (p instanceof ASN1String s && !(p instanceof ASN1Sequence)) {
            return s.getString();
        }
        return null;
    }
}
