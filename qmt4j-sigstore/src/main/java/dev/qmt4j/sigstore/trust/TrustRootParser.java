package dev.qmt4j.sigstore.trust;

import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.certs.Pem;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Parses protobuf-specs {@code TrustedRoot} JSON into a {@link TrustRoot}. */
final class TrustRootParser {
    private static final Set<String> MEDIA_TYPES = Set.of(
            "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "application/vnd.dev.sigstore.trustedroot.v0.1+json",
            "application/vnd.dev.sigstore.trustedroot.v0.2+json");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private TrustRootParser() {}

    static TrustRoot parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new TrustRootException("trusted root " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TrustRootException("trusted root " + source + " is not a JSON object");
        }
        String mediaType = text(root, "mediaType", source);
        if (!MEDIA_TYPES.contains(mediaType)) {
            throw new TrustRootException("trusted root " + source + " has unsupported mediaType " + mediaType);
        }
        try {
            List<TransparencyLog> tlogs = new ArrayList<>();
            for (JsonNode n : array(root, "tlogs")) {
                tlogs.add(log(n, "tlogs"));
            }
            List<TransparencyLog> ctlogs = new ArrayList<>();
            for (JsonNode n : array(root, "ctlogs")) {
                ctlogs.add(log(n, "ctlogs"));
            }
            List<CertificateAuthority> cas = new ArrayList<>();
            for (JsonNode n : array(root, "certificateAuthorities")) {
                cas.add(ca(n));
            }
            List<CertificateAuthority> tsas = new ArrayList<>();
            for (JsonNode n : array(root, "timestampAuthorities")) {
                tsas.add(ca(n));
            }
            return new TrustRoot(source, false, cas, tlogs, ctlogs, tsas);
        } catch (IllegalArgumentException e) {
            throw new TrustRootException("trusted root " + source + " is invalid: " + e.getMessage(), e);
        }
    }

    private static TransparencyLog log(JsonNode n, String where) {
        String baseUrl = n.path("baseUrl").asString("");
        JsonNode pk = n.path("publicKey");
        String keyDetails = pk.path("keyDetails").asString("");
        byte[] raw = b64(pk.path("rawBytes"), where + " " + baseUrl + " publicKey.rawBytes");
        PublicKey key = keyDetails.startsWith("PKCS1_RSA") ? Keys.rsaPkcs1PublicKey(raw) : Keys.publicKey(raw);
        ValidityPeriod validFor = validity(pk.path("validFor"), where + " " + baseUrl, true);
        byte[] logId = b64(n.path("logId").path("keyId"), where + " " + baseUrl + " logId.keyId");
        return new TransparencyLog(baseUrl, logId, key, keyDetails, validFor);
    }

    private static CertificateAuthority ca(JsonNode n) {
        String uri = n.path("uri").asString("");
        List<X509Certificate> chain = new ArrayList<>();
        for (JsonNode c : n.path("certChain").path("certificates")) {
            chain.add(Pem.certificate(b64(c.path("rawBytes"), "certificate of " + uri)));
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate authority " + uri + " has no certificates");
        }
        return new CertificateAuthority(uri, chain, validity(n.path("validFor"), "authority " + uri, false));
    }

    private static ValidityPeriod validity(JsonNode v, String where, boolean startRequired) {
        JsonNode start = v.path("start");
        Instant s;
        if (start.isMissingNode() || start.isNull()) {
            if (startRequired) {
                throw new IllegalArgumentException(where + " has no validFor.start");
            }
            s = Instant.EPOCH;
        } else {
            s = instant(start, where);
        }
        JsonNode end = v.path("end");
        Optional<Instant> e = end.isMissingNode() || end.isNull() ? Optional.empty() : Optional.of(instant(end, where));
        return new ValidityPeriod(s, e);
    }

    private static Instant instant(JsonNode n, String where) {
        try {
            return Instant.parse(n.asString());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + " has an invalid timestamp " + n);
        }
    }

    private static byte[] b64(JsonNode n, String what) {
        if (!n.isString()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        try {
            return Base64.getDecoder().decode(n.asString());
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(n.asString());
            } catch (IllegalArgumentException e2) {
                throw new IllegalArgumentException(what + " is not valid base64");
            }
        }
    }

    private static Iterable<JsonNode> array(JsonNode root, String field) {
        JsonNode n = root.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(field + " is not an array");
        }
        return n;
    }

    private static String text(JsonNode root, String field, String source) {
        JsonNode n = root.path(field);
        if (!n.isString()) {
            throw new TrustRootException("trusted root " + source + " has no " + field);
        }
        return n.asString();
    }
}
