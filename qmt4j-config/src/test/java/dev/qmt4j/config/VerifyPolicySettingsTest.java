package dev.qmt4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signature keys of {@code [oci]}: manual trust root with CT log keys, required annotations, strict keys. */
class VerifyPolicySettingsTest {
    @TempDir
    Path dir;

    private ConfigFile load(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return ConfigFile.load(p);
    }

    @Test
    void manualTrustRootKeysAndAnnotationsAreRead() throws IOException {
        VerifyPolicySettings v = load("providers.toml", """
                [oci]
                fulcio_certs = "/etc/sigstore/fulcio.pem"
                rekor_pub_keys = "/etc/sigstore/rekor.pub"
                ctfe_pub_keys = "/etc/sigstore/ctfe.pub"
                cert_identity_regexp = '^https://github\\.com/acme/'
                cert_issuer = "https://token.actions.githubusercontent.com"
                annotations = { env = "prod", team = "ml" }
                """).oci().verify();
        assertEquals(Optional.of("/etc/sigstore/ctfe.pub"), v.ctfePubKeys());
        assertEquals(Optional.of("/etc/sigstore/rekor.pub"), v.rekorPubKeys());
        assertEquals(Map.of("env", "prod", "team", "ml"), v.annotations());
        assertTrue(v.definesTrustRoot());
    }

    @Test
    void defaultsHaveNoTrustRootKeysAndNoAnnotations() {
        VerifyPolicySettings none = VerifyPolicySettings.none();
        assertFalse(none.definesTrustRoot());
        assertEquals(Map.of(), none.annotations());
        assertEquals(Optional.empty(), none.ctfePubKeys());
        assertTrue(VerifyPolicySettings.KEYS.containsAll(VerifyPolicySettings.TRUST_ROOT_KEYS));
    }

