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
}
