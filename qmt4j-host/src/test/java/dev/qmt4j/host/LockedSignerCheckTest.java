package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.ProviderEntry;
import dev.qmt4j.oci.Signer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link LockedMode#checkSigner}: the verifier's structured signer must equal the locked one. The summary
 * text is only shown; a certificate whose fields imitate it changes nothing (the end-to-end case with a
 * real certificate is qmt4j-cli's CliLockKeylessTest).
 */
class LockedSignerCheckTest {
    private static final String D = "sha256:" + "1".repeat(64);
    private static final String ISSUER = "https://token.actions.githubusercontent.com";
    private static final String IDENTITY = "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1";
    private static final ProviderEntry ENTRY = new ProviderEntry("p", "oci://ghcr.io/org/p:1", Map.of(), Optional.empty(),
            Optional.empty(), Optional.empty(), Map.of());

    private static LockedMode lockedTo(Signer signer) {
        LockedProvider.Oci oci = new LockedProvider.Oci("p", "oci://ghcr.io/org/p:1", Optional.of("1"), D, List.of(),
                Optional.of(signer), List.of());
        return new LockedMode(new LockFile(List.of(oci)), Path.of("qmt4j.lock"));
    }

    private static void check(LockedMode m, Signer got) {
        m.checkSigner(ENTRY, Optional.of(got), Optional.of("verified " + D + ": (display only)"));
    }

    @Test
    void aKeyMatchesOnlyItsOwnFingerprint() {
        LockedMode m = lockedTo(new Signer.Key("sha256:ab"));
        assertDoesNotThrow(() -> check(m, new Signer.Key("sha256:ab")));
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> check(m, new Signer.Key("sha256:abc")));
        assertEquals(ErrorKind.VERIFICATION, e.kind());
        assertTrue(e.getMessage().contains("records the signer key sha256:ab, but it was signed by key sha256:abc"), e.getMessage());
        Qmt4jException none = assertThrows(Qmt4jException.class, () -> m.checkSigner(ENTRY, Optional.empty(), Optional.empty()));
        assertTrue(none.getMessage().contains("the plugin was not verified"), none.getMessage());
        // a certificate is never a key, whatever its identity says
        assertThrows(Qmt4jException.class, () -> check(m, new Signer.Keyless("sha256:ab", Optional.empty())));
    }

    @Test
    void anIdentityMatchesOnlyWithItsExactIssuer() {
        LockedMode m = lockedTo(new Signer.Keyless(IDENTITY, Optional.of(ISSUER)));
        assertDoesNotThrow(() -> check(m, new Signer.Keyless(IDENTITY, Optional.of(ISSUER))));
        assertThrows(Qmt4jException.class, () -> check(m, new Signer.Keyless(IDENTITY, Optional.of(ISSUER + ".attacker.example"))));
        assertThrows(Qmt4jException.class, () -> check(m, new Signer.Keyless(IDENTITY, Optional.empty())));
        assertThrows(Qmt4jException.class, () -> check(m, new Signer.Keyless(IDENTITY.replace("release", "nightly"), Optional.of(ISSUER))));
    }

    @Test
    void certificateFieldsThatImitateTheSummaryTextAreAnotherSigner() {
        LockedMode m = lockedTo(new Signer.Keyless(IDENTITY, Optional.of(ISSUER)));
        // The summary text of these would start with the locked "identity=I issuer=S", or be cut right after it.
        for (Signer lookAlike : List.of(
                new Signer.Keyless(IDENTITY + " issuer=" + ISSUER, Optional.of("https://attacker.example")),
                new Signer.Keyless(IDENTITY + " issuer=" + ISSUER + ", Rekor log index 1", Optional.of("https://attacker.example")),
                new Signer.Keyless(IDENTITY, Optional.of(ISSUER + " github_workflow_repository=o/r")),
                new Signer.Keyless(IDENTITY, Optional.of(ISSUER + ", integrated 2026-12-07T00:00:00Z")))) {
            Qmt4jException e = assertThrows(Qmt4jException.class, () -> check(m, lookAlike), lookAlike.toString());
            assertEquals(ErrorKind.VERIFICATION, e.kind());
        }
    }
}
