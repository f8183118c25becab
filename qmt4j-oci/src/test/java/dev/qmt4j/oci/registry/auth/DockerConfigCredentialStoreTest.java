package dev.qmt4j.oci.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigCredentialStoreTest {
    @TempDir
    Path tmp;

    private DockerConfigCredentialStore store(String dockerConfigJson, Map<String, String> extraEnv) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("docker"));
        Files.writeString(dir.resolve("config.json"), dockerConfigJson);
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        helper(bin, "test", "{\"ServerURL\":\"x\",\"Username\":\"helper-user\",\"Secret\":\"helper-secret\"}", 0);
        helper(bin, "tokens", "{\"Username\":\"<token>\",\"Secret\":\"refresh-me\"}", 0);
        helper(bin, "broken", "boom", 3);
        helper(bin, "empty", "credentials not found in native keychain", 1);
        java.util.HashMap<String, String> env = new java.util.HashMap<>(Map.of("DOCKER_CONFIG", dir.toString(), "PATH", bin.toString()));
        env.putAll(extraEnv);
        return new DockerConfigCredentialStore(env, tmp.resolve("home"));
    }

    /** A real docker-credential-NAME script that echoes its stdin server URL to a file and prints {@code output}. */
    private void helper(Path bin, String name, String output, int exit) throws Exception {
        Path script = bin.resolve("docker-credential-" + name);
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = get ] || exit 9\ncat > \"$0.asked\"\nprintf '%s' '" + output + "'\nexit " + exit + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authsEntriesByHostUrlAndDockerHubLegacyKey() throws Exception {
        DockerConfigCredentialStore s = store("{\"auths\":{"
                + "\"ghcr.io\":{\"auth\":\"" + b64("alice:pa:ss") + "\"},"
                + "\"https://quay.io/v1/\":{\"username\":\"bob\",\"password\":\"pw\"},"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:secret") + "\"},"
                + "\"127.0.0.1:5000\":{\"identitytoken\":\"idt\"}}}", Map.of());
        assertEquals(Optional.of(new Credentials.Basic("alice", "pa:ss")), s.lookup("ghcr.io"));
        assertEquals(Optional.of(new Credentials.Basic("bob", "pw")), s.lookup("quay.io"));
        assertEquals(Optional.of(new Credentials.Basic("hub", "secret")), s.lookup("docker.io"));
        assertEquals(Optional.of(new Credentials.IdentityToken("idt")), s.lookup("127.0.0.1:5000"));
        assertEquals(Optional.empty(), s.lookup("example.com"));
    }

    @Test
    void credHelpersWinAndCredsStoreIsTheDefault() throws Exception {
        DockerConfigCredentialStore s = store("{\"credsStore\":\"tokens\",\"credHelpers\":{\"ghcr.io\":\"test\"},"
                + "\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("ignored:x") + "\"}}}", Map.of());
        assertEquals(Optional.of(new Credentials.Basic("helper-user", "helper-secret")), s.lookup("ghcr.io"));
        assertEquals("ghcr.io", Files.readString(tmp.resolve("bin/docker-credential-test.asked")));
        assertEquals(Optional.of(new Credentials.IdentityToken("refresh-me")), s.lookup("docker.io"));
        assertEquals("https://index.docker.io/v1/", Files.readString(tmp.resolve("bin/docker-credential-tokens.asked")));
    }

    @Test
    void failingHelperIsAnAuthErrorNamingIt() throws Exception {
        DockerConfigCredentialStore s = store("{\"credHelpers\":{\"a.io\":\"broken\",\"c.io\":\"empty\"}}", Map.of());
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> s.lookup("a.io"));
        assertEquals(ErrorKind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("docker-credential-broken") && e.getMessage().contains("exit 3"), e.getMessage());
        assertEquals(Optional.empty(), s.lookup("c.io"), "'not found' from a helper means anonymous");
        assertEquals(new CredentialLookup.None(), s.find("c.io"));
    }

    @Test
    void aMissingHelperMeansAnonymousAndIsReportedNotThrown() throws Exception {
        DockerConfigCredentialStore s = store("{\"credsStore\":\"desktop\",\"credHelpers\":{\"b.io\":\"gone\"}}", Map.of());
        Path config = tmp.resolve("docker/config.json");
        assertEquals(Optional.empty(), s.lookup("ghcr.io"), "public images still pull");
        assertEquals(new CredentialLookup.HelperMissing("docker-credential-desktop", "credsStore", config), s.find("ghcr.io"));
        CredentialLookup.HelperMissing gone = (CredentialLookup.HelperMissing) s.find("b.io");
        assertEquals("docker-credential-gone", gone.program());
        assertEquals("credHelpers", gone.configKey());
        assertEquals("the credential helper docker-credential-gone (credHelpers in " + config + ") is not installed",
                gone.explanation());
        assertTrue(gone.hint("b.io").contains("install docker-credential-gone on PATH, or remove \"credHelpers\" from " + config),
                gone.hint("b.io"));
        assertTrue(gone.hint("b.io").contains("docker login b.io"), gone.hint("b.io"));
    }

    @Test
    void aMissingHelperDoesNotHideCredentialsInALaterFile() throws Exception {
        Path authFile = tmp.resolve("auth.json");
        Files.writeString(authFile, "{\"auths\":{\"registry.example\":{\"auth\":\"" + b64("pod:man") + "\"}}}");
        DockerConfigCredentialStore s = store("{\"credsStore\":\"desktop\"}", Map.of("REGISTRY_AUTH_FILE", authFile.toString()));
        assertEquals(new CredentialLookup.Found(new Credentials.Basic("pod", "man")), s.find("registry.example"));
    }

    @Test
    void invalidConfigMeansAnonymousAndAuthFilesAreConsulted() throws Exception {
        Path authFile = tmp.resolve("auth.json");
        Files.writeString(authFile, "{\"auths\":{\"registry.example\":{\"auth\":\"" + b64("pod:man") + "\"}}}");
        DockerConfigCredentialStore s = store("{ not json", Map.of("REGISTRY_AUTH_FILE", authFile.toString()));
        assertEquals(Optional.empty(), s.lookup("ghcr.io"));
        assertEquals(Optional.of(new Credentials.Basic("pod", "man")), s.lookup("registry.example"));
    }

    @Test
    void aHungHelperIsKilledWithItsChildrenAfterTheTimeoutAndNamed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("docker"));
        Files.writeString(dir.resolve("config.json"), "{\"credHelpers\":{\"hang.io\":\"hung\"}}");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path pids = tmp.resolve("pids");
        // A real helper that starts a child holding its stdout open, then waits for ever (a keychain prompt nobody answers).
        Path script = bin.resolve("docker-credential-hung");
        Files.writeString(script, "#!/bin/sh\nsleep 300 &\necho $! > '" + pids + "'\necho $$ >> '" + pids + "'\nsleep 300\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        DockerConfigCredentialStore s = new DockerConfigCredentialStore(
                Map.of("DOCKER_CONFIG", dir.toString(), "PATH", bin.toString()), tmp.resolve("home"), java.time.Duration.ofSeconds(1));

        long start = System.nanoTime();
        Qmt4jException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(15),
                () -> assertThrows(Qmt4jException.class, () -> s.lookup("hang.io")));
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "bounded by the 1 s timeout");
        assertEquals(ErrorKind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("credential helper docker-credential-hung") && e.getMessage().contains("timed out after 1 s"),
                e.getMessage());
        for (String pid : Files.readAllLines(pids)) {
            java.util.Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(pid.trim()));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (p.isPresent() && p.get().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(p.isEmpty() || !p.get().isAlive(), "process " + pid + " of the helper was killed");
        }
    }

    @Test
    void defaultLocationsUnderHome() {
        DockerConfigCredentialStore s = new DockerConfigCredentialStore(Map.of("XDG_RUNTIME_DIR", "/run/user/1"), Path.of("/h"));
        assertEquals(java.util.List.of(Path.of("/h/.docker/config.json"), Path.of("/run/user/1/containers/auth.json"),
                Path.of("/h/.config/containers/auth.json")), s.configFiles());
    }
}