    @Test
    void annotationValuesMustBeStrings() throws IOException {
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> load("p.yaml", "oci:\n  annotations:\n    build: 7\n"));
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("oci.annotations.build: expected a string, got 7"), e.getMessage());
    }

    @Test
    void unknownKeysNextToTheSignatureKeysAreWarnedAboutOrRejectedWhenStrict() throws IOException {
        // QueryMT ignores unknown [oci] keys; qmt4j warns, naming the key meant, and refuses it when strict.
        ConfigFile lenient = load("p.toml", "[oci]\nctfe_pub_key = \"/x\"\n");
        assertEquals(java.util.Optional.of("ctfe_pub_keys"), lenient.warnings().get(0).suggestion());
        assertTrue(lenient.oci().verify().ctfePubKeys().isEmpty());
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> ConfigFile.load(dir.resolve("p.toml"), true));
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("ctfe_pub_key"), e.getMessage());
    }

    /**
     * A provider's verify block is read like {@code [oci]}, once, by the config reader: every key typed, the
     * file keys resolved against the config file's directory ({@code ~} as the home directory), the recent
     * keys ({@code check_docker_reference}, {@code annotations}) included.
     */
    @Test
    void providerVerifyBlockIsTypedWithPathsResolvedAgainstTheConfigFile() throws IOException {
        ConfigFile config = load("providers.toml", """
                [[providers]]
                name = "acme"
                path = "oci://ghcr.io/acme/plugin:1.0"
                [providers.verify]
                public_key = "keys/cosign.pub"
                fulcio_certs = "/etc/sigstore/fulcio.pem"
                rekor_pub_keys = "~/rekor.pub"
                ctfe_pub_keys = "../ctfe.pub"
                require_tlog = true
                check_docker_reference = false
                annotations = { env = "prod" }

                [[providers]]
                name = "plain"
                path = "oci://ghcr.io/acme/other:1.0"
                """);
        VerifyPolicySettings v = config.providers().get(0).verify().orElseThrow();
        assertEquals(Optional.of(dir.resolve("keys/cosign.pub").toString()), v.publicKey());
        assertEquals(Optional.of("/etc/sigstore/fulcio.pem"), v.fulcioCerts());
        assertEquals(Optional.of(Path.of(System.getProperty("user.home"), "rekor.pub").toString()), v.rekorPubKeys());
        assertEquals(Optional.of(dir.getParent().resolve("ctfe.pub").toString()), v.ctfePubKeys());
        assertEquals(Optional.of(true), v.requireTlog());
        assertEquals(Optional.of(false), v.checkDockerReference());
        assertEquals(Map.of("env", "prod"), v.annotations());
        assertEquals(Optional.empty(), config.providers().get(1).verify());
    }

    /** Relative file keys in {@code [oci]} are relative to the config file too, as every other path in it. */
    @Test
    void ociFileKeysAreResolvedAgainstTheConfigFile() throws IOException {
        VerifyPolicySettings v = load("providers.toml", "[oci]\npublic_key = \"cosign.pub\"\n").oci().verify();
        assertEquals(Optional.of(dir.resolve("cosign.pub").toString()), v.publicKey());
    }

    /** A wrong value in a verify block is an error naming the file, the line and the key path, when the file is read. */
    @Test
    void providerVerifyBlockErrorsNameFileAndLine() throws IOException {
        String head = "[[providers]]\nname = \"acme\"\npath = \"oci://ghcr.io/acme/plugin:1.0\"\n[providers.verify]\n";
        Qmt4jException wrongType = assertThrows(Qmt4jException.class, () -> load("t.toml", head + "require_tlog = \"yes\"\n"));
        assertEquals(ErrorKind.CONFIG, wrongType.kind());
        assertTrue(wrongType.getMessage().contains("t.toml:5: providers[0].verify.require_tlog: expected true or false, got 'yes'"),
                wrongType.getMessage());
        Qmt4jException annotation = assertThrows(Qmt4jException.class, () -> load("a.toml", head + "annotations = { build = 7 }\n"));
        assertTrue(annotation.getMessage().contains("providers[0].verify.annotations.build: expected a string, got 7"),
                annotation.getMessage());
        // qmt4j's own table: an unknown key is an error even when the file is read leniently
        Qmt4jException unknown = assertThrows(Qmt4jException.class, () -> load("u.toml", head + "cert_isuer = \"x\"\n"));
        assertTrue(unknown.getMessage().contains("u.toml:5: providers[0].verify.cert_isuer: unknown key 'cert_isuer'"),
                unknown.getMessage());
        assertTrue(String.valueOf(unknown.hint()).contains("did you mean 'cert_issuer'?"), unknown.toString());
    }

    /**
     * {@code cert_issuer: null} in a provider's block is recorded as unset, as in {@code [oci]}, so {@code cert_url}
     * there does not silently take the GitHub Actions default (docs/verification.md refuses that combination).
     */
    @Test
    void nullKeysInAProviderVerifyBlockAreExplicitlyUnset() throws IOException {
        ConfigFile config = load("providers.json", """
                {"providers": [{"name": "acme", "path": "oci://ghcr.io/acme/plugin:1.0",
                  "verify": {"cert_url": "https://github.com/acme/x/.github/workflows/r.yml@refs/tags/v1", "cert_issuer": null}}]}
                """);
        VerifyPolicySettings v = config.providers().get(0).verify().orElseThrow();
        assertEquals(java.util.Set.of("cert_issuer"), v.explicitlyUnset());
        assertEquals(Optional.empty(), v.certIssuer());
    }

    /** The same keys read from two files are the same policy: the origin names where, it is not part of what. */
    @Test
    void originIsNotPartOfEquality() throws IOException {
        VerifyPolicySettings a = load("a.toml", "[oci]\ncert_issuer = \"https://i\"\n").oci().verify();
        VerifyPolicySettings b = load("b.json", "{\"oci\": {\"cert_issuer\": \"https://i\"}}").oci().verify();
        assertTrue(a.origin().startsWith(dir.resolve("a.toml") + ":"), a.origin());
        assertTrue(b.origin().startsWith(dir.resolve("b.json") + ":"), b.origin());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }
}
