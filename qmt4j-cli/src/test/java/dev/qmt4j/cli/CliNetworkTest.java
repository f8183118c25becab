package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testkit.ForwardingProxy;
import dev.qmt4j.testkit.HttpsFileServer;
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testkit.TestCertificates;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' network set-ups through the command line: a registry behind an authenticating forwarding proxy
 * (reachable only through it, under {@value TestCertificates#PROXIED_NAME}, with a private CA), a wrong proxy
 * password, an unusable proxy variable, and a Docker config whose {@code credsStore} helper is not installed.
 */
class CliNetworkTest {
    private static final String USER = "ops";
    private static final String PASSWORD = "pr0xy:p@ss";

    @TempDir
    Path tmp;

    private Cli cli() {
        return new Cli(tmp.resolve("cache"));
    }

    private Path config(String toml) throws IOException {
        return Files.writeString(tmp.resolve("providers.toml"), toml);
    }

    private static long cachedPlugins(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> p.getFileName().toString().equals("plugin.wasm")).count();
        }
    }

    @Test
    void pullThroughAnAuthenticatingProxyAndAClearErrorForAWrongPassword() throws Exception {
        try (RegistryServer registry = RegistryServer.startTls(RegistryServer.Auth.NONE);
                ForwardingProxy proxy = ForwardingProxy.start(USER, PASSWORD).route(TestCertificates.PROXIED_NAME, "127.0.0.1")) {
            String ref = "oci://" + TestCertificates.PROXIED_NAME + ":" + registry.port() + "/net/hello:1";
            Path cfg = config("[oci]\ninsecure_skip_signature = true\nca_certificates = \""
                    + TestCertificates.shared().caCertificate() + "\"\n");
            Cli cli = cli();
            cli.env().put("HTTPS_PROXY", proxy.url(USER, PASSWORD));
            Cli.Result push = cli.run("--config", cfg.toString(), "push", ref, "--wasm", TestPlugins.path(TestPlugins.QMT_OPENAI).toString());
            assertEquals(0, push.exitCode(), push.toString());

            Cli.Result pulled = cli.run("--config", cfg.toString(), "pull", ref);
            assertEquals(0, pulled.exitCode(), pulled.toString());
            assertEquals(1, cachedPlugins(tmp.resolve("cache")));
            assertTrue(proxy.tunnels().stream().allMatch(t -> t.equals(TestCertificates.PROXIED_NAME + ":" + registry.port())),
                    proxy.tunnels().toString());

            Cli wrong = new Cli(tmp.resolve("cache2"));
            wrong.env().put("https_proxy", proxy.url(USER, "not-" + PASSWORD));
            Cli.Result refused = wrong.run("--config", cfg.toString(), "pull", ref);
            assertEquals(ErrorKind.AUTH.exitCode(), refused.exitCode(), refused.toString());
            assertTrue(refused.err().contains("error: proxy http://" + USER + "@127.0.0.1:" + proxy.port()
                    + " refused the user name and password of HTTPS_PROXY"), refused.toString());
            assertTrue(refused.err().contains("hint: check the user and password in HTTPS_PROXY"), refused.toString());
            assertFalse(refused.err().contains("p@ss") || refused.err().contains("p%40ss"), "never the password: " + refused);
            assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused);
            assertEquals(0, cachedPlugins(tmp.resolve("cache2")), "nothing cached");

            Cli bad = new Cli(tmp.resolve("cache3"));
            bad.env().put("HTTPS_PROXY", "socks5://" + USER + ":" + PASSWORD + "@127.0.0.1:1080");
            Cli.Result unusable = bad.run("--config", cfg.toString(), "pull", ref);
            assertEquals(ErrorKind.CONFIG.exitCode(), unusable.exitCode(), unusable.toString());
            assertTrue(unusable.err().contains("HTTPS_PROXY is not a usable proxy URL (socks5://***@127.0.0.1:1080)"), unusable.toString());
            assertFalse(unusable.err().contains("p@ss"), unusable.toString());
        }
    }

    @Test
    void anHttpsPluginIsDownloadedThroughTheProxyWithThePrivateCa() throws Exception {
        Path wasm = TestPlugins.path(TestPlugins.QMT_OPENAI);
        try (HttpsFileServer files = HttpsFileServer.start();
                ForwardingProxy proxy = ForwardingProxy.start(USER, PASSWORD).route(TestCertificates.PROXIED_NAME, "127.0.0.1")) {
            files.serve("/plugin.wasm", wasm);
            String url = "https://" + TestCertificates.PROXIED_NAME + ":" + files.port() + "/plugin.wasm";
            Path cfg = config("[[providers]]\nname = \"url\"\npath = \"" + url + "\"\nsha256 = \""
                    + Fixtures.sha256(wasm).substring("sha256:".length()) + "\"\n[oci]\nca_certificates = \""
                    + TestCertificates.shared().caCertificate() + "\"\n");
            Cli cli = cli();
            cli.env().put("HTTPS_PROXY", proxy.url(USER, PASSWORD));
            Cli.Result r = cli.run("--config", cfg.toString(), "providers");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(1, files.getCount("/plugin.wasm"));
            assertEquals(java.util.List.of(TestCertificates.PROXIED_NAME + ":" + files.port()), proxy.tunnels());
        }
    }

    @Test
    void aMissingCredsStoreHelperIsNamedWhenTheRegistryRefuses() throws Exception {
        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.BASIC)) {
            Cli cli = cli();
            Path docker = Files.createDirectories(tmp.resolve("cache/docker"));
            Files.writeString(docker.resolve("config.json"), "{\"credsStore\":\"desktop\"}");
            cli.env().put("PATH", Files.createDirectories(tmp.resolve("empty-bin")).toString());
            Cli.Result r = cli.run("pull", "--insecure-skip-signature", "oci://" + registry.host() + "/private/plugin:1");
            assertEquals(ErrorKind.AUTH.exitCode(), r.exitCode(), r.toString());
            assertTrue(r.err().contains("error: registry " + registry.host() + " requires a user name and password; "
                    + "the credential helper docker-credential-desktop (credsStore in " + docker.resolve("config.json")
                    + ") is not installed"), r.toString());
            assertTrue(r.err().contains("hint: install docker-credential-desktop on PATH, or remove \"credsStore\""), r.toString());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r);

            Path cfg = config("[[providers]]\nname = \"private\"\npath = \"oci://" + registry.host() + "/private/plugin:1\"\n"
                    + "[oci]\ninsecure_skip_signature = true\n");
            Cli.Result doctor = cli.run("--config", cfg.toString(), "doctor");
            assertTrue(doctor.out().contains("warn  credentials " + registry.host() + ": none: the credential helper "
                    + "docker-credential-desktop (credsStore in " + docker.resolve("config.json") + ") is not installed"), doctor.toString());
        }
    }
}
