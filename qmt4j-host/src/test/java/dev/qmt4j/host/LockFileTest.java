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
}
