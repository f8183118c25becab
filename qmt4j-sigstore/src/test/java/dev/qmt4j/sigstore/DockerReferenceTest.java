package dev.qmt4j.sigstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.config.VerifyPolicySettings;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistrySource;
import dev.qmt4j.oci.registry.RegistryTarget;
import dev.qmt4j.sigstore.TestSigstore.Identity;
import dev.qmt4j.sigstore.cosign.CosignKeyPair;
import dev.qmt4j.sigstore.cosign.CosignKeys;
import dev.qmt4j.sigstore.cosign.LegacySigner;
import dev.qmt4j.sigstore.cosign.SimpleSigningPayload;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signature names the repository it was made for ({@code critical.identity.docker-reference});
 * served under another repository it is refused, so a registry cannot substitute another image
 * signed by the same signer.
 */
class DockerReferenceTest {
    @RegisterExtension
    static final RegistryFixture fx = RegistryFixture.perClass();
    private static final TestSigstore SIGSTORE = new TestSigstore();
    private static final AtomicInteger REPOS = new AtomicInteger();

    @TempDir
    Path tmp;

    private static SigstoreVerifier verifier(Map<String, Object> oci) {
        return new SigstoreVerifier(new PolicyResolver(VerifyBlocks.settings(oci), r -> Optional.empty(), PolicyFlags.none()),
                SIGSTORE::trustRoot);
    }

    private static ImageVerdict check(SigstoreVerifier v, RegistryRef ref, Digest d) {
        try (RegistrySource s = fx.source(ref)) {
            return v.check(s, ref, d);
        }
    }

    @Test
    void signatureMadeForAnotherRepositoryIsRefusedUnlessSwitchedOff() throws Exception {
        int n = REPOS.incrementAndGet();
        RegistryRef openai = fx.ref("acme/openai" + n, "1.0");
        RegistryRef anthropic = fx.ref("acme/anthropic" + n, "1.0");
        // The attacker serves the anthropic image, with its genuine signature, as openai:1.0.
        Digest d = fx.pushWasm(anthropic, 41);
        assertEquals(d, fx.pushWasm(openai, 41));
        CosignKeyPair key = CosignKeys.generate();
        try (RegistrySource s = fx.source(openai); RegistryTarget t = fx.target(openai)) {
            LegacySigner.sign(s, t, d, anthropic.name(), key.privateKey(), Map.of());
        }
        Path pub = SigstoreVerifierRegistryTest.writePublicKey(tmp, key);
        Map<String, Object> oci = new HashMap<>(Map.of("public_key", pub.toString()));

        ImageVerdict.Refused r = assertInstanceOf(ImageVerdict.Refused.class, check(verifier(oci), openai, d));
        assertTrue(r.message().contains(anthropic.name()) && r.message().contains(openai.name()), r.message());
        assertTrue(r.message().contains("check_docker_reference"), r.message());

        oci.put("check_docker_reference", false);
        assertInstanceOf(ImageVerdict.Accepted.class, check(verifier(oci), openai, d));
    }

    @Test
    void keylessSignatureForTheSameRepositoryIsAccepted() {
        RegistryRef ref = fx.ref("acme/ok" + REPOS.incrementAndGet(), "1.0");
        Digest d = fx.pushWasm(ref, 42);
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            // cosign writes the repository without tag or digest
            SIGSTORE.signKeyless(s, t, d, ref.name(), Identity.github("acme/plugins", "release.yml"));
        }
        Map<String, Object> oci = Map.of("cert_identity_regexp", "^https://github\\.com/acme/plugins/",
                "cert_issuer", PolicyResolver.GITHUB_ACTIONS_ISSUER);
        assertInstanceOf(ImageVerdict.Accepted.class, check(verifier(oci), ref, d));
        RegistryRef other = fx.ref("acme/other" + REPOS.get(), "1.0");
        fx.pushWasm(other, 42);
        try (RegistrySource s = fx.source(other); RegistryTarget t = fx.target(other)) {
            SIGSTORE.signKeyless(s, t, d, ref.name(), Identity.github("acme/plugins", "release.yml"));
        }
        assertInstanceOf(ImageVerdict.Refused.class, check(verifier(oci), other, d));
    }

    @Test
    void repositoryNamesCompareAsCosignWritesThem() {
        RegistryRef hub = (RegistryRef) ImageRef.parse("oci://docker.io/library/ubuntu:24.04");
        RegistryRef ghcr = (RegistryRef) ImageRef.parse("oci://ghcr.io/querymt/openai:1.0");
        assertTrue(SimpleSigningPayload.sameRepository("index.docker.io/library/ubuntu", hub));
        assertTrue(SimpleSigningPayload.sameRepository("docker.io/library/ubuntu", hub));
        assertTrue(SimpleSigningPayload.sameRepository("ubuntu", hub));
        assertTrue(SimpleSigningPayload.sameRepository("ghcr.io/querymt/openai", ghcr));
        // a tag or digest in the signed reference is not part of the repository
        assertTrue(SimpleSigningPayload.sameRepository("ghcr.io/querymt/openai:0.9", ghcr));
        assertTrue(SimpleSigningPayload.sameRepository("ghcr.io/querymt/openai@sha256:" + "0".repeat(64), ghcr));
        assertTrue(SimpleSigningPayload.sameRepository("GHCR.io/querymt/openai", ghcr));
        assertFalse(SimpleSigningPayload.sameRepository("ghcr.io/querymt/anthropic", ghcr));
        assertFalse(SimpleSigningPayload.sameRepository("ghcr.io/querymt/openai-old", ghcr));
        assertFalse(SimpleSigningPayload.sameRepository("ghcr.io/querymt", ghcr));
        assertFalse(SimpleSigningPayload.sameRepository("evil.io/querymt/openai", ghcr));
        assertFalse(SimpleSigningPayload.sameRepository("", ghcr));
        assertFalse(SimpleSigningPayload.sameRepository("docker.io/library/debian", hub));
    }
}
