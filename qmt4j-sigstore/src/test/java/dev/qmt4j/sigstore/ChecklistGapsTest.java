package dev.qmt4j.sigstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.qmt4j.config.VerifyPolicySettings;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageManifest;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.ManifestCodec;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistrySource;
import dev.qmt4j.oci.registry.RegistryTarget;
import dev.qmt4j.sigstore.cosign.BundleSigner;
import dev.qmt4j.sigstore.cosign.CosignAnnotations;
import dev.qmt4j.sigstore.cosign.CosignKeyPair;
import dev.qmt4j.sigstore.cosign.CosignKeys;
import dev.qmt4j.sigstore.cosign.LegacySignatureScheme;
import dev.qmt4j.sigstore.cosign.LegacySigner;
import dev.qmt4j.sigstore.cosign.SimpleSigningPayload;
import dev.qmt4j.testkit.Fault;
import dev.qmt4j.testkit.FaultProxy;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rejection cases of docs/verification.md that need hand-made OCI artefacts or a misbehaving
 * registry: 3 (referrers API answering an empty index), 4, 5, 7, 8, 9, 10, 16, 18. The registry is
 * the real one of the testkit; faults come from {@link FaultProxy} or a small forwarding server.
 */
class ChecklistGapsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    static final RegistryFixture fx = RegistryFixture.perClass();
    private static final AtomicInteger REPOS = new AtomicInteger();

    @TempDir
    Path tmp;

    private RegistryRef freshRef() {
        return fx.ref("gaps/plugin" + REPOS.incrementAndGet(), "1.0");
    }

    private PolicyFlags keyFlag(CosignKeyPair key) throws Exception {
        return SigstoreVerifierRegistryTest.keyFlag(SigstoreVerifierRegistryTest.writePublicKey(tmp, key));
    }

    private static ImageVerdict check(RegistryRef ref, Digest d, PolicyFlags flags) {
        return check(ref, d, new PolicyResolver(VerifyPolicySettings.none(), r -> Optional.empty(), flags));
    }

    private static ImageVerdict check(RegistryRef ref, Digest d, PolicyResolver policies) {
        SigstoreVerifier v = new SigstoreVerifier(policies, TrustRoots.embeddedOnly());
        try (RegistrySource s = fx.source(ref)) {
            return v.check(s, ref, d);
        }
    }

    private static ImageVerdict.Refused refused(ImageVerdict v) {
        return assertInstanceOf(ImageVerdict.Refused.class, v, () -> "expected a refusal, got " + v);
    }

    private static ImageVerdict.Accepted accepted(ImageVerdict v) {
        return assertInstanceOf(ImageVerdict.Accepted.class, v, () -> "expected acceptance, got " + v);
    }

    /** A keyed legacy layer: payload blob and descriptor (media type given) with its signature annotation. */
    private static Descriptor signedLayer(RegistryRef ref, Digest d, CosignKeyPair key, String mediaType, Map<String, String> optional) {
        byte[] payload = SimpleSigningPayload.create(ref.name(), d, optional);
        byte[] sig = LegacySignatureScheme.sign(key.privateKey(), payload);
        Descriptor layer = new Descriptor(mediaType, Digest.sha256(payload), payload.length,
                Map.of(CosignAnnotations.SIGNATURE, Base64.getEncoder().encodeToString(sig)), Optional.empty(), Optional.empty());
        try (RegistryTarget t = fx.target(ref)) {
            t.pushBlob(layer, payload);
        }
        return layer;
    }

    /** Pushes a signature manifest (tag sha256-<hex>.sig) with exactly these layers. */
    private static void pushSignatureManifest(RegistryRef ref, Digest d, List<Descriptor> layers) {
        try (RegistryTarget t = fx.target(ref)) {
            byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
            Descriptor cd = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
            t.pushBlob(cd, config);
            ImageManifest m = new ImageManifest(MediaTypes.OCI_MANIFEST, Optional.empty(), cd, layers, Map.of(), Optional.empty());
            t.pushManifest(ManifestCodec.write(m), MediaTypes.OCI_MANIFEST, CosignAnnotations.signatureTag(d));
        }
    }

    /**
     * Pushes a referrer manifest whose {@code subject} is {@code claimedSubject} with these layers
     * (blobs pushed), and lists it in the {@code sha256-<hex>} fallback index of {@code d}.
     */
    private static Digest pushReferrer(RegistryRef ref, Digest d, Digest claimedSubject, Map<Descriptor, byte[]> layers) {
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            layers.forEach(t::pushBlob);
            byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
            Descriptor config = Descriptor.of(MediaTypes.OCI_EMPTY, Digest.sha256(empty), empty.length);
            t.pushBlob(config, empty);
            ManifestBlob subjectBlob = s.manifest(claimedSubject);
            Descriptor subject = Descriptor.of(MediaTypes.OCI_MANIFEST, claimedSubject, subjectBlob.bytes().length);
            ImageManifest m = new ImageManifest(MediaTypes.OCI_MANIFEST, Optional.of(CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE),
                    config, new ArrayList<>(layers.keySet()), Map.of(), Optional.of(subject));
            byte[] bytes = ManifestCodec.write(m);
            Digest referrer = t.pushManifest(bytes, MediaTypes.OCI_MANIFEST, null);
            Descriptor entry = new Descriptor(MediaTypes.OCI_MANIFEST, referrer, bytes.length, Map.of(), Optional.empty(),
                    Optional.of(CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE));
            byte[] index = ManifestCodec.write(new ImageIndex(MediaTypes.OCI_INDEX, Optional.empty(), List.of(entry), Map.of()));
            t.pushManifest(index, MediaTypes.OCI_INDEX, CosignAnnotations.referrersTag(d));
            return referrer;
        }
    }

    private static Map<Descriptor, byte[]> bundleLayer(byte[] bundle, String mediaType) {
        Map<Descriptor, byte[]> m = new LinkedHashMap<>();
        m.put(Descriptor.of(mediaType, Digest.sha256(bundle), bundle.length), bundle);
        return m;
    }

    /** A keyed DSSE bundle like {@link BundleSigner#bundle} but with any predicate type. */
    private static byte[] bundleWithPredicate(Digest subject, CosignKeyPair key, String predicateType) {
        return dsseBundle(subject, key, predicateType, BundleSigner.IN_TOTO, 1);
    }

    /** A keyed DSSE bundle with any predicate type, payload type (signed as such) and number of signatures. */
    private static byte[] dsseBundle(Digest subject, CosignKeyPair key, String predicateType, String payloadType, int signatures) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("_type", "https://in-toto.io/Statement/v1");
        statement.put("subject", List.of(Map.of("name", "", "digest", Map.of("sha256", subject.hex()))));
        statement.put("predicateType", predicateType);
        statement.put("predicate", Map.of("buildType", "x"));
        byte[] payload = JSON.writeValueAsBytes(statement);
        List<Map<String, String>> sigs = new ArrayList<>();
        for (int i = 0; i < signatures; i++) {
            byte[] sig = LegacySignatureScheme.sign(key.privateKey(), BundleSigner.pae(payloadType, payload));
            sigs.add(Map.of("sig", Base64.getEncoder().encodeToString(sig)));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mediaType", CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE);
        root.put("verificationMaterial", Map.of("publicKey", Map.of("hint", "x"), "tlogEntries", List.of()));
        root.put("dsseEnvelope", Map.of("payload", Base64.getEncoder().encodeToString(payload), "payloadType", payloadType,
                "signatures", sigs));
        return JSON.writeValueAsBytes(root);
    }

    // ------------------------------------------------------------------ discovery / format

    @Test
    @DisplayName("case 3: referrers API answers 200 with an empty index, valid legacy .sig exists -> accepted via legacy")
    void emptyReferrersIndexFallsBackToLegacy_case3() throws Exception {
        RegistryRef direct = freshRef();
        Digest d = fx.pushWasm(direct, 1);
        CosignKeyPair key = CosignKeys.generate();
        byte[] emptyIndex = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"
                .getBytes(StandardCharsets.UTF_8);
        AtomicInteger referrersCalls = new AtomicInteger();
        HttpClient upstream = HttpClient.newHttpClient();
        HttpServer front = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        front.createContext("/", ex -> {
            String path = ex.getRequestURI().toString();
            int status;
            byte[] body;
            Map<String, List<String>> headers = new LinkedHashMap<>();
            if (path.contains("/referrers/")) {
                referrersCalls.incrementAndGet();
                status = 200;
                body = emptyIndex;
                headers.put("Content-Type", List.of(MediaTypes.OCI_INDEX));
            } else {
                HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create("http://" + fx.host() + path))
                        .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
                ex.getRequestHeaders().forEach((k, vs) -> {
                    if (!Set.of("host", "connection", "content-length").contains(k.toLowerCase())) {
                        vs.forEach(v -> rb.header(k, v));
                    }
                });
                try {
                    HttpResponse<byte[]> r = upstream.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                    status = r.statusCode();
                    body = r.body();
                    r.headers().map().forEach((k, vs) -> {
                        if (!Set.of("content-length", "transfer-encoding", "connection", ":status").contains(k.toLowerCase())) {
                            headers.put(k, vs);
                        }
                    });
                } catch (InterruptedException e) {
                    throw new java.io.IOException(e);
                }
            }
            headers.forEach((k, vs) -> ex.getResponseHeaders().put(k, vs));
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        front.start();
        try {
            RegistryRef viaFront = new RegistryRef("127.0.0.1:" + front.getAddress().getPort(), direct.repository(), direct.tag(),
                    Optional.empty());
            // signed for the name pulled: the payload's docker-reference must name it
            try (RegistrySource s = fx.source(direct); RegistryTarget t = fx.target(direct)) {
                LegacySigner.sign(s, t, d, viaFront.name(), key.privateKey(), Map.of());
            }
            ImageVerdict.Accepted a = accepted(check(viaFront, d, keyFlag(key)));
            assertTrue(a.signature().startsWith("signature"), a.signature());
            // A legacy signature that satisfies the policy decides alone: the bundles are not looked up.
            assertEquals(0, referrersCalls.get(), "no bundle look-up when a legacy signature verifies");

            // Under a key the legacy signature does not match, the bundles are looked up: the API's empty index
            // is read as no bundles (not an error), and the refusal names the legacy candidate's failure.
            ImageVerdict.Refused r = refused(check(viaFront, d, keyFlag(CosignKeys.generate())));
            assertTrue(referrersCalls.get() > 0, "the referrers API was asked");
            assertTrue(r.message().contains("signature"), r.message());
        } finally {
            front.stop(0);
        }
    }

    @Test
    @DisplayName("case 4: a signature layer with media type application/octet-stream is ignored")
    void layerWithWrongMediaTypeIsIgnored_case4() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 4);
        CosignKeyPair key = CosignKeys.generate();
        Descriptor wrong = signedLayer(ref, d, key, "application/octet-stream", Map.of());
        pushSignatureManifest(ref, d, List.of(wrong));
        ImageVerdict.Refused r = refused(check(ref, d, keyFlag(key)));
        assertTrue(r.message().contains("application/octet-stream is not a cosign simple-signing layer"), r.message());
        // the same signature with the right media type is accepted
        Descriptor right = signedLayer(ref, d, key, CosignAnnotations.SIMPLE_SIGNING_MEDIA_TYPE, Map.of("n", "1"));
        pushSignatureManifest(ref, d, List.of(wrong, right));
        accepted(check(ref, d, keyFlag(key)));
    }

    @Test
    @DisplayName("case 5: a payload blob whose sha256 differs from its descriptor is refused")
    void payloadBlobNotMatchingItsDigestIsRefused_case5() throws Exception {
        RegistryRef direct = freshRef();
        Digest d = fx.pushWasm(direct, 5);
        CosignKeyPair key = CosignKeys.generate();
        LegacySigner.Signed signed;
        try (RegistrySource s = fx.source(direct); RegistryTarget t = fx.target(direct)) {
            signed = LegacySigner.sign(s, t, d, direct.name(), key.privateKey(), Map.of());
        }
        try (FaultProxy proxy = FaultProxy.to(fx.host())) {
            byte[] other = SimpleSigningPayload.create(direct.name(), d, Map.of("swapped", "yes"));
            proxy.inject(FaultProxy.path("/blobs/" + signed.payloadDigest()), Fault.replaceBody(other, null), 1000);
            RegistryRef viaProxy = new RegistryRef(proxy.host(), direct.repository(), direct.tag(), Optional.empty());
            ImageVerdict.Refused r = refused(check(viaProxy, d, keyFlag(key)));
            assertTrue(r.message().contains("payload blob refused"), r.message());
        }
        accepted(check(direct, d, keyFlag(key))); // the untouched blob verifies
    }

    @Test
    @DisplayName("case 7: a referrer manifest whose subject is another digest is refused")
    void referrerWithAnotherSubjectIsRefused_case7() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 7);
        Digest other = fx.pushWasm(fx.ref(ref.repository(), "other"), 77);
        CosignKeyPair key = CosignKeys.generate();
        byte[] bundle = BundleSigner.bundle(d, key.privateKey(), key.publicKey());
        pushReferrer(ref, d, other, bundleLayer(bundle, CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE));
        ImageVerdict.Refused r = refused(check(ref, d, keyFlag(key)));
        assertTrue(r.message().contains("its subject is " + other), r.message());
        // control: the same bundle under a correct subject is accepted
        pushReferrer(ref, d, d, bundleLayer(bundle, CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE));
        accepted(check(ref, d, keyFlag(key)));
    }

    @Test
    @DisplayName("case 8: a bundle referrer with two layers, or a non-bundle layer media type, is refused")
    void bundleReferrerWithTwoLayersOrWrongMediaTypeIsRefused_case8() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 8);
        CosignKeyPair key = CosignKeys.generate();
        byte[] bundle = BundleSigner.bundle(d, key.privateKey(), key.publicKey());
        Map<Descriptor, byte[]> two = new LinkedHashMap<>(bundleLayer(bundle, CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE));
        byte[] extra = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
        two.put(Descriptor.of(CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE, Digest.sha256(extra), extra.length), extra);
        pushReferrer(ref, d, d, two);
        assertTrue(refused(check(ref, d, keyFlag(key))).message().contains("found 2 layer(s)"));

        RegistryRef ref2 = freshRef();
        Digest d2 = fx.pushWasm(ref2, 88);
        byte[] bundle2 = BundleSigner.bundle(d2, key.privateKey(), key.publicKey());
        pushReferrer(ref2, d2, d2, bundleLayer(bundle2, "application/json"));
        assertTrue(refused(check(ref2, d2, keyFlag(key))).message().contains("expected exactly one Sigstore bundle layer"));
    }

    @Test
    @DisplayName("case 9: bundle v0.1/v0.2 on the OCI path, or v0.3 with x509CertificateChain, is refused")
    void oldBundleVersionsAndCertificateChainsAreRefused_case9() throws Exception {
        CosignKeyPair key = CosignKeys.generate();
        for (String mt : List.of("application/vnd.dev.sigstore.bundle+json;version=0.1",
                "application/vnd.dev.sigstore.bundle+json;version=0.2")) {
            RegistryRef ref = freshRef();
            Digest d = fx.pushWasm(ref, 9);
            String bundle = new String(BundleSigner.bundle(d, key.privateKey(), key.publicKey()), StandardCharsets.UTF_8)
                    .replace(CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE, mt);
            pushReferrer(ref, d, d, bundleLayer(bundle.getBytes(StandardCharsets.UTF_8), CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE));
            ImageVerdict.Refused r = refused(check(ref, d, keyFlag(key)));
            assertTrue(r.message().contains("FORMAT"), r.message());
        }
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 99);
        var leaf = new TestSigstore().leaf(key.publicKey(), TestSigstore.Identity.github("acme/x", "release.yml"),
                java.time.Instant.now());
        String certB64 = Base64.getEncoder().encodeToString(leaf.getEncoded());
        String bundle = new String(BundleSigner.bundle(d, key.privateKey(), key.publicKey()), StandardCharsets.UTF_8)
                .replaceFirst("\"publicKey\":\\{\"hint\":\"[^\"]*\"\\}",
                        "\"x509CertificateChain\":{\"certificates\":[{\"rawBytes\":\"" + certB64 + "\"}]}");
        assertTrue(bundle.contains("x509CertificateChain"), bundle);
        pushReferrer(ref, d, d, bundleLayer(bundle.getBytes(StandardCharsets.UTF_8), CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE));
        ImageVerdict.Refused r = refused(check(ref, d, keyFlag(key)));
        assertTrue(r.message().contains("x509CertificateChain"), r.message());
    }

    @Test
    @DisplayName("case 10: oversized payload and bundle blobs, and manifests over the layer cap, are refused before download")
    void oversizedSignatureMaterialIsRefusedBeforeDownload_case10() throws Exception {
        RegistryRef direct = freshRef();
        Digest d = fx.pushWasm(direct, 10);
        CosignKeyPair key = CosignKeys.generate();
        byte[] big = new byte[(int) CosignAnnotations.MAX_PAYLOAD_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        Descriptor bigLayer = new Descriptor(CosignAnnotations.SIMPLE_SIGNING_MEDIA_TYPE, Digest.sha256(big), big.length,
                Map.of(CosignAnnotations.SIGNATURE, "AAAA"), Optional.empty(), Optional.empty());
        try (RegistryTarget t = fx.target(direct)) {
            t.pushBlob(bigLayer, big);
        }
        pushSignatureManifest(direct, d, List.of(bigLayer));
        byte[] bigBundle = new byte[(int) dev.qmt4j.sigstore.cosign.ReferrerBundles.MAX_BUNDLE_BYTES + 1];
        java.util.Arrays.fill(bigBundle, (byte) ' ');
        Map<Descriptor, byte[]> bundleLayers = bundleLayer(bigBundle, CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE);
        pushReferrer(direct, d, d, bundleLayers);
        try (FaultProxy proxy = FaultProxy.to(fx.host())) {
            RegistryRef viaProxy = new RegistryRef(proxy.host(), direct.repository(), direct.tag(), Optional.empty());
            ImageVerdict.Refused r = refused(check(viaProxy, d, keyFlag(key)));
            assertTrue(r.message().contains("payload of " + big.length + " bytes exceeds"), r.message());
            assertTrue(r.message().contains("bundle of " + bigBundle.length + " bytes exceeds the limit"), r.message());
            assertEquals(0, proxy.requestCount(FaultProxy.path("/blobs/" + bigLayer.digest())), "payload never downloaded");
            assertEquals(0, proxy.requestCount(FaultProxy.path("/blobs/" + Digest.sha256(bigBundle))), "bundle never downloaded");
        }
        // more layers than the cap: refused without looking at any
        RegistryRef ref2 = freshRef();
        Digest d2 = fx.pushWasm(ref2, 100);
        Descriptor one = signedLayer(ref2, d2, key, CosignAnnotations.SIMPLE_SIGNING_MEDIA_TYPE, Map.of());
        List<Descriptor> many = new ArrayList<>();
        for (int i = 0; i <= CosignAnnotations.MAX_LAYERS; i++) {
            many.add(one);
        }
        pushSignatureManifest(ref2, d2, many);
        assertTrue(refused(check(ref2, d2, keyFlag(key))).message().contains("more than " + CosignAnnotations.MAX_LAYERS));
    }

    @Test
    @DisplayName("case 16: a bundle whose predicate type is not cosign's sign predicate is not counted as a signature")
    void attestationIsNotASignature_case16() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 16);
        CosignKeyPair key = CosignKeys.generate();
        pushReferrer(ref, d, d, bundleLayer(bundleWithPredicate(d, key, "https://slsa.dev/provenance/v1"),
                CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE));
        ImageVerdict.Refused r = refused(check(ref, d, keyFlag(key)));
        assertTrue(r.message().contains("https://slsa.dev/provenance/v1"), r.message());
        // control: same construction with the cosign predicate verifies
        pushReferrer(ref, d, d, bundleLayer(bundleWithPredicate(d, key, BundleSigner.COSIGN_SIGN_PREDICATE),
                CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE));
        accepted(check(ref, d, keyFlag(key)));
    }

    @Test
    @DisplayName("case 17: DSSE payloadType other than in-toto, or 0 / 2 DSSE signatures -> refused")
    void dssePayloadTypeAndSignatureCount_case17() throws Exception {
        CosignKeyPair key = CosignKeys.generate();
        record Variant(String payloadType, int signatures, String expected) {}
        for (Variant v : List.of(new Variant("application/json", 1, "application/json"), new Variant(BundleSigner.IN_TOTO, 0, "FORMAT"),
                new Variant(BundleSigner.IN_TOTO, 2, "FORMAT"))) {
            RegistryRef ref = freshRef();
            Digest d = fx.pushWasm(ref, 17);
            pushReferrer(ref, d, d, bundleLayer(dsseBundle(d, key, BundleSigner.COSIGN_SIGN_PREDICATE, v.payloadType(), v.signatures()),
                    CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE));
            ImageVerdict.Refused r = refused(check(ref, d, keyFlag(key)));
            assertTrue(r.message().contains("FORMAT") && r.message().contains(v.expected()), v + ": " + r.message());
        }
        // control: one signature over an in-toto payload verifies
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 170);
        pushReferrer(ref, d, d, bundleLayer(dsseBundle(d, key, BundleSigner.COSIGN_SIGN_PREDICATE, BundleSigner.IN_TOTO, 1),
                CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE));
        accepted(check(ref, d, keyFlag(key)));
    }

    // ------------------------------------------------------------------ payload: required annotations

    @Test
    @DisplayName("case 18: required annotation (-a k=v) missing or different in the legacy payload's optional -> refused")
    void requiredAnnotationsOnLegacySignatures_case18() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 18);
        CosignKeyPair key = CosignKeys.generate();
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            LegacySigner.sign(s, t, d, ref.name(), key.privateKey(), Map.of("env", "prod", "team", "a"));
        }
        PolicyFlags flags = keyFlag(key);
        accepted(check(ref, d, flags));
        accepted(check(ref, d, flags.withAnnotations(Map.of("env", "prod"))));
        ImageVerdict.Refused different = refused(check(ref, d, flags.withAnnotations(Map.of("env", "dev"))));
        assertTrue(different.message().contains("ANNOTATIONS") && different.message().contains("env=dev (found prod)"),
                different.message());
        ImageVerdict.Refused missing = refused(check(ref, d, flags.withAnnotations(Map.of("release", "1"))));
        assertTrue(missing.message().contains("release=1 (found none)"), missing.message());
    }

    @Test
    @DisplayName("case 18: annotations in a config policy block, and on the bundle path (in-toto subject annotations)")
    void requiredAnnotationsFromConfigAndOnBundles_case18() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 180);
        CosignKeyPair key = CosignKeys.generate();
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            BundleSigner.attach(s, t, d, BundleSigner.bundle(d, key.privateKey(), key.publicKey(), Map.of("env", "prod")));
        }
        Path pub = SigstoreVerifierRegistryTest.writePublicKey(tmp, key);
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("public_key", pub.toString());
        block.put("annotations", Map.of("env", "prod"));
        VerifyPolicySettings good = VerifyBlocks.settings(block);
        accepted(check(ref, d, new PolicyResolver(good, r -> Optional.empty(), PolicyFlags.none())));
        block.put("annotations", Map.of("env", "staging"));
        VerifyPolicySettings bad = VerifyBlocks.settings(block);
        ImageVerdict.Refused r = refused(check(ref, d, new PolicyResolver(bad, r2 -> Optional.empty(), PolicyFlags.none())));
        assertTrue(r.message().contains("ANNOTATIONS") && r.message().contains("env=staging (found prod)"), r.message());
        // a flag adds to the block's policy
        ImageVerdict.Refused r3 = refused(check(ref, d, new PolicyResolver(good, x -> Optional.empty(),
                PolicyFlags.none().withAnnotations(Map.of("tier", "gold")))));
        assertTrue(r3.message().contains("tier=gold (found none)"), r3.message());
    }
}
