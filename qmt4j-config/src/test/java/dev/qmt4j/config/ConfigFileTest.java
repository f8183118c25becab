package dev.qmt4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    /** Shaped like QueryMT's documented providers.toml, plus an [oci] block. */
    static final String QUERYMT_TOML = """
            [[providers]]
            name = "openai"
            path = "oci://ghcr.io/querymt/openai:latest"

            [[providers]]
            name = "anthropic"
            path = "oci://ghcr.io/querymt/anthropic:latest"
            [providers.config]
            base_url = "https://api.anthropic.com"
            max_tokens = 4096

            [[providers]]
            name = "ollama"
            path = "/usr/local/lib/libqmt_ollama.so"

            [oci]
            insecure_skip_signature = false
            cert_issuer = "https://token.actions.githubusercontent.com"
            github_workflow_repository = "querymt/querymt"
            insecure_registries = ["localhost:5000", "registry.lan"]
            refresh = "30m"
            cache_dir = "plugins-cache"
            """;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private Qmt4jException fails(String name, String text) throws IOException {
        Path file = write(name, text);
        return assertThrows(Qmt4jException.class, () -> ConfigFile.load(file));
    }

    /** Fails when loaded strictly ({@code --strict}), where unknown keys are errors. */
    private Qmt4jException failsStrict(String name, String text) throws IOException {
        Path file = write(name, text);
        return assertThrows(Qmt4jException.class, () -> ConfigFile.load(file, true));
    }

    @Test
    void caCertificatesAreOneFileOrAListRelativeToTheConfig() throws IOException {
        Path abs = dir.resolve("abs/ca.pem").toAbsolutePath();
        assertEquals(List.of(dir.toAbsolutePath().resolve("certs/ca.pem")),
                ConfigFile.load(write("one.toml", "[oci]\nca_certificates = \"certs/ca.pem\"\n")).oci().caCertificates());
        assertEquals(List.of(dir.toAbsolutePath().resolve("a.pem"), abs),
                ConfigFile.load(write("two.toml", "[oci]\nca_certificates = [\"a.pem\", \"" + abs + "\"]\n")).oci().caCertificates());
        assertEquals(List.of(), ConfigFile.load(write("none.toml", "[oci]\nrefresh = \"1h\"\n")).oci().caCertificates());
        Qmt4jException e = fails("bad.toml", "[oci]\nca_certificates = 3\n");
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("oci.ca_certificates"), e.getMessage());
    }

    @Test
    void cachePermissionsCheckIsOnUnlessTurnedOff() throws IOException {
        assertTrue(ConfigFile.load(write("default.toml", "[oci]\nrefresh = \"1h\"\n")).oci().cachePermissionsCheck());
        assertTrue(OciSettings.defaults().cachePermissionsCheck());
        assertEquals(false, ConfigFile.load(write("off.toml", "[oci]\ncache_permissions_check = false\n")).oci().cachePermissionsCheck());
        Qmt4jException e = fails("bad-check.toml", "[oci]\ncache_permissions_check = \"no\"\n");
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("oci.cache_permissions_check"), e.getMessage());
    }

    @Test
    void readsQueryMtStyleToml() throws IOException {
        ConfigFile config = ConfigFile.load(write("providers.toml", QUERYMT_TOML));

        assertEquals(List.of("openai", "anthropic", "ollama"), config.providers().stream().map(ProviderEntry::name).toList());
        ProviderEntry anthropic = config.providers().get(1);
        assertEquals("oci://ghcr.io/querymt/anthropic:latest", anthropic.path());
        assertTrue(anthropic.isOci());
        assertEquals("https://api.anthropic.com", anthropic.config().get("base_url"));
        assertEquals(4096, ((Number) anthropic.config().get("max_tokens")).intValue());
        assertFalse(config.providers().get(2).isOci());

        OciSettings oci = config.oci();
        assertFalse(oci.insecureSkipSignature());
        assertEquals(List.of("localhost:5000", "registry.lan"), oci.insecureRegistries());
        assertEquals("30m", oci.refresh());
        assertEquals(Optional.of(dir.toAbsolutePath().resolve("plugins-cache")), oci.cacheDir());
        assertEquals(Optional.of("querymt/querymt"), oci.verify().githubWorkflowRepository());
        assertEquals(Optional.of("https://token.actions.githubusercontent.com"), oci.verify().certIssuer());
    }

    @Test
    void readsJson() throws IOException {
        ConfigFile config = ConfigFile.load(write("providers.json", """
                {
                  "providers": [
                    {"name": "openai", "path": "oci://ghcr.io/querymt/openai:1.0", "config": {"key": null},
                     "verify": {"cert_identity_regexp": "^https://github.com/acme/.*$"}, "file": "openai.wasm",
                     "sha256": "abc"}
                  ],
                  "oci": {"insecure_skip_signature": true, "github_workflow_repository": null, "require_tlog": false}
                }
                """));
        ProviderEntry p = config.providers().get(0);
        assertEquals(Optional.of("openai.wasm"), p.file());
        assertEquals(Optional.of("abc"), p.sha256());
        assertTrue(p.config().containsKey("key"));
        assertEquals("^https://github.com/acme/.*$", p.verify().orElseThrow().certIdentityRegexp().orElseThrow());
        assertTrue(config.oci().insecureSkipSignature());
        assertEquals(OciSettings.DEFAULT_REFRESH, config.oci().refresh());
        assertEquals(java.util.Set.of("github_workflow_repository"), config.oci().verify().explicitlyUnset());
        assertEquals(Optional.of(false), config.oci().verify().requireTlog());
    }

    @Test
    void readsYamlWithEitherExtension() throws IOException {
        String yaml = """
                providers:
                  - name: local
                    path: oci-layout:///srv/plugins/echo:1.0
                oci:
                  refresh: never
                  insecure_registries: [ "127.0.0.1:5000" ]
                """;
        for (String name : List.of("providers.yaml", "providers.yml")) {
            ConfigFile config = ConfigFile.load(write(name, yaml));
            assertEquals("oci-layout:///srv/plugins/echo:1.0", config.providers().get(0).path());
            assertEquals("never", config.oci().refresh());
            assertEquals(List.of("127.0.0.1:5000"), config.oci().insecureRegistries());
        }
    }

    @Test
    void absentOciTableGivesSecureDefaults() throws IOException {
        ConfigFile config = ConfigFile.load(write("p.toml", "[[providers]]\nname = \"a\"\npath = \"x\"\n"));
        assertEquals(OciSettings.defaults(), config.oci());
        assertEquals(OciSettings.defaults(), ConfigFile.load(write("empty.json", "")).oci());
    }

    @Test
    void wrongTypeNamesFileLineAndKeyPath() throws IOException {
        Qmt4jException e = fails("providers.toml", """
                [[providers]]
                name = "a"
                path = "oci://ghcr.io/a/b"

                [oci]
                insecure_skip_signature = false
                refresh = 5
                """);
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertEquals(dir.resolve("providers.toml") + ":7: oci.refresh: expected a string like '1h', 'never' or 'always', got 5",
                e.getMessage());
    }

    @Test
    void badDurationIsRejected() throws IOException {
        Qmt4jException e = fails("p.yaml", "oci:\n  refresh: soon\n");
        assertTrue(e.getMessage().endsWith(":2: oci.refresh: expected a string like '1h', 'never' or 'always', got 'soon'"),
                e.getMessage());
    }

    @Test
    void wrongTypesInJsonCarryLines() throws IOException {
        Qmt4jException e = fails("p.json", "{\n  \"oci\": {\n    \"insecure_skip_signature\": \"yes\"\n  }\n}\n");
        assertTrue(e.getMessage().endsWith("p.json:3: oci.insecure_skip_signature: expected true or false, got 'yes'"),
                e.getMessage());

        e = fails("q.json", "{\"providers\": [{\"name\": \"a\", \"path\": 7}]}");
        assertTrue(e.getMessage().contains("providers[0].path: expected a string, got 7"), e.getMessage());

        e = fails("r.json", "{\"oci\": {\"insecure_registries\": [\"a\", 1]}}");
        assertTrue(e.getMessage().contains("oci.insecure_registries[1]: expected a string, got 1"), e.getMessage());
    }

    @Test
    void unknownOciKeyListsKnownOnes() throws IOException {
        Qmt4jException e = failsStrict("providers.toml", "[oci]\ninsecure_skip_signatures = true\n");
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains(":2: oci.insecure_skip_signatures: unknown key 'insecure_skip_signatures' in oci"),
                e.getMessage());
        assertTrue(e.hint().startsWith("did you mean 'insecure_skip_signature'? known keys: "), e.hint());
        assertTrue(e.hint().contains("insecure_skip_signature,"), e.hint());
        assertTrue(e.hint().contains("cert_identity_regexp"), e.hint());
    }

    @Test
    void unknownTopLevelKeyIsRejectedWhenStrict() throws IOException {
        Qmt4jException e = failsStrict("p.yml", "providers: []\nplugins: []\n");
        assertTrue(e.getMessage().contains(":2: plugins: unknown key 'plugins' at the top level"), e.getMessage());
        assertEquals("known keys: providers, oci, strict", e.hint());
        // strict = true in the file itself does the same.
        e = fails("s.yml", "strict: true\nproviders: []\nplugins: []\n");
        assertTrue(e.getMessage().contains(":3: plugins: unknown key 'plugins' at the top level"), e.getMessage());
        e = fails("t.toml", "strict = \"yes\"\n");
        assertTrue(e.getMessage().contains(":1: strict: expected true or false, got 'yes'"), e.getMessage());
    }

    @Test
    void unknownProviderKeyAndMissingPathAreRejected() throws IOException {
        Qmt4jException e = failsStrict("p.toml", "[[providers]]\nname = \"a\"\npath = \"b\"\n\n[[providers]]\nname = \"c\"\npth = \"d\"\n");
        assertTrue(e.getMessage().contains(":7: providers[1].pth: unknown key 'pth'"), e.getMessage());
        assertTrue(e.hint().startsWith("did you mean 'path'?"), e.hint());

        e = fails("q.toml", "[[providers]]\nname = \"a\"\n");
        assertTrue(e.getMessage().contains(":1: providers[0]: missing required key 'path'"), e.getMessage());
    }

    /** QueryMT ignores keys it does not know, so its files load: each unknown key is a warning with file:line. */
    @Test
    void unknownKeysAreWarningsWithLineAndSuggestion() throws IOException {
        ConfigFile c = ConfigFile.load(write("w.toml", """
                colour = "blue"

                [[providers]]
                name = "a"
                path = "oci://ghcr.io/querymt/openai:latest"
                plaform = "wasi/wasm"
                [providers.config]
                anything = 1

                [oci]
                cert_isuer = "https://issuer.example"
                """));
        assertEquals(1, c.providers().size());
        assertEquals(List.of("colour", "providers[0].plaform", "oci.cert_isuer"),
                c.warnings().stream().map(ConfigWarning::path).toList());
        ConfigWarning plaform = c.warnings().get(1);
        assertEquals(dir.resolve("w.toml") + ":6", plaform.location());
        assertEquals(java.util.Optional.of("platform"), plaform.suggestion());
        assertEquals(dir.resolve("w.toml") + ":6: providers[0].plaform: unknown key 'plaform' in providers[0]"
                + " (ignored; did you mean 'platform'?)", plaform.text());
        assertEquals(java.util.Optional.of("cert_issuer"), c.warnings().get(2).suggestion());
        assertEquals(java.util.Optional.empty(), c.warnings().get(0).suggestion());
        assertTrue(c.providers().get(0).platform().isEmpty());

        // JSON and YAML carry their lines too.
        ConfigFile j = ConfigFile.load(write("w.json", "{\n  \"providers\": [],\n  \"extra\": 1\n}\n"));
        assertEquals(dir.resolve("w.json") + ":3", j.warnings().get(0).location());
    }

    @Test
    void providerPlatformIsReadAndChecked() throws IOException {
        Path ok = write("ok.toml", """
                [[providers]]
                name = "echo"
                path = "oci://registry.lan/echo:1"
                platform = "wasi/wasm"

                [[providers]]
                name = "arm"
                path = "oci-layout://layout:1"
                platform = "linux/arm64/v8"

                [[providers]]
                name = "here"
                path = "oci://registry.lan/echo:1"
                """);
        List<ProviderEntry> p = ConfigFile.load(ok).providers();
        assertEquals(Optional.of("wasi/wasm"), p.get(0).platform());
        assertEquals(Optional.of("linux/arm64/v8"), p.get(1).platform());
        assertEquals(Optional.empty(), p.get(2).platform());

        String entry = "[[providers]]\nname = \"a\"\npath = \"oci://r/a:1\"\nplatform = %s\n";
        Qmt4jException e = fails("a.toml", entry.formatted("\"linux\""));
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertEquals(dir.resolve("a.toml") + ":4: providers[0].platform: invalid platform 'linux': expected os/arch[/variant]",
                e.getMessage());
        assertTrue(e.hint().contains("\"wasi/wasm\""), e.hint());

        e = fails("b.toml", entry.formatted("\"linux/amd46\""));
        assertTrue(e.getMessage().endsWith(":4: providers[0].platform: unknown architecture 'amd46' in platform 'linux/amd46'"),
                e.getMessage());
        assertTrue(e.hint().contains("amd64, "), e.hint());

        e = fails("c.toml", entry.formatted("\"lunix/amd64\""));
        assertTrue(e.getMessage().endsWith(":4: providers[0].platform: unknown operating system 'lunix' in platform 'lunix/amd64'"),
                e.getMessage());

        e = fails("d.toml", entry.formatted("7"));
        assertTrue(e.getMessage().endsWith(":4: providers[0].platform: expected a string, got 7"), e.getMessage());

        e = fails("e.toml", "[[providers]]\nname = \"a\"\npath = \"/opt/a.wasm\"\nplatform = \"wasi/wasm\"\n");
        assertTrue(e.getMessage().endsWith(":4: providers[0].platform: 'platform' applies only to oci:// and oci-layout:// "
                + "providers, not to /opt/a.wasm"), e.getMessage());
    }

    @Test
    void syntaxErrorsCarryLineNumbers() throws IOException {
        Qmt4jException toml = fails("p.toml", "[[providers]]\nname = \"a\"\npath = \n");
        assertEquals(ErrorKind.CONFIG, toml.kind());
        assertTrue(toml.getMessage().startsWith(dir.resolve("p.toml") + ":3: syntax error"), toml.getMessage());

        Qmt4jException json = fails("p.json", "{\n  \"providers\": [\n    {\"name\": \"a\",}\n  ]\n}\n");
        assertTrue(json.getMessage().startsWith(dir.resolve("p.json") + ":3: syntax error"), json.getMessage());

        Qmt4jException yaml = fails("p.yaml", "providers:\n  - name: a\n   path: [\n");
        assertTrue(yaml.getMessage().matches(".*p\\.yaml:\\d+: syntax error.*"), yaml.getMessage());
    }

    @Test
    void unsupportedExtensionAndMissingFile() throws IOException {
        Qmt4jException ini = fails("providers.ini", "x=1");
        assertEquals(ErrorKind.CONFIG, ini.kind());
        assertTrue(ini.hint().contains(".toml, .json, .yaml or .yml"));

        Qmt4jException missing = assertThrows(Qmt4jException.class, () -> ConfigFile.load(dir.resolve("nope.toml")));
        assertEquals(ErrorKind.NOT_FOUND, missing.kind());
        assertTrue(missing.getMessage().contains("nope.toml"));
    }

    @Test
    void providerTablesStayReadOnly() throws IOException {
        ConfigFile config = ConfigFile.load(write("providers.toml", QUERYMT_TOML));
        Map<String, Object> cfg = config.providers().get(1).config();
        assertThrows(UnsupportedOperationException.class, () -> cfg.put("x", 1));
    }
}
