package dev.qmt4j.sigstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.ConfigFile;
import dev.qmt4j.oci.ImageRef;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy the keys of a verify block or of {@code [oci]} contradict is refused with the file and line of that
 * table, as qmt4j-config read it, so the user knows which of several blocks to fix.
 */
class PolicyOriginTest {
    @TempDir
    Path dir;

    @Test
    void contradictoryKeysAreReportedWithTheFileAndLineOfTheirTable() throws Exception {
        Path file = Files.writeString(dir.resolve("providers.toml"), """
                [oci]
                cert_issuer = "https://token.actions.githubusercontent.com"
                cert_issuer_regexp = "^https://token\\\\.actions\\\\."
                cert_url = "https://github.com/acme/p/.github/workflows/r.yml@refs/tags/v1"

                [[providers]]
                name = "acme"
                path = "oci://ghcr.io/acme/plugin:1.0"
                [providers.verify]
                public_key = "cosign.pub"
                cert_email = "ci@acme.example"
                """);
        ConfigFile config = ConfigFile.load(file);
        ImageRef ref = ImageRef.parse("oci://ghcr.io/acme/plugin:1.0");
        PolicyResolver provider = new PolicyResolver(config.oci().verify(), r -> config.providers().get(0).verify(),
                PolicyFlags.none());
        Qmt4jException p = assertThrows(Qmt4jException.class, () -> provider.resolve(ref));
        assertEquals(ErrorKind.CONFIG, p.kind());
        assertTrue(p.getMessage().startsWith(file + ":"), p.getMessage());
        assertTrue(p.getMessage().contains(": verify block of provider 'acme': public_key cannot be combined with cert_email"),
                p.getMessage());

        PolicyResolver oci = new PolicyResolver(config.oci().verify(), r -> java.util.Optional.empty(), PolicyFlags.none());
        Qmt4jException o = assertThrows(Qmt4jException.class, () -> oci.resolve(ref));
        assertTrue(o.getMessage().startsWith(file + ":1: [oci]: give cert_issuer or cert_issuer_regexp, not both"), o.getMessage());
    }
}
