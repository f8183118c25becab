package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.LockedProvider.LockedPlatform;
import dev.qmt4j.oci.Signer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lockfile's TOML: sorted, escaped, read back to the same values; malformed files are CONFIG errors. */
class LockFileTest {
    @TempDir
    Path tmp;

    private static final String D = "sha256:" + "a".repeat(64);

    @Test
    void writesSortedEscapedTomlAndReadsItBack() {
        LockedProvider.Oci oci = new LockedProvider.Oci("z-oci", "oci://ghcr.io/org/p:1", Optional.of("1"), D,
                List.of(new LockedPlatform(Optional.of("linux/amd64"), D, "native", D),
                        new LockedPlatform(Optional.of("wasi/wasm"), D, "wasm", D)),
                Optional.of(new Signer.Keyless("ci@example.com \"quoted\"", Optional.of("https://issuer"))),
                List.of("sha256:" + "c".repeat(64), "sha256:" + "b".repeat(64)));
        LockedProvider.File file = new LockedProvider.File("a-local", "plugins\\echo.wasm", "b".repeat(64));
        LockFile lock = new LockFile(List.of(oci, file));
        String text = lock.toToml();
        assertTrue(text.indexOf("a-local") < text.indexOf("z-oci"), text);
        assertTrue(text.contains("reference = \"plugins\\\\echo.wasm\""), text);
        assertTrue(text.indexOf("b".repeat(64) + "\", \"sha256:" + "c".repeat(64)) > 0, "signatures sorted: " + text);
        lock.write(tmp.resolve("qmt4j.lock"));
        LockFile read = LockFile.read(tmp.resolve("qmt4j.lock"));
        assertEquals(lock, read);
        assertEquals(text, read.toToml());
    }

    @Test
    void anotherVersionOrAMissingKeyIsAConfigErrorAndNoFileIsNotFound() throws IOException {
        Files.writeString(tmp.resolve("v2.lock"), "version = 2\n");
        Qmt4jException v = assertThrows(Qmt4jException.class, () -> LockFile.read(tmp.resolve("v2.lock")));
        assertEquals(ErrorKind.CONFIG, v.kind());
        assertTrue(v.getMessage().contains("version must be 1"), v.getMessage());
        Files.writeString(tmp.resolve("bad.lock"), "version = 1\n[[provider]]\nname = \"x\"\n");
        Qmt4jException k = assertThrows(Qmt4jException.class, () -> LockFile.read(tmp.resolve("bad.lock")));
        assertTrue(k.getMessage().contains("'reference'"), k.getMessage());
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(Qmt4jException.class, () -> LockFile.read(tmp.resolve("none.lock"))).kind());
    }

    @Test
    void bothSignerKindsRoundTripToEqualSigners() {
        Signer key = new Signer.Key("sha256:" + "d".repeat(64));
        // Values that carry the summary text's own labels and separators stay one TOML string each.
        Signer cert = new Signer.Keyless("https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1 issuer=x, Rekor log index 1",
                Optional.of("https://token.actions.githubusercontent.com\nsigner_key = \"sha256:00\""));
        Signer noIssuer = new Signer.Keyless("", Optional.empty());
        LockFile lock = new LockFile(List.of(oci("a", key), oci("b", cert), oci("c", noIssuer), oci("d", null)));
        lock.write(tmp.resolve("qmt4j.lock"));
        LockFile read = LockFile.read(tmp.resolve("qmt4j.lock"));
        assertEquals(Optional.of(key), signerOf(read, "a"));
        assertEquals(Optional.of(cert), signerOf(read, "b"));
        assertEquals(Optional.of(noIssuer), signerOf(read, "c"));
        assertEquals(Optional.empty(), signerOf(read, "d"));
        assertEquals(lock, read);
    }

    /** A lockfile as qmt4j wrote it before signers were structured (same keys): read to the same signers. */
    @Test
    void aLockWrittenBeforeStructuredSignersIsRead() throws IOException {
        Files.writeString(tmp.resolve("old.lock"), """
                # qmt4j lockfile, written by 'qmt4j lock'; see docs/locking.md. Change it with 'qmt4j lock --update'.
                version = 1

                [[provider]]
                name = "keyed"
                reference = "oci://ghcr.io/org/keyed:1"
                tag = "1"
                digest = "%1$s"
                signer_key = "sha256:ab"
                signatures = ["%1$s"]

                [[provider.platform]]
                manifest = "%1$s"
                type = "wasm"
                layer = "%1$s"

                [[provider]]
                name = "keyless"
                reference = "oci://ghcr.io/org/keyless:1"
                tag = "1"
                digest = "%1$s"
                signer_issuer = "https://token.actions.githubusercontent.com"
                signer_identity = "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1"
                signatures = []
                """.formatted(D));
        LockFile read = LockFile.read(tmp.resolve("old.lock"));
        assertEquals(Optional.of(new Signer.Key("sha256:ab")), signerOf(read, "keyed"));
        assertEquals(Optional.of(new Signer.Keyless("https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1",
                Optional.of("https://token.actions.githubusercontent.com"))), signerOf(read, "keyless"));
    }

    @Test
    void aKeyAndACertificateIdentityTogetherAreMalformed() throws IOException {
        Files.writeString(tmp.resolve("both.lock"), """
                version = 1

                [[provider]]
                name = "p"
                reference = "oci://ghcr.io/org/p:1"
                digest = "%s"
                signer_key = "sha256:ab"
                signer_identity = "ci@example.com"
                """.formatted(D));
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> LockFile.read(tmp.resolve("both.lock")));
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("both signer_key and signer_identity"), e.getMessage());
    }

    private static LockedProvider.Oci oci(String name, Signer signer) {
        return new LockedProvider.Oci(name, "oci://ghcr.io/org/" + name + ":1", Optional.of("1"), D, List.of(),
                Optional.ofNullable(signer), List.of());
    }

    private static Optional<Signer> signerOf(LockFile lock, String name) {
        return ((LockedProvider.Oci) lock.find(name).orElseThrow()).signer();
    }
}
