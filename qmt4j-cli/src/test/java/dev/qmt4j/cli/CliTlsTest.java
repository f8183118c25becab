package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testkit.HttpsFileServer;
import dev.qmt4j.testkit.TestCertificates;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * TLS with a private CA: a registry that speaks only HTTPS on 127.0.0.1 and an HTTPS file server, both
 * with certificates of the {@link TestCertificates} CA (made by openssl), trusted through
 * {@code [oci] ca_certificates} or {@code QMT4J_CA_CERTIFICATES}; and {@code providers --json} over every
 * kind of provider, working and broken.
 */
class CliTlsTest extends OpenAiCliTestBase {
    @RegisterExtension
    static final LocalRegistry registry = LocalRegistry.tls();

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Path REPO = CliHostCommandsTest.REPO;

    /** The test CA copied next to the config, as an operator would keep it. */
    private Path caNextToConfig() throws IOException {
        Path ca = tmp.resolve("certs/ca.pem");
        Files.createDirectories(ca.getParent());
        Files.copy(TestCertificates.shared().caCertificate(), ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return ca;
    }

    /** Runs {@code args} with the CA in QMT4J_CA_CERTIFICATES (push and sign need it too). */
    private Cli.Result withCaInEnvironment(String... args) {
        cli.env().put("QMT4J_CA_CERTIFICATES", TestCertificates.shared().caCertificate().toString());
        try {
            return cli.run(args);
        } finally {
            cli.env().remove("QMT4J_CA_CERTIFICATES");
        }
    }

    private Path config(String name, String toml) throws IOException {
        return Files.writeString(tmp.resolve(name), toml);
    }

    private static long cachedFiles(Path cache, String name) throws IOException {
        if (!Files.isDirectory(cache)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> p.getFileName().toString().equals(name)).count();
        }
    }

    @Test
    void pullFromATlsRegistryWorksWithTheCaAndFailsClearlyWithoutIt() throws Exception {
        String ref = "oci://" + registry.host() + "/tls/pull:1";
        Cli.Result push = withCaInEnvironment("push", ref, "--wasm", TestPlugins.path(TestPlugins.QMT_OPENAI).toString());
        assertEquals(0, push.exitCode(), push.toString());
        caNextToConfig();
        Path cache = tmp.resolve("cache");

        Path without = config("without.toml", "[oci]\ninsecure_skip_signature = true\n");
        Cli.Result refused = cli.run("--config", without.toString(), "pull", ref);
        assertEquals(ErrorKind.NETWORK.exitCode(), refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("registry " + registry.host()), refused.toString());
        assertTrue(refused.err().contains("not signed by a trusted CA"), refused.toString());
        assertTrue(refused.err().contains("[oci] ca_certificates"), refused.toString());
        assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused);
        assertEquals(0, cachedFiles(cache, "entry.json") + cachedFiles(cache, "plugin.wasm"), "nothing cached");

        Path with = config("with.toml", "[oci]\ninsecure_skip_signature = true\nca_certificates = \"certs/ca.pem\"\n");
        Cli.Result pulled = cli.run("--config", with.toString(), "pull", ref);
        assertEquals(0, pulled.exitCode(), pulled.toString());
        assertEquals(1, cachedFiles(cache, "plugin.wasm"));

