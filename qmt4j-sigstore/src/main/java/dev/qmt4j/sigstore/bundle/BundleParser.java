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

/** Parses protobuf-JSON Sigstore bundles into {@link SigstoreBundle}. */
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
        JsonNode vm = root.path("verificationMaterial");
        if (!vm.isObject()) {
            throw bad("bundle has no verificationMaterial");
        }
        List<X509Certificate> certs = new ArrayList<>();
        Optional<String> keyHint = Optional.empty();
        if (vm.has("certificate")) {
            certs.add(cert(vm.path("certificate").path("rawBytes"), "certificate"));
        } else if (vm.has("x509CertificateChain")) {
            JsonNode list = vm.path("x509CertificateChain").path("certificates");
            for (JsonNode c : list) {
                certs.add(cert(c.path("rawBytes"), "x509CertificateChain certificate"));
            }
            if (certs.isEmpty()) {
                throw bad("bundle has an empty certificate chain");
            }
        } else if (vm.has("publicKey")) {
            keyHint = Optional.of(vm.path("publicKey").path("hint").asString(""));
        } else {
            throw bad("bundle verificationMaterial has no certificate, chain or public key");
        }
        List<SigstoreBundle.TlogEntry> entries = new ArrayList<>();
        for (JsonNode e : array(vm, "tlogEntries")) {
            entries.add(entry(e));
        }
        List<byte[]> tss = new ArrayList<>();
        for (JsonNode t : array(vm.path("timestampVerificationData"), "rfc3161Timestamps")) {
            tss.add(b64(t.path("signedTimestamp"), "rfc3161Timestamps.signedTimestamp"));
        }
        SigstoreBundle.Content content;
        if (root.has("messageSignature") && root.has("dsseEnvelope")) {
            throw bad("bundle has both messageSignature and dsseEnvelope");
        } else if (root.has("messageSignature")) {
            JsonNode ms = root.path("messageSignature");
            Optional<String> alg = Optional.empty();
            Optional<byte[]> digest = Optional.empty();
            if (ms.has("messageDigest")) {
                JsonNode md = ms.path("messageDigest");
                alg = Optional.of(switch (md.path("algorithm").asString("")) {
                    case "SHA2_256" -> "SHA-256";
                    case "SHA2_384" -> "SHA-384";
                    case "SHA2_512" -> "SHA-512";
                    default -> throw bad("unsupported messageDigest algorithm " + md.path("algorithm").asString("<none>"));
                });
                digest = Optional.of(b64(md.path("digest"), "messageDigest.digest"));
            }
            content = new SigstoreBundle.MessageSignature(alg, digest, b64(ms.path("signature"), "messageSignature.signature"));
        } else if (root.has("dsseEnvelope")) {
            JsonNode env = root.path("dsseEnvelope");
            List<byte[]> sigs = new ArrayList<>();
            for (JsonNode s : array(env, "signatures")) {
                sigs.add(b64(s.path("sig"), "dsseEnvelope.signatures.sig"));
            }
            if (!env.path("payloadType").isString()) {
                throw bad("dsseEnvelope has no payloadType");
            }
            content = new SigstoreBundle.DsseEnvelope(env.path("payloadType").asString(),
                    b64(env.path("payload"), "dsseEnvelope.payload"), sigs);
        } else {
            throw bad("bundle has neither messageSignature nor dsseEnvelope");
        }
        return new SigstoreBundle(mediaType, version, certs, keyHint, entries, tss, content);
    }

    private static SigstoreBundle.TlogEntry entry(JsonNode e) throws VerificationException {
        long logIndex = int64(e.path("logIndex"), "tlogEntries.logIndex", true);
        byte[] logId = b64(e.path("logId").path("keyId"), "tlogEntries.logId.keyId");
        JsonNode kv = e.path("kindVersion");
        if (!kv.path("kind").isString() || !kv.path("version").isString()) {
            throw bad("tlog entry has no kindVersion");
        }
        long it = e.has("integratedTime") ? int64(e.path("integratedTime"), "tlogEntries.integratedTime", true) : 0;
        Optional<byte[]> set = Optional.empty();
        if (e.has("inclusionPromise")) {
            set = Optional.of(b64(e.path("inclusionPromise").path("signedEntryTimestamp"), "inclusionPromise.signedEntryTimestamp"));
        }
        Optional<InclusionProof> proof = Optional.empty();
        if (e.has("inclusionProof")) {
            JsonNode p = e.path("inclusionProof");
            List<byte[]> hashes = new ArrayList<>();
            for (JsonNode h : array(p, "hashes")) {
                hashes.add(b64(h, "inclusionProof.hashes"));
            }
            proof = Optional.of(new InclusionProof(int64(p.path("logIndex"), "inclusionProof.logIndex", true),
                    int64(p.path("treeSize"), "inclusionProof.treeSize", true),
                    b64(p.path("rootHash"), "inclusionProof.rootHash"), hashes,
                    p.path("checkpoint").path("envelope").asString("")));
        }
        byte[] body = b64(e.path("canonicalizedBody"), "tlogEntries.canonicalizedBody");
        return new SigstoreBundle.TlogEntry(logIndex, logId, kv.path("kind").asString(), kv.path("version").asString(),
                it == 0 ? Optional.empty() : Optional.of(it), set, proof, body);
    }

    /** protobuf-JSON int64: a decimal string or a JSON integer; optionally non-negative. */
    private static long int64(JsonNode n, String field, boolean nonNegative) throws VerificationException {
        long v;
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            v = n.longValue();
        } else if (n.isString() && n.asString().matches("-?[0-9]{1,19}")) {
            try {
                v = Long.parseLong(n.asString());
            } catch (NumberFormatException e) {
                throw bad(field + " is out of range");
            }
        } else {
            throw bad(field + " is missing or not an integer");
        }
        if (nonNegative && v < 0) {
            throw bad(field + " is negative (" + v + ")");
        }
        return v;
    }

    private static X509Certificate cert(JsonNode n, String what) throws VerificationException {
        byte[] der = b64(n, what + ".rawBytes");
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

    /** protobuf-JSON bytes: standard or URL-safe base64, padding optional. */
    private static byte[] b64(JsonNode n, String field) throws VerificationException {
        if (!n.isString()) {
            throw bad("bundle has no " + field);
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
