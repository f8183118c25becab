package dev.qmt4j.sigstore.bundle;

import dev.qmt4j.sigstore.certs.Pem;
import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.tlog.InclusionProof;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses protobuf-JSON Sigstore bundles into {@link SigstoreBundle}.
 *
 * <p>Bundles are proto3 JSON (https://protobuf.dev/programming-guides/json/): a scalar or list field
 * holding its default value is left out, so an absent number reads as 0 (the first entry of a fresh
 * log has {@code logIndex} 0), an absent string as "", absent bytes as empty and an absent list as
 * empty. A message field has presence, so an absent required message is refused. Fields the Sigstore
 * bundle specification marks required (protobuf-specs {@code field_behavior = REQUIRED}) and that
 * cannot hold a default, such as an entry's {@code canonicalizedBody}, {@code logId.keyId} or a
 * signature, are refused by name when absent or empty; numbers are not, as 0 is valid for them.
 */
final class BundleParser {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Map<String, String> MEDIA_TYPES = Map.of(
            "application/vnd.dev.sigstore.bundle+json;version=0.1", "0.1",
            "application/vnd.dev.sigstore.bundle+json;version=0.2", "0.2",
            "application/vnd.dev.sigstore.bundle+json;version=0.3", "0.3",
            "application/vnd.dev.sigstore.bundle.v0.3+json", "0.3");

    private BundleParser() {}

    static SigstoreBundle parse(byte[] json) throws VerificationException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw bad("bundle is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad("bundle is not a JSON object");
        }
        String mediaType = root.path("mediaType").asString("");
        String version = MEDIA_TYPES.get(mediaType);
        if (version == null) {
            throw bad("unsupported bundle media type '" + mediaType + "' (supported: v0.1 to v0.3)");
        }
        JsonNode vm = message(root, "verificationMaterial", "verificationMaterial");
        List<X509Certificate> certs = new ArrayList<>();
        Optional<String> keyHint = Optional.empty();
        if (present(vm.path("certificate"))) {
            certs.add(cert(message(vm, "certificate", "verificationMaterial.certificate").path("rawBytes"), "certificate"));
        } else if (present(vm.path("x509CertificateChain"))) {
            JsonNode chain = message(vm, "x509CertificateChain", "verificationMaterial.x509CertificateChain");
            for (JsonNode c : array(chain, "certificates")) {
                certs.add(cert(c.path("rawBytes"), "x509CertificateChain certificate"));
            }
            if (certs.isEmpty()) {
                throw bad("bundle has an empty certificate chain");
            }
        } else if (present(vm.path("publicKey"))) {
            keyHint = Optional.of(string(message(vm, "publicKey", "verificationMaterial.publicKey"), "hint", "publicKey.hint"));
        } else {
            throw bad("bundle verificationMaterial has no certificate, chain or public key");
        }
        List<SigstoreBundle.TlogEntry> entries = new ArrayList<>();
        for (JsonNode e : array(vm, "tlogEntries")) {
            entries.add(entry(e));
        }
        List<byte[]> tss = new ArrayList<>();
        for (JsonNode t : array(vm.path("timestampVerificationData"), "rfc3161Timestamps")) {
            tss.add(required(t.path("signedTimestamp"), "rfc3161Timestamps.signedTimestamp"));
        }
        SigstoreBundle.Content content;
        if (present(root.path("messageSignature")) && present(root.path("dsseEnvelope"))) {
            throw bad("bundle has both messageSignature and dsseEnvelope");
        } else if (present(root.path("messageSignature"))) {
            JsonNode ms = message(root, "messageSignature", "messageSignature");
            Optional<String> alg = Optional.empty();
            Optional<byte[]> digest = Optional.empty();
            if (ms.has("messageDigest")) {
                JsonNode md = message(ms, "messageDigest", "messageSignature.messageDigest");
                // an absent enum is its 0 value, HASH_ALGORITHM_UNSPECIFIED
                alg = Optional.of(switch (string(md, "algorithm", "messageDigest.algorithm")) {
                    case "SHA2_256" -> "SHA-256";
                    case "SHA2_384" -> "SHA-384";
                    case "SHA2_512" -> "SHA-512";
                    default -> throw bad("unsupported messageDigest algorithm " + md.path("algorithm").asString("<none>"));
                });
                digest = Optional.of(required(md.path("digest"), "messageSignature.messageDigest.digest"));
            }
            content = new SigstoreBundle.MessageSignature(alg, digest, required(ms.path("signature"), "messageSignature.signature"));
        } else if (present(root.path("dsseEnvelope"))) {
            JsonNode env = message(root, "dsseEnvelope", "dsseEnvelope");
            List<byte[]> sigs = new ArrayList<>();
            for (JsonNode s : array(env, "signatures")) {
                sigs.add(required(s.path("sig"), "dsseEnvelope.signatures.sig"));
            }
            String payloadType = string(env, "payloadType", "dsseEnvelope.payloadType");
            if (payloadType.isEmpty()) {
                throw absent("dsseEnvelope.payloadType");
            }
            content = new SigstoreBundle.DsseEnvelope(payloadType, b64(env.path("payload"), "dsseEnvelope.payload"), sigs);
        } else {
            throw bad("bundle has neither messageSignature nor dsseEnvelope");
        }
        return new SigstoreBundle(mediaType, version, certs, keyHint, entries, tss, content);
    }

    private static SigstoreBundle.TlogEntry entry(JsonNode e) throws VerificationException {
        long logIndex = int64(e.path("logIndex"), "tlogEntries.logIndex", true);
        byte[] logId = required(message(e, "logId", "tlogEntries.logId").path("keyId"), "tlogEntries.logId.keyId");
        JsonNode kv = message(e, "kindVersion", "tlogEntries.kindVersion");
        String kind = string(kv, "kind", "tlogEntries.kindVersion.kind");
        String kindVersion = string(kv, "version", "tlogEntries.kindVersion.version");
        if (kind.isEmpty()) {
            throw absent("tlogEntries.kindVersion.kind");
        }
        if (kindVersion.isEmpty()) {
            throw absent("tlogEntries.kindVersion.version");
        }
        // 0 (absent) means "no integrated time": Rekor v2 entries have none
        long it = int64(e.path("integratedTime"), "tlogEntries.integratedTime", true);
        Optional<byte[]> set = Optional.empty();
        if (present(e.path("inclusionPromise"))) {
            set = Optional.of(required(message(e, "inclusionPromise", "tlogEntries.inclusionPromise").path("signedEntryTimestamp"),
                    "inclusionPromise.signedEntryTimestamp"));
        }
        Optional<InclusionProof> proof = Optional.empty();
        if (present(e.path("inclusionProof"))) {
            JsonNode p = message(e, "inclusionProof", "tlogEntries.inclusionProof");
            List<byte[]> hashes = new ArrayList<>();
            for (JsonNode h : array(p, "hashes")) {
                hashes.add(required(h, "inclusionProof.hashes"));
            }
            // a missing checkpoint is refused by name when the proof is verified (RekorVerifier)
            JsonNode cp = p.path("checkpoint");
            String envelope = present(cp) ? string(message(p, "checkpoint", "inclusionProof.checkpoint"), "envelope",
                    "inclusionProof.checkpoint.envelope") : "";
            proof = Optional.of(new InclusionProof(int64(p.path("logIndex"), "inclusionProof.logIndex", true),
                    int64(p.path("treeSize"), "inclusionProof.treeSize", true),
                    required(p.path("rootHash"), "inclusionProof.rootHash"), hashes, envelope));
        }
        byte[] body = required(e.path("canonicalizedBody"), "tlogEntries.canonicalizedBody");
        return new SigstoreBundle.TlogEntry(logIndex, logId, kind, kindVersion,
                it == 0 ? Optional.empty() : Optional.of(it), set, proof, body);
    }

    private static boolean present(JsonNode n) {
        return !n.isMissingNode() && !n.isNull();
    }

    /** A message-typed field: proto3 tracks its presence, so absent is refused, naming it. */
    private static JsonNode message(JsonNode parent, String field, String name) throws VerificationException {
        JsonNode n = parent.path(field);
        if (!present(n)) {
            throw absent(name);
        }
        if (!n.isObject()) {
            throw bad(name + " is not an object");
        }
        return n;
    }

    /** A proto3 string: absent or null is "". */
    private static String string(JsonNode parent, String field, String name) throws VerificationException {
        JsonNode n = parent.path(field);
        if (!present(n)) {
            return "";
        }
        if (!n.isString()) {
            throw bad(name + " is not a string");
        }
        return n.asString();
    }

    /** Bytes the specification requires and that are meaningless empty: absent or empty is refused. */
    private static byte[] required(JsonNode n, String field) throws VerificationException {
        byte[] b = b64(n, field);
        if (b.length == 0) {
            throw absent(field);
        }
        return b;
    }

    private static VerificationException absent(String field) {
        return bad("bundle is missing " + field + ", which the Sigstore bundle specification requires");
    }

    /**
     * protobuf-JSON int64: a decimal string or a JSON integer; absent or null is the proto3 default
     * 0; optionally non-negative.
     */
    private static long int64(JsonNode n, String field, boolean nonNegative) throws VerificationException {
        long v;
        if (!present(n)) {
            return 0;
        } else if (n.isIntegralNumber() && n.canConvertToLong()) {
            v = n.longValue();
        } else if (n.isString() && n.asString().matches("-?[0-9]{1,19}")) {
            try {
                v = Long.parseLong(n.asString());
            } catch (NumberFormatException e) {
                throw bad(field + " is out of range");
            }
        } else {
            throw bad(field + " is not an integer");
        }
        if (nonNegative && v < 0) {
            throw bad(field + " is negative (" + v + ")");
        }
        return v;
    }

    private static X509Certificate cert(JsonNode n, String what) throws VerificationException {
        byte[] der = required(n, what + ".rawBytes");
        try {
            return Pem.certificate(der);
        } catch (IllegalArgumentException e) {
            throw bad(what + " is not a valid X.509 certificate");
        }
    }

    private static Iterable<JsonNode> array(JsonNode parent, String field) throws VerificationException {
        JsonNode n = parent.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw bad(field + " is not an array");
        }
        return n;
    }

    /** protobuf-JSON bytes: standard or URL-safe base64, padding optional; absent or null is empty. */
    private static byte[] b64(JsonNode n, String field) throws VerificationException {
        if (!present(n)) {
            return new byte[0];
        }
        if (!n.isString()) {
            throw bad(field + " is not a base64 string");
        }
        // protobuf-JSON (Go protojson) ignores CR and LF inside base64
        String s = n.asString().replace("\r", "").replace("\n", "");
        try {
            if (s.indexOf('-') >= 0 || s.indexOf('_') >= 0) {
                return Base64.getUrlDecoder().decode(s);
            }
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw bad(field + " is not valid base64");
        }
    }

    private static VerificationException bad(String what) {
        return new VerificationException(Check.FORMAT, what);
    }
}
