package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.RegistrySource;
import dev.qmt4j.oci.registry.RegistryTarget;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.sigstore.TestSigstore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

/** Small plugin files for tests (a fake Wasm module, fake shared libraries), and a keyless-signed push. */
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

    /**
     * Pushes {@code wasm} to {@code ref} with the CLI and signs the pushed digest keyless as {@code id} with
     * {@code sigstore} (a private Fulcio/CT/Rekor), as cosign would attach it; returns the digest.
     */
    static Digest pushSignedKeyless(Cli cli, String ref, Path wasm, TestSigstore sigstore, TestSigstore.Identity id) {
        assertEquals(0, cli.run("push", ref, "--wasm", wasm.toString()).exitCode());
        RegistryRef r = (RegistryRef) ImageRef.parse(ref);
        RegistryClient client = new RegistryClient(RegistryOptions.builder().credentials(CredentialStore.anonymous())
                .proxySelector(null).connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(20)).build());
        try (RegistrySource s = client.source(r); RegistryTarget t = client.target(r)) {
            Digest d = s.resolve().digest();
            sigstore.signKeyless(s, t, d, r.name(), id);
            return d;
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
