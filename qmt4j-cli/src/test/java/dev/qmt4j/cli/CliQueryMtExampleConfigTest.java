package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A config file as QueryMT users write it (test resource {@code querymt/providers.toml}: the published
 * {@code ghcr.io/querymt/*} providers, a feature tag, QueryMT's {@code [oci]} keys) loads unchanged, and
 * {@code qmt4j providers} reports every provider on its own line. ghcr.io is never contacted: every https
 * request goes to a proxy on a closed loopback port, so each provider fails with a network error.
 */
class CliQueryMtExampleConfigTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private Path example() throws IOException {
        Path cfg = tmp.resolve("providers.toml");
        try (InputStream in = getClass().getResourceAsStream("/querymt/providers.toml")) {
            assertNotNull(in, "test resource querymt/providers.toml");
            Files.copy(in, cfg);
        }
        return cfg;
    }

    /** A proxy address nothing listens on: 127.0.0.1 and a port just released. */
    static String closedLoopbackProxy() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    private Cli offline() throws IOException {
        Cli cli = new Cli(tmp.resolve("cache"));
        String proxy = closedLoopbackProxy();
        cli.env().put("HTTPS_PROXY", proxy);
        cli.env().put("HTTP_PROXY", proxy);
        cli.env().put("QMT4J_SIGSTORE_TUF_URL", "http://127.0.0.1:9/"); // never the internet
        return cli;
    }

    @Test
    void queryMtsExampleConfigLoadsAndEachProviderHasAStatus() throws Exception {
        Path cfg = example();
        Cli cli = offline();
        Cli.Result r = cli.run("--strict", "--config", cfg.toString(), "providers", "--json");
        assertEquals(ErrorKind.NETWORK.exitCode(), r.exitCode(), r.toString());
        assertFalse(r.err().contains("warning:"), "QueryMT's keys are all known: " + r);
        JsonNode rows = MAPPER.readTree(r.out());
        List<String> names = List.of("anthropic", "openai", "google", "mistral", "ollama", "openrouter", "llama-cpp", "llama-cpp-cuda");
        assertEquals(names.size(), rows.size(), r.toString());
        for (int i = 0; i < names.size(); i++) {
            JsonNode row = rows.get(i);
            assertEquals(names.get(i), row.get("name").stringValue());
            assertEquals("oci", row.get("source").stringValue(), row.toString());
            assertTrue(row.get("location").stringValue().startsWith("oci://ghcr.io/querymt/"), row.toString());
            assertEquals("error", row.get("status").stringValue(), row.toString());
            assertEquals("network", row.get("error_kind").stringValue(), row.toString());
            assertTrue(row.get("error").stringValue().contains("ghcr.io"), row.toString());
        }

        Cli.Result text = cli.run("--config", cfg.toString(), "providers");
        assertEquals(ErrorKind.NETWORK.exitCode(), text.exitCode(), text.toString());
        List<String> lines = text.out().lines().toList();
        assertEquals(names.size(), lines.size(), text.toString());
        for (int i = 0; i < names.size(); i++) {
            assertTrue(lines.get(i).startsWith(names.get(i) + "  -  oci oci://ghcr.io/querymt/"), lines.get(i));
            assertTrue(lines.get(i).contains("  error: "), lines.get(i));
        }
    }
}
