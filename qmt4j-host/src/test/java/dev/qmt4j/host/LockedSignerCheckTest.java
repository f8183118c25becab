package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.ProviderEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link LockedMode#checkSigner}: the verifier's signer must be the locked one, exactly. */
class LockedSignerCheckTest {
    private static final String D = "sha256:" + "1".repeat(64);
    private static final ProviderEntry ENTRY = new ProviderEntry("p", "oci://ghcr.io/org/p:1", Map.of(), Optional.empty(),
            Optional.empty(), Optional.empty(), Map.of());

    private static LockedMode lockedTo(LockedProvider.LockedSigner signer) {
        LockedProvider.Oci oci = new LockedProvider.Oci("p", "oci://ghcr.io/org/p:1", Optional.of("1"), D, List.of(),
                Optional.of(signer), List.of());
        return new LockedMode(new LockFile(List.of(oci)), Path.of("qmt4j.lock"));
    }

    private static Optional<String> summary(String signer) {
        return Optional.of("verified " + D + ": " + signer + ", Rekor log index 7, integrated 2026-12-07T00:00:00Z");
    }

    @Test
    void aKeyMatchesOnlyItsOwnFingerprint() {
        LockedMode m = lockedTo(new LockedProvider.LockedSigner(Optional.empty(), Optional.empty(), Optional.of("sha256:ab")));
        assertDoesNotThrow(() -> m.checkSigner(ENTRY, summary("signed with key sha256:ab")));
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> m.checkSigner(ENTRY, summary("signed with key sha256:abc")));
        assertEquals(ErrorKind.VERIFICATION, e.kind());
        assertThrows(Qmt4jException.class, () -> m.checkSigner(ENTRY, Optional.empty()));
    }

    @Test
    void anIdentityMatchesItsIssuerExactlyAndMayCarryMoreCertificateFields() {
        String issuer = "https://token.actions.githubusercontent.com";
        LockedMode m = lockedTo(new LockedProvider.LockedSigner(Optional.of(issuer), Optional.of("https://github.com/o/r"), Optional.empty()));
        assertDoesNotThrow(() -> m.checkSigner(ENTRY, summary("signed by identity=https://github.com/o/r issuer=" + issuer)));
        assertDoesNotThrow(() -> m.checkSigner(ENTRY,
                summary("signed by identity=https://github.com/o/r issuer=" + issuer + " github_workflow_repository=o/r")));
        // an issuer that only starts with the locked one is another issuer
        assertThrows(Qmt4jException.class, () -> m.checkSigner(ENTRY,
                summary("signed by identity=https://github.com/o/r issuer=" + issuer + ".attacker.example")));
        assertThrows(Qmt4jException.class, () -> m.checkSigner(ENTRY,
                summary("signed by identity=https://github.com/o/r2 issuer=" + issuer)));
    }
}