        Path missing = config("missing.toml", "[oci]\nca_certificates = [\"certs/ca.pem\", \"certs/gone.pem\"]\n");
        Cli.Result bad = cli.run("--config", missing.toString(), "pull", "--insecure-skip-signature",
                "oci://" + registry.host() + "/tls/other:1");
        assertEquals(ErrorKind.CONFIG.exitCode(), bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains(tmp.resolve("certs/gone.pem").toString()), bad.toString());
    }

    @Test
    void doctorReportsTheExtraCaFiles() throws Exception {
        caNextToConfig();
        Path cfg = config("providers.toml", """
                [[providers]]
                name = "remote"
                path = "oci://%s/tls/doctor:1"

                [oci]
                insecure_skip_signature = true
                ca_certificates = "certs/ca.pem"
                """.formatted(registry.host()));
        Cli.Result doctor = cli.run("--config", cfg.toString(), "doctor");
        String subject = TestCertificates.shared().caSubject();
        assertTrue(doctor.out().contains("ok    ca certificates: 1 file(s), 1 certificate(s)"), doctor.toString());
        assertTrue(doctor.out().contains("ok    ca certificate: " + tmp.resolve("certs/ca.pem") + ": " + subject + ", expires 20"),
                doctor.toString());
        assertTrue(doctor.out().contains("ok    registry " + registry.host() + ": reachable"), doctor.toString());
    }

    @Test
    void providersJsonListsEveryKindOkAndSaysWhyEachBrokenOneFails() throws Exception {
        cli.env().put("COSIGN_PASSWORD", "tls test");
        String keys = tmp.resolve("release").toString();
        assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", keys).exitCode());
        String wasm = TestPlugins.path(TestPlugins.QMT_OPENAI).toString();
        String signed = "oci://" + registry.host() + "/kinds/signed:1";
        String unsigned = "oci://" + registry.host() + "/kinds/unsigned:1";
        for (String ref : new String[] {signed, unsigned}) {
            Cli.Result push = withCaInEnvironment("push", ref, "--wasm", wasm);
            assertEquals(0, push.exitCode(), push.toString());
        }
        Cli.Result sign = withCaInEnvironment("sign", signed, "--key", keys + ".key");
        assertEquals(0, sign.exitCode(), sign.toString());
        caNextToConfig();

        try (HttpsFileServer files = HttpsFileServer.start()) {
            String url = files.serve("/plugin.wasm", Path.of(wasm));
            String wrongPinUrl = files.serve("/other.wasm", Path.of(wasm));
            String pin = Fixtures.sha256(Path.of(wasm)).substring("sha256:".length());
            String backend = "[providers.config]\nbase_url = \"" + openai.url() + "/v1\"\nmodel = \"" + OpenAiTestServer.MODEL_A + "\"\n";
            String verify = "[providers.verify]\npublic_key = \"" + keys + ".pub\"\n";
            Path cfg = config("providers.toml", String.join("\n",
                    provider("echo", NativeExample.library(tmp).toString(), "", "[providers.config]\nmodel = \"echo-1\"\n"),
                    provider("openai", wasm, "", backend),
                    provider("signed", signed, "", backend + verify),
                    provider("hello", "oci-layout://" + REPO.resolve("examples/layout") + ":0.1.0", "",
                            "[providers.verify]\npublic_key = \"" + REPO.resolve("examples/keys/cosign.pub") + "\"\n"),
                    provider("url", url, "sha256 = \"" + pin + "\"\n", backend),
                    provider("missing", "missing/plugin.wasm", "", ""),
                    provider("wrong-pin", wrongPinUrl, "sha256 = \"" + "0".repeat(64) + "\"\n", ""),
                    provider("unsigned", unsigned, "", verify),
                    provider("unreachable", "oci://127.0.0.1:1/kinds/gone:1", "", verify),
                    "[oci]\nca_certificates = \"certs/ca.pem\"\n"));

            Cli.Result r = cli.run("--config", cfg.toString(), "providers", "--json");
            // The exit code is the first failure's, in config order: the missing file.
            assertEquals(ErrorKind.NOT_FOUND.exitCode(), r.exitCode(), r.toString());
            Map<String, JsonNode> rows = new LinkedHashMap<>();
            MAPPER.readTree(r.out()).forEach(row -> rows.put(row.get("name").stringValue(), row));
            assertEquals(9, rows.size(), r.toString());

            String[][] ok = {{"echo", "native", "local"}, {"openai", "wasm", "local"}, {"signed", "wasm", "oci"},
                    {"hello", "wasm", "layout"}, {"url", "wasm", "url"}};
            for (String[] e : ok) {
                JsonNode row = rows.get(e[0]);
                assertEquals("ok", row.get("status").stringValue(), row.toString());
                assertEquals(e[1], row.get("type").stringValue(), row.toString());
                assertEquals(e[2], row.get("source").stringValue(), row.toString());
                assertTrue(row.get("digest").stringValue().matches("sha256:[0-9a-f]{64}"), row.toString());
            }
            assertTrue(rows.get("signed").get("signer").stringValue().contains("signed with key"), rows.get("signed").toString());
            assertEquals("sha256:" + pin, rows.get("url").get("digest").stringValue());

            Map<String, String> why = Map.of(
                    "missing", "local plugin file not found",
                    "wrong-pin", "but the config pins " + "0".repeat(64),
                    "unsigned", "signature",
                    "unreachable", "cannot reach registry 127.0.0.1:1");
            Map<String, Integer> exitCodes = Map.of("missing", 4, "wrong-pin", 7, "unsigned", 8, "unreachable", 6);
            why.forEach((name, reason) -> {
                JsonNode row = rows.get(name);
                assertEquals("error", row.get("status").stringValue(), row.toString());
                assertTrue(row.get("error").stringValue().contains(reason), row.toString());
                assertEquals(exitCodes.get(name), row.get("exit_code").asInt(), row.toString());
            });
            assertEquals(1, files.getCount("/plugin.wasm"));

            // The https:// provider and the one from the TLS registry answer.
            Cli.Result viaUrl = cli.run("--config", cfg.toString(), "chat", "url", "over https");
            assertEquals(0, viaUrl.exitCode(), viaUrl.toString());
            assertEquals("Echo: over https\n", viaUrl.out());
            Cli.Result viaRegistry = cli.run("--config", cfg.toString(), "chat", "signed", "from the registry");
            assertEquals(0, viaRegistry.exitCode(), viaRegistry.toString());
            assertEquals("Echo: from the registry\n", viaRegistry.out());
        }
    }

    private static String provider(String name, String path, String keys, String tables) {
        return "[[providers]]\nname = \"" + name + "\"\npath = \"" + path + "\"\n" + keys + tables;
    }
}
