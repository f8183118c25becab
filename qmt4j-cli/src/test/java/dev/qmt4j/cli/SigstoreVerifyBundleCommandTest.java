package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** {@code qmt4j sigstore verify-bundle} on sigstore-conformance cases, in-process. */
class SigstoreVerifyBundleCommandTest {
    static final String IDENTITY = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
            + ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    static final String ISSUER = "https://token.actions.githubusercontent.com";
    static final String A_TXT_SHA256 = "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";

    @TempDir
    Path tmp;

    static Path cases() {
        String env = System.getenv("QMT4J_SHARED_DIR");
        Path shared;
        if (System.getProperty("qmt4j.shared.dir") != null) {
            shared = Path.of(System.getProperty("qmt4j.shared.dir"));
        } else if (env != null && !env.isBlank()) {
            shared = Path.of(env);
        } else {
            shared = Path.of("").toAbsolutePath().getParent().resolve("../shared").normalize();
            if (!Files.isDirectory(shared.resolve("testdata/sigstore"))) {
                shared = Path.of("/work/shared");
            }
        }
        return shared.resolve("testdata/sigstore/sigstore-conformance/bundle-verify");
    }

    Cli.Result run(String... args) {
        return new Cli(tmp).run(args);
    }

    @Test
    void happyPathWithFileVerifies() {
        Path c = cases();
        Cli.Result r = run("sigstore", "verify-bundle", "--bundle", c.resolve("happy-path-v0.3/bundle.sigstore.json").toString(),
                "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, c.resolve("a.txt").toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Verified OK"), r::toString);
        assertTrue(r.out().contains(IDENTITY), r::toString);
    }

    @Test
    void happyPathWithDigestVerifies() {
        Path c = cases();
        Cli.Result r = run("sigstore", "verify-bundle", "--bundle", c.resolve("happy-path-v0.2/bundle.sigstore.json").toString(),
                "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, A_TXT_SHA256);
        assertEquals(0, r.exitCode(), r::toString);
    }

    @Test
    void wrongIdentityIsRefusedWithTheIdentityFound() {
        Path c = cases();
        Cli.Result r = run("sigstore", "verify-bundle", "--bundle", c.resolve("happy-path-v0.3/bundle.sigstore.json").toString(),
                "--certificate-identity", "https://github.com/evil/x/.github/workflows/y.yml@refs/heads/main",
                "--certificate-oidc-issuer", ISSUER, c.resolve("a.txt").toString());
        assertEquals(8, r.exitCode(), r::toString);
        assertTrue(r.err().contains("IDENTITY"), r::toString);
        assertTrue(r.err().contains(IDENTITY), r::toString);
    }

    @Test
    void customTrustedRootAndKey() {
        Path c = cases().resolve("managed-key-and-trusted-root");
        Cli.Result r = run("sigstore", "verify-bundle", "--bundle", c.resolve("bundle.sigstore.json").toString(),
                "--key", c.resolve("key.pub").toString(), "--trusted-root", c.resolve("trusted_root.json").toString(),
                cases().resolve("a.txt").toString());
        assertEquals(0, r.exitCode(), r::toString);
    }

    @Test
    void failingCaseExitsNonZero() {
        Path c = cases();
        Cli.Result r = run("sigstore", "verify-bundle", "--bundle", c.resolve("set-invalid-signature_fail/bundle.sigstore.json").toString(),
                "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, c.resolve("a.txt").toString());
        assertEquals(8, r.exitCode(), r::toString);
        assertTrue(r.err().contains("TLOG_SET"), r::toString);
    }

    @Test
    void keylessWithoutIssuerIsAUsageError() {
        Path c = cases();
        Cli.Result r = run("sigstore", "verify-bundle", "--bundle", c.resolve("happy-path-v0.3/bundle.sigstore.json").toString(),
                "--certificate-identity", IDENTITY, c.resolve("a.txt").toString());
        assertEquals(2, r.exitCode(), r::toString);
    }

    @Test
    void stagingWithoutTrustedRootIsAConfigError() {
        Path c = cases();
        Cli.Result r = run("sigstore", "verify-bundle", "--staging", "--bundle", c.resolve("happy-path-v0.3/bundle.sigstore.json").toString(),
                "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, c.resolve("a.txt").toString());
        assertEquals(3, r.exitCode(), r::toString);
    }

    /** The whole bundle-verify suite through the CLI, as the sigstore-conformance harness would call it. */
    @TestFactory
    Stream<DynamicTest> conformanceSuiteThroughTheCli() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(cases())) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            List<String> args = new ArrayList<>(List.of("sigstore", "verify-bundle", "--bundle", dir.resolve("bundle.sigstore.json").toString()));
            if (Files.exists(dir.resolve("key.pub"))) {
                args.addAll(List.of("--key", dir.resolve("key.pub").toString()));
            } else {
                args.addAll(List.of("--certificate-identity", readOr(dir.resolve("identity"), IDENTITY),
                        "--certificate-oidc-issuer", readOr(dir.resolve("issuer"), ISSUER)));
            }
            if (Files.exists(dir.resolve("trusted_root.json"))) {
                args.addAll(List.of("--trusted-root", dir.resolve("trusted_root.json").toString()));
            }
            Path artifact = Files.exists(dir.resolve("artifact")) ? dir.resolve("artifact") : cases().resolve("a.txt");
            args.add(artifact.toString());
            Cli.Result r = run(args.toArray(String[]::new));
            boolean expectPass = !dir.getFileName().toString().endsWith("_fail");
            assertEquals(expectPass, r.exitCode() == 0, r::toString);
        }));
    }

    static String readOr(Path p, String dflt) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8).strip() : dflt;
    }
}
