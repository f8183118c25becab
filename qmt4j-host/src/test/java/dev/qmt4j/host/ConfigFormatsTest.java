package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QueryMT config files in all three formats, malformed ones, and discovery through the registry builder. */
class ConfigFormatsTest {
    @TempDir
    Path tmp;

    /** QueryMT's documented providers.toml (oci:// providers, a config table, an [oci] block), verbatim in shape and keys. */
    static final String QUERYMT_TOML = """
            [[providers]]
            name = "openai"
            path = "oci://ghcr.io/querymt/openai:latest"

            [[providers]]
            name = "anthropic"
            path = "oci://ghcr.io/querymt/anthropic:latest"
            [providers.config]
            base_url = "https://api.anthropic.com"

            [oci]
            insecure_skip_signature = false
            use_sigstore_tuf_data = true
            cert_issuer = "https://token.actions.githubusercontent.com"
            github_workflow_repository = "querymt/querymt"
            """;

    static final String QUERYMT_JSON = """
            {
              "providers": [
                {"name": "openai", "path": "oci://ghcr.io/querymt/openai:latest"},
                {"name": "anthropic", "path": "oci://ghcr.io/querymt/anthropic:latest",
                 "config": {"base_url": "https://api.anthropic.com"}}
              ],
              "oci": {"insecure_skip_signature": false, "use_sigstore_tuf_data": true,
                      "cert_issuer": "https://token.actions.githubusercontent.com",
                      "github_workflow_repository": "querymt/querymt"}
            }
            """;

    static final String QUERYMT_YAML = """
            providers:
              - name: openai
                path: oci://ghcr.io/querymt/openai:latest
              - name: anthropic
                path: oci://ghcr.io/querymt/anthropic:latest
                config:
                  base_url: https://api.anthropic.com
            oci:
              insecure_skip_signature: false
              use_sigstore_tuf_data: true
              cert_issuer: https://token.actions.githubusercontent.com
              github_workflow_repository: querymt/querymt
            """;

    private PluginRegistry open(String name, String text) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return PluginRegistry.builder().config(f).env(Map.of()).home(tmp).cacheDir(tmp.resolve("cache")).build();
    }

    @Test
    void queryMtConfigReadsTheSameInAllFormats() throws Exception {
        for (String[] c : new String[][] {{"providers.toml", QUERYMT_TOML}, {"providers.json", QUERYMT_JSON},
                {"providers.yaml", QUERYMT_YAML}}) {
            try (PluginRegistry r = open(c[0], c[1])) {
                assertEquals(List.of("openai", "anthropic"), r.names(), c[0]);
                PluginSource.Oci s = assertInstanceOf(PluginSource.Oci.class, r.source("anthropic"));
                assertTrue(s.display().contains("ghcr.io/querymt/anthropic"), s.display());
                assertEquals("https://api.anthropic.com", r.baseConfig("anthropic").get("base_url").stringValue());
                assertEquals("querymt/querymt", r.configFile().oci().verify().githubWorkflowRepository().orElseThrow());
                assertTrue(r.list().isEmpty(), "nothing is loaded before it is asked for");
            }
        }
    }

    @Test
    void malformedFilesNameFileAndLine() throws Exception {
        Qmt4jException syntax = assertThrows(Qmt4jException.class, () -> open("bad.toml", "[[providers]]\nname = \"x\npath = 1\n"));
        assertEquals(ErrorKind.CONFIG, syntax.kind());
        assertTrue(syntax.getMessage().contains("bad.toml:"), syntax.getMessage());
        Qmt4jException unknown = assertThrows(Qmt4jException.class, () -> open("u.yaml", "strict: true\nproviders: []\nplugins: []\n"));
        assertTrue(unknown.getMessage().contains("u.yaml:3") && unknown.getMessage().contains("plugins"), unknown.getMessage());
        Qmt4jException dup = assertThrows(Qmt4jException.class, () -> open("d.json",
                "{\"providers\": [{\"name\": \"a\", \"path\": \"a.wasm\"},\n{\"name\": \"a\", \"path\": \"b.wasm\"}]}"));
        assertTrue(dup.getMessage().contains("duplicate provider name 'a'"), dup.getMessage());
        Qmt4jException ext = assertThrows(Qmt4jException.class, () -> open("p.ini", "x"));
        assertEquals(ErrorKind.CONFIG, ext.kind());
    }

    @Test
    void registryDiscoversTheConfigFromTheInjectedEnvironment() throws Exception {
        Path dir = tmp.resolve("qmt-home");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("extism_plugins.toml"), QUERYMT_TOML);
        try (PluginRegistry r = PluginRegistry.builder().env(Map.of("QMT_HOME", dir.toString())).home(tmp)
                .cacheDir(tmp.resolve("cache")).build()) {
            assertEquals(dir.resolve("extism_plugins.toml"), r.configFile().source());
        }
        Qmt4jException none = assertThrows(Qmt4jException.class,
                () -> PluginRegistry.builder().env(Map.of()).home(tmp.resolve("empty")).build());
        assertEquals(ErrorKind.NOT_FOUND, none.kind());
    }
}
