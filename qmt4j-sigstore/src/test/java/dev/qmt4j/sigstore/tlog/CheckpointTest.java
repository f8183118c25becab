package dev.qmt4j.sigstore.tlog;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.testing.TestPki;
import dev.qmt4j.sigstore.trust.TransparencyLog;
import dev.qmt4j.sigstore.trust.ValidityPeriod;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Signed-note checkpoints: parsing, origin, key hint, name and signature (https://github.com/C2SP/C2SP/blob/main/signed-note.md; rejection case 39). */
class CheckpointTest {
    static final byte[] ROOT = new byte[32];
    final KeyPair ed = ed25519();
    final byte[] logId = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
    final TransparencyLog log = new TransparencyLog("https://log.example.dev", logId, ed.getPublic(), "PKIX_ED25519", ValidityPeriod.ALWAYS);

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String note(String origin, String name, byte[] hint, KeyPair key) {
        String body = origin + "\n736\n" + Base64.getEncoder().encodeToString(ROOT) + "\n";
        byte[] sig = TestPki.sign("Ed25519", key.getPrivate(), body.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(hint);
        b.writeBytes(sig);
        return body + "\n\u2014 " + name + " " + Base64.getEncoder().encodeToString(b.toByteArray()) + "\n";
    }

    byte[] hint() {
        return Arrays.copyOf(logId, 4);
    }

    @Test
    void validCheckpointVerifies() throws Exception {
        Checkpoint cp = Checkpoint.parse(note("log.example.dev", "log.example.dev", hint(), ed));
        assertEquals(736, cp.treeSize());
        assertDoesNotThrow(() -> RekorVerifier.verifyCheckpoint(log, cp));
    }

    @Test
    void rekorV1OriginWithTreeIdIsAccepted() throws Exception {
        Checkpoint cp = Checkpoint.parse(note("log.example.dev - 1193050959916656506", "log.example.dev", hint(), ed));
        assertDoesNotThrow(() -> RekorVerifier.verifyCheckpoint(log, cp));
    }

    @Test
    void wrongOriginNameHintOrKeyIsRejected() throws Exception {
        for (String n : new String[] {
                note("evil.example.dev", "log.example.dev", hint(), ed),
                note("log.example.dev", "evil.example.dev", hint(), ed),
                note("log.example.dev", "log.example.dev", new byte[] {9, 9, 9, 9}, ed),
                note("log.example.dev", "log.example.dev", hint(), ed25519())}) {
            Checkpoint cp = Checkpoint.parse(n);
            VerificationException e = assertThrows(VerificationException.class, () -> RekorVerifier.verifyCheckpoint(log, cp));
            assertEquals(Check.TLOG_CHECKPOINT, e.check());
        }
    }

    @Test
    void malformedCheckpointsAreRejected() {
        String good = note("log.example.dev", "log.example.dev", hint(), ed);
        for (String n : new String[] {"", "no blank line", good.replace("\n736\n", "\n-1\n"), good.replace("\n736\n", "\n0736\n"),
                good.substring(0, good.indexOf("\n\n") + 2), good.replace("\u2014 ", "- ")}) {
            VerificationException e = assertThrows(VerificationException.class, () -> Checkpoint.parse(n), n);
            assertEquals(Check.TLOG_CHECKPOINT, e.check());
        }
    }
}
