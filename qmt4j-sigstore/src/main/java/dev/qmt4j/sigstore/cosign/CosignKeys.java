package dev.qmt4j.sigstore.cosign;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.sigstore.certs.Pem;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * cosign key files: the encrypted private key PEM ({@code ENCRYPTED SIGSTORE PRIVATE KEY}, or the
 * older {@code ENCRYPTED COSIGN PRIVATE KEY}) and the {@code PUBLIC KEY} PEM.
 *
 * <p>The encrypted PEM holds JSON: {@code kdf} (scrypt N, r, p and a salt), {@code cipher}
 * (NaCl secretbox and its nonce) and {@code ciphertext}, which opens to the PKCS#8 DER of the key.
 * Supported keys: ECDSA P-256, P-384 and P-521, RSA, Ed25519.
 */
public final class CosignKeys {
    /** The PEM type cosign v2 and later write. */
    public static final String SIGSTORE_PRIVATE = "ENCRYPTED SIGSTORE PRIVATE KEY";
    /** The PEM type older cosign wrote; still read. */
    public static final String COSIGN_PRIVATE = "ENCRYPTED COSIGN PRIVATE KEY";
    public static final String PUBLIC_KEY = "PUBLIC KEY";

    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private CosignKeys() {}

    /** A fresh ECDSA P-256 pair, the default of {@code cosign generate-key-pair}. */
    public static CosignKeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair kp = g.generateKeyPair();
            return new CosignKeyPair(kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate P-256 keys", e);
        }
    }

    /**
     * Decrypts an encrypted cosign private key.
     *
     * @throws Qmt4jException {@code CONFIG} when the file is malformed or the password is wrong
     */
    public static CosignKeyPair readPrivateKey(String pem, char[] password) {
        Pem.Block block = single(pem, List.of(SIGSTORE_PRIVATE, COSIGN_PRIVATE), "cosign private key");
        JsonNode root;
        try {
            root = JSON.readTree(block.der());
        } catch (JacksonException e) {
            throw bad("the key is not the JSON cosign writes (" + e.getOriginalMessage() + ")");
        }
        String kdf = text(root.path("kdf").path("name"), "kdf.name");
        String cipher = text(root.path("cipher").path("name"), "cipher.name");
        if (!kdf.equals("scrypt") || !cipher.equals("nacl/secretbox")) {
            throw bad("unsupported key encryption " + kdf + " + " + cipher + " (expected scrypt + nacl/secretbox)");
        }
        JsonNode params = root.path("kdf").path("params");
        ScryptParams sp;
        try {
            sp = new ScryptParams(integer(params.path("N"), "N"), integer(params.path("r"), "r"), integer(params.path("p"), "p"));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        byte[] salt = b64(root.path("kdf").path("salt"), "kdf.salt");
        byte[] nonce = b64(root.path("cipher").path("nonce"), "cipher.nonce");
        byte[] box = b64(root.path("ciphertext"), "ciphertext");
        if (nonce.length != SecretBox.NONCE_BYTES) {
            throw bad("cipher.nonce must be 24 bytes, is " + nonce.length);
        }
        byte[] key = derive(password, salt, sp);
        byte[] der = SecretBox.open(box, nonce, key);
        Arrays.fill(key, (byte) 0);
        if (der == null) {
            throw new Qmt4jException(ErrorKind.CONFIG, "cannot decrypt the cosign private key: wrong password",
                    "set COSIGN_PASSWORD to the password the key was generated with");
        }
        try {
            PrivateKey priv = privateKeyFromPkcs8(der);
            return new CosignKeyPair(priv, publicKeyOf(priv));
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** Encrypts {@code key} as {@code cosign generate-key-pair} does ({@link ScryptParams#COSIGN_DEFAULT}). */
    public static String writePrivateKey(PrivateKey key, char[] password) {
        return writePrivateKey(key, password, ScryptParams.COSIGN_DEFAULT);
    }

    /** Encrypts {@code key} into an {@code ENCRYPTED SIGSTORE PRIVATE KEY} PEM. */
    public static String writePrivateKey(PrivateKey key, char[] password, ScryptParams params) {
        byte[] salt = new byte[32];
        byte[] nonce = new byte[SecretBox.NONCE_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        byte[] k = derive(password, salt, params);
        byte[] box = SecretBox.seal(key.getEncoded(), nonce, k);
        Arrays.fill(k, (byte) 0);
        Base64.Encoder b64 = Base64.getEncoder();
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> kdf = new LinkedHashMap<>();
        kdf.put("name", "scrypt");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("N", params.n());
        p.put("r", params.r());
        p.put("p", params.p());
        kdf.put("params", p);
        kdf.put("salt", b64.encodeToString(salt));
        json.put("kdf", kdf);
        Map<String, Object> cipher = new LinkedHashMap<>();
        cipher.put("name", "nacl/secretbox");
        cipher.put("nonce", b64.encodeToString(nonce));
        json.put("cipher", cipher);
        json.put("ciphertext", b64.encodeToString(box));
        return Pem.encode(SIGSTORE_PRIVATE, JSON.writeValueAsBytes(json));
    }

    /**
     * Reads a {@code PUBLIC KEY} PEM (DER SubjectPublicKeyInfo): ECDSA P-256/P-384/P-521, RSA or Ed25519.
     * Same as {@link CosignPublicKeys#readPublicKey}, which verification code should call (it keeps
     * BouncyCastle unloaded).
     *
     * @throws Qmt4jException {@code CONFIG} for anything else
     */
    public static PublicKey readPublicKey(String pem) {
        return CosignPublicKeys.readPublicKey(pem);
    }

    /** Parses a DER SubjectPublicKeyInfo of a supported algorithm ({@link CosignPublicKeys#publicKeyFromSpki}). */
    public static PublicKey publicKeyFromSpki(byte[] der) {
        return CosignPublicKeys.publicKeyFromSpki(der);
    }

    /** The {@code PUBLIC KEY} PEM of {@code key}. */
    public static String publicKeyPem(PublicKey key) {
        return CosignPublicKeys.publicKeyPem(key);
    }

    /** {@code sha256:<hex>} of the DER SubjectPublicKeyInfo: how qmt4j names a key in messages. */
    public static String fingerprint(PublicKey key) {
        return CosignPublicKeys.fingerprint(key);
    }

    /** The public half of a private key. */
    public static PublicKey publicKeyOf(PrivateKey key) {
        try {
            if (key instanceof ECPrivateKey ec) {
                ECParameterSpec spec = ec.getParams();
                ECCurve curve = EC5Util.convertCurve(spec.getCurve());
                ECPoint q = EC5Util.convertPoint(curve, spec.getGenerator()).multiply(ec.getS()).normalize();
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new java.security.spec.ECPoint(
                        q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), spec));
            }
            if (key instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (key.getAlgorithm().equals("EdDSA") || key.getAlgorithm().equals("Ed25519")) {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
                byte[] raw = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
                byte[] pub = new Ed25519PrivateKeyParameters(raw, 0).generatePublicKey().getEncoded();
                byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), pub).getEncoded();
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            }
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw bad("cannot derive the public key: " + e.getMessage());
        }
        throw bad("unsupported private key type " + key.getAlgorithm());
    }

    /** The named curve of an EC key ({@code P-256}, {@code P-384}, {@code P-521}); others are refused. */
    public static String curveName(ECPublicKey key) {
        return CosignPublicKeys.curveName(key);
    }

    static PrivateKey privateKeyFromPkcs8(byte[] der) {
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw bad("the decrypted key is not PKCS#8");
        }
        ASN1ObjectIdentifier alg = info.getPrivateKeyAlgorithm().getAlgorithm();
        try {
            if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
                // PKCS#8 v2 (RFC 5958, with the public key) is normalised to v1 for the JDK.
                byte[] v1 = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey()).getEncoded();
                return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(v1));
            }
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw bad("unreadable private key: " + e.getMessage());
        }
        throw bad("unsupported private key algorithm " + alg);
    }

    private static Pem.Block single(String text, List<String> types, String what) {
        List<Pem.Block> blocks;
        try {
            blocks = Pem.blocks(text);
        } catch (IllegalArgumentException e) {
            throw bad(what + ": " + e.getMessage());
        }
        if (blocks.size() != 1) {
            throw bad(what + ": expected exactly one PEM block, found " + blocks.size());
        }
        if (!types.contains(blocks.get(0).type())) {
            throw bad(what + ": PEM type is " + blocks.get(0).type() + ", expected " + String.join(" or ", types));
        }
        return blocks.get(0);
    }

    private static byte[] derive(char[] password, byte[] salt, ScryptParams p) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] pw = new byte[bb.remaining()];
        bb.get(pw);
        try {
            return SCrypt.generate(pw, salt, p.n(), p.r(), p.p(), SecretBox.KEY_BYTES);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private static String text(JsonNode n, String field) {
        if (!n.isString()) {
            throw bad("field " + field + " is missing or not a string");
        }
        return n.asString();
    }

    private static int integer(JsonNode n, String field) {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw bad("scrypt parameter " + field + " is missing or not an integer");
        }
        return n.intValue();
    }

    private static byte[] b64(JsonNode n, String field) {
        try {
            return Base64.getDecoder().decode(text(n, field));
        } catch (IllegalArgumentException e) {
            throw bad("field " + field + " is not base64");
        }
    }

    private static Qmt4jException bad(String why) {
        return new Qmt4jException(ErrorKind.CONFIG, "invalid cosign key: " + why);
    }
}
