package dev.qmt4j.oci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.auth.DockerConfigCredentialStore;
import dev.qmt4j.testkit.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker credential helpers as real shell scripts on a private PATH, against real registries: an htpasswd
 * (Basic) one and a token one that lets anonymous users pull. A helper the config names but that is not
 * installed (a {@code "credsStore": "desktop"} copied to a server) no longer breaks public pulls, and a refusal
 * names it; a helper that is installed but fails stays an error.
 */
class CredentialHelperTest {
    private static RegistryServer basic;
    private static RegistryServer publicPull;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        basic = RegistryServer.start(RegistryServer.Auth.BASIC);
        publicPull = RegistryServer.start(RegistryServer.Auth.TOKEN, true);
        // Something to pull anonymously.
        RegistryRoundTripTest.push(new RegistryClient(TestImages.options(publicPull).build()),
                TestImages.ref(publicPull.host(), "public/plugin", "1"), TestImages.image(2_000, 21));
    }

    @AfterAll
    static void stop() {
        basic.close();
        publicPull.close();
    }

    /** A client whose credentials come from {@code configJson} with {@code bin} as the whole PATH. */
    private RegistryClient client(String configJson, Path bin) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("docker"));
        Files.writeString(dir.resolve("config.json"), configJson);
        DockerConfigCredentialStore store = new DockerConfigCredentialStore(
                Map.of("DOCKER_CONFIG", dir.toString(), "PATH", bin.toString()), tmp.resolve("home"));
        return new RegistryClient(TestImages.options(null).credentials(store).build());
    }

    private Path helper(String name, String script) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path file = bin.resolve("docker-credential-" + name);
        Files.writeString(file, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }

    @Test
    void aHelperOnPathSuppliesTheCredentials() throws Exception {
        Path bin = helper("test", "[ \"$1\" = get ] || exit 9\nread server\n"
                + "printf '{\"ServerURL\":\"%s\",\"Username\":\"" + basic.username() + "\",\"Secret\":\"" + basic.password() + "\"}' \"$server\"\n");
        RegistryClient client = client("{\"credsStore\":\"test\"}", bin);
        RegistryRef ref = TestImages.ref(basic.host(), "helper/plugin", "1");
        TestImages.Image image = RegistryRoundTripTest.push(client, ref, TestImages.image(3_000, 22));
        assertEquals(image.manifestDigest(), client.source(ref).resolve().digest());
    }

    @Test
    void aMissingCredsStoreHelperStillPullsPublicImages() throws Exception {
        RegistryClient client = client("{\"credsStore\":\"desktop\"}", Files.createDirectories(tmp.resolve("empty-bin")));
        RegistryRef ref = TestImages.ref(publicPull.host(), "public/plugin", "1");
        assertEquals(TestImages.image(2_000, 21).manifestDigest(), client.source(ref).resolve().digest());
    }

    @Test
    void aRegistryThatRefusesNamesTheMissingHelperAndTheFix() throws Exception {
        Path config = tmp.resolve("docker/config.json");
        RegistryClient client = client("{\"credsStore\":\"desktop\"}", Files.createDirectories(tmp.resolve("empty-bin")));

        Qmt4jException basicRefusal = assertThrows(Qmt4jException.class,
                () -> client.source(TestImages.ref(basic.host(), "private/plugin", "1")).resolve());
        assertEquals(ErrorKind.AUTH, basicRefusal.kind());
        assertTrue(basicRefusal.getMessage().contains("registry " + basic.host() + " requires a user name and password"),
                basicRefusal.getMessage());
        assertTrue(basicRefusal.getMessage().contains("the credential helper docker-credential-desktop (credsStore in " + config
                + ") is not installed"), basicRefusal.getMessage());
        assertTrue(basicRefusal.hint().contains("install docker-credential-desktop on PATH, or remove \"credsStore\""),
                basicRefusal.hint());
        assertTrue(basicRefusal.hint().contains("docker login " + basic.host()), basicRefusal.hint());

        // A push needs more than anonymous pull: the token service refuses, and the message says why.
        Qmt4jException tokenRefusal = assertThrows(Qmt4jException.class, () -> RegistryRoundTripTest.push(client,
                TestImages.ref(publicPull.host(), "public/other", "1"), TestImages.image(100, 23)));
        assertEquals(ErrorKind.AUTH, tokenRefusal.kind());
        assertTrue(tokenRefusal.getMessage().contains("docker-credential-desktop"), tokenRefusal.getMessage());
    }

    @Test
    void anInstalledHelperThatFailsStaysAnError() throws Exception {
        Path bin = helper("broken", "echo 'keychain locked' >&2\nexit 2\n");
        RegistryClient client = client("{\"credsStore\":\"broken\"}", bin);
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> client.source(TestImages.ref(basic.host(), "private/plugin", "1")).resolve());
        assertEquals(ErrorKind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("credential helper docker-credential-broken failed") && e.getMessage().contains("keychain locked"),
                e.getMessage());
        assertFalse(e.getMessage().contains("not installed"), e.getMessage());
    }
}
