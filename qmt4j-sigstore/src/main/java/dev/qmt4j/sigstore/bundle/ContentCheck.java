package dev.qmt4j.sigstore.bundle;

import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Signature and artifact-binding checks of a bundle's content. */
final class ContentCheck {
    static final String IN_TOTO = "application/vnd.in-toto+json";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ContentCheck() {}

    /**
     * Verifies the content's signature with {@code key} and binds it to {@code artifact}.
     *
     * @return the signature bytes (what timestamps and log entries refer to)
     */
    static byte[] verify(SigstoreBundle.Content content, Artifact artifact, PublicKey key) throws VerificationException {
        if (content instanceof SigstoreBundle.MessageSignature ms) {
            return message(ms, artifact, key);
        }
        return dsse((SigstoreBundle.DsseEnvelope) content, artifact, key);
    }

    /** The digest algorithm and digest a message signature is checked against. */
    static String messageAlg(SigstoreBundle.MessageSignature ms) {
        return ms.digestAlgorithm().orElse("SHA-256");
    }

    private static byte[] message(SigstoreBundle.MessageSignature ms, Artifact artifact, PublicKey key) throws VerificationException {
        String alg = messageAlg(ms);
        byte[] digest = artifact.digest(alg);
        if (digest == null) {
            throw new VerificationException(Check.ARTIFACT, "bundle signs a " + alg + " digest, but only " + artifact + " is known");
        }
        if (ms.digest().isPresent() && !Arrays.equals(ms.digest().get(), digest)) {
            throw new VerificationException(Check.ARTIFACT, "bundle message digest "
                    + HexFormat.of().formatHex(ms.digest().get()) + " is not the artifact's " + HexFormat.of().formatHex(digest));
        }
        boolean ok;
        if (artifact instanceof Artifact.Bytes b && Keys.isEd25519(key)) {
            ok = Keys.verify(key, b.content(), ms.signature()) || Keys.verifyPrehashed(key, alg, digest, ms.signature());
        } else {
            ok = Keys.verifyPrehashed(key, alg, digest, ms.signature());
        }
        if (!ok) {
            throw new VerificationException(Check.SIGNATURE, "signature does not verify over the artifact with the signer's key");
        }
        return ms.signature();
    }

    private static byte[] dsse(SigstoreBundle.DsseEnvelope env, Artifact artifact, PublicKey key) throws VerificationException {
        if (env.signatures().size() != 1) {
            throw new VerificationException(Check.FORMAT, "DSSE envelope must have exactly one signature, found " + env.signatures().size());
        }
        if (!env.payloadType().equals(IN_TOTO)) {
            throw new VerificationException(Check.FORMAT, "DSSE payload type is " + env.payloadType() + ", expected " + IN_TOTO);
        }
        byte[] sig = env.signatures().get(0);
        if (!Keys.verify(key, env.pae(), sig)) {
            throw new VerificationException(Check.SIGNATURE, "DSSE envelope signature does not verify with the signer's key");
        }
        checkSubject(env.payload(), artifact);
        return sig;
    }

    /** At least one in-toto subject digest must equal the artifact's digest. */
    private static void checkSubject(byte[] statement, Artifact artifact) throws VerificationException {
        JsonNode st;
        try {
            st = MAPPER.readTree(statement);
        } catch (JacksonException e) {
            throw new VerificationException(Check.FORMAT, "in-toto statement is not valid JSON");
        }
        JsonNode subjects = st == null ? null : st.get("subject");
        if (subjects == null || !subjects.isArray() || subjects.isEmpty()) {
            throw new VerificationException(Check.ARTIFACT, "in-toto statement has no subject");
        }
        StringBuilder seen = new StringBuilder();
        for (String alg : new String[] {"SHA-256", "SHA-384", "SHA-512"}) {
            byte[] d = artifact.digest(alg);
            if (d == null) {
                continue;
            }
            String name = alg.toLowerCase(Locale.ROOT).replace("-", "");
            String hex = HexFormat.of().formatHex(d);
            for (JsonNode s : subjects) {
                JsonNode v = s.path("digest").path(name);
                if (v.isString()) {
                    if (v.asString().equals(hex)) {
                        return;
                    }
                    seen.append(' ').append(name).append(':').append(v.asString());
                }
            }
        }
        throw new VerificationException(Check.ARTIFACT, "no in-toto subject digest matches the artifact " + artifact
                + (seen.length() == 0 ? "" : " (subjects:" + seen + ")"));
    }
}
