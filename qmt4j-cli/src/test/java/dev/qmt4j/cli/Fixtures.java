package dev.qmt4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Small plugin files for tests: a fake Wasm module and fake shared libraries. */
final class Fixtures {
    private Fixtures() {}

    /** A file with the Wasm magic and version followed by {@code size} seeded random bytes. */
    static Path wasm(Path dir, String name, int size, long seed) throws IOException {
        byte[] body = new byte[8 + size];
        new Random(seed).nextBytes(body);
        System.arraycopy(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, 0, body, 0, 8);
        Path file = dir.resolve(name);
        Files.write(file, body);
        return file;
    }

    /** An ELF-looking shared library of a few bytes. */
    static Path library(Path dir, String name, String marker) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, ("\u007fELF fake library " + marker).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return file;
    }

    static String sha256(Path file) throws IOException {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
