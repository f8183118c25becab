package dev.qmt4j.sigstore.trust.tuf;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.qmt4j.testkit.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A TUF repository made in the test: keys generated here (ECDSA P-256 and Ed25519), metadata signed
 * over canonical JSON, served by a JDK HttpServer (or HttpsServer) on 127.0.0.1 with consistent snapshots.
 */
final class TufTestRepository implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** A TUF key. */
    record Key(String id, KeyPair pair, String scheme, ObjectNode json) {
        static Key ecdsa() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair kp = g.generateKeyPair();
                String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(kp.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n";
                ObjectNode n = JSON.createObjectNode().put("keytype", "ecdsa").put("scheme", "ecdsa-sha2-nistp256");
                n.putObject("keyval").put("public", pem);
                return new Key(keyId(n), kp, "ecdsa-sha2-nistp256", n);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static Key ed25519() {
            try {
                KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                byte[] spki = kp.getPublic().getEncoded();
                byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
                ObjectNode n = JSON.createObjectNode().put("keytype", "ed25519").put("scheme", "ed25519");
                n.putObject("keyval").put("public", HexFormat.of().formatHex(raw));
                return new Key(keyId(n), kp, "ed25519", n);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String keyId(ObjectNode n) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CanonicalJson.encode(n)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String sign(byte[] message) {
            try {
                Signature s = Signature.getInstance(scheme.equals("ed25519") ? "Ed25519" : "SHA256withECDSA");
                s.initSign(pair.getPrivate());
                s.update(message);
                return HexFormat.of().formatHex(s.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Role name to its keys in the current root. */
    final Map<String, List<Key>> roles = new LinkedHashMap<>();
    /** Role name to threshold. */
    final Map<String, Integer> thresholds = new LinkedHashMap<>();
    private final HttpServer server;
    private final boolean tls;

    TufTestRepository() throws IOException {
        this(false);
    }

    /** @param tls serve HTTPS with the {@link TestCertificates} server certificate (a private CA's) */
    TufTestRepository(boolean tls) throws IOException {
        this.tls = tls;
        roles.put("root", List.of(Key.ecdsa(), Key.ed25519(), Key.ecdsa()));
        roles.put("targets", List.of(Key.ed25519(), Key.ecdsa()));
        roles.put("snapshot", List.of(Key.ecdsa()));
        roles.put("timestamp", List.of(Key.ed25519()));
        thresholds.put("root", 2);
        thresholds.put("targets", 2);
        thresholds.put("snapshot", 1);
        thresholds.put("timestamp", 1);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.shared().serverContext()));
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath().substring(1);
            requests.add(path);
            byte[] body = files.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    URI base() {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** root.json of {@code version} for the current {@link #roles}, signed by {@code signers}. */
    byte[] root(long version, Instant expires, List<Key> signers) {
        ObjectNode signed = JSON.createObjectNode();
        signed.put("_type", "root").put("spec_version", "1.0").put("version", version).put("expires", expires.toString())
                .put("consistent_snapshot", true);
        ObjectNode keys = signed.putObject("keys");
        ObjectNode r = signed.putObject("roles");
        for (var e : roles.entrySet()) {
            ObjectNode role = r.putObject(e.getKey());
            ArrayNode ids = role.putArray("keyids");
            for (Key k : e.getValue()) {
                keys.set(k.id(), k.json());
                ids.add(k.id());
            }
            role.put("threshold", thresholds.get(e.getKey()));
        }
        return sign(signed, signers);
    }

    /** Publishes {@code <version>.root.json}. */
    void publishRoot(long version, Instant expires, List<Key> signers) {
        files.put(version + ".root.json", root(version, expires, signers));
    }

    /**
     * Publishes timestamp, snapshot, targets and the target {@code trusted_root.json}, signed by the
     * current role keys (thresholds' worth of them, or {@code targetsSigners} for targets).
     */
    void publish(byte[] trustedRoot, long timestampVersion, long snapshotVersion, long targetsVersion, Instant timestampExpires,
            List<Key> targetsSigners) {
        Instant far = Instant.parse("2099-01-01T00:00:00Z");
        String sha256 = sha256(trustedRoot);
        ObjectNode targets = JSON.createObjectNode();
        targets.put("_type", "targets").put("spec_version", "1.0").put("version", targetsVersion).put("expires", far.toString());
        ObjectNode t = targets.putObject("targets").putObject("trusted_root.json");
        t.put("length", trustedRoot.length);
        t.putObject("hashes").put("sha256", sha256);
        t.putObject("custom").putObject("sigstore").put("status", "Active").put("usage", "Unknown");
        byte[] targetsBytes = sign(targets, targetsSigners);

        ObjectNode snapshot = JSON.createObjectNode();
        snapshot.put("_type", "snapshot").put("spec_version", "1.0").put("version", snapshotVersion).put("expires", far.toString());
        snapshot.putObject("meta").putObject("targets.json").put("version", targetsVersion);
        byte[] snapshotBytes = sign(snapshot, roles.get("snapshot"));

        ObjectNode timestamp = JSON.createObjectNode();
        timestamp.put("_type", "timestamp").put("spec_version", "1.0").put("version", timestampVersion)
                .put("expires", timestampExpires.toString());
        ObjectNode sm = timestamp.putObject("meta").putObject("snapshot.json");
        sm.put("version", snapshotVersion).put("length", snapshotBytes.length);
        sm.putObject("hashes").put("sha256", sha256(snapshotBytes));
        files.put("timestamp.json", sign(timestamp, roles.get("timestamp")));
        files.put(snapshotVersion + ".snapshot.json", snapshotBytes);
        files.put(targetsVersion + ".targets.json", targetsBytes);
        files.put("targets/" + sha256 + ".trusted_root.json", trustedRoot);
    }

    void publish(byte[] trustedRoot, long version, Instant timestampExpires) {
        publish(trustedRoot, version, version, version, timestampExpires, roles.get("targets"));
    }

    static byte[] sign(ObjectNode signed, List<Key> signers) {
        byte[] canonical = CanonicalJson.encode(signed);
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode sigs = doc.putArray("signatures");
        for (Key k : signers) {
            sigs.addObject().put("keyid", k.id()).put("sig", k.sign(canonical));
        }
        doc.set("signed", signed);
        return JSON.writeValueAsBytes(doc);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
