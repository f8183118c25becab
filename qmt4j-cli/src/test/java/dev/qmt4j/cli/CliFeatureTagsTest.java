package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * QueryMT publishes a native provider as one index per accelerator ({@code latest}, {@code latest-metal},
 * {@code latest-cuda12.8}, ...). When the index of the configured tag has no build for this machine, the
 * PLATFORM error's hint names the repository's feature tags, read from the real registry's tag list.
 */
class CliFeatureTagsTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    /** Pushes a native index for platforms other than this Linux machine's under each tag. */
    private String pushed(Cli cli, String repo, String... tags) throws IOException {
        Path mac = Fixtures.library(tmp, "libqmt_llama.dylib", repo + "-mac");
        Path win = Fixtures.library(tmp, "qmt_llama.dll", repo + "-win");
        String base = "oci://" + registry.host() + "/querymt/" + repo;
        for (String tag : tags) {
            Cli.Result push = cli.run("push", base + ":" + tag, "--platform", "darwin/arm64=" + mac, "--platform", "windows/arm64=" + win);
            assertEquals(0, push.exitCode(), push::toString);
        }
        return base + ":" + tags[0];
    }

    @Test
    void platformHintNamesTheFeatureTags() throws IOException {
        Cli cli = new Cli(tmp.resolve("cache"));
        String ref = pushed(cli, "llama-cpp", "latest", "latest-metal", "latest-cuda12.8", "latest-vulkan", "0.1.0", "0.1.0-metal");

        Cli.Result pull = cli.run("pull", ref, "--insecure-skip-signature");
        assertEquals(ErrorKind.PLATFORM.exitCode(), pull.exitCode(), pull::toString);
        assertTrue(pull.err().contains("the registry also has the feature tags latest-cuda12.8, latest-metal, latest-vulkan"
                + " (QueryMT publishes one native index per accelerator)"), pull.err());
        assertFalse(pull.err().contains("0.1.0-metal"), pull.err());

        Path cfg = Files.writeString(tmp.resolve("providers.toml"), """
                [[providers]]
                name = "llama-cpp"
                path = "%s"
                [oci]
                insecure_skip_signature = true
                """.formatted(ref));
        Cli.Result providers = cli.run("--config", cfg.toString(), "providers", "--json");
        assertEquals(ErrorKind.PLATFORM.exitCode(), providers.exitCode(), providers::toString);
        JsonNode row = MAPPER.readTree(providers.out()).get(0);
        assertTrue(row.get("hint").stringValue().contains("feature tags latest-cuda12.8, latest-metal, latest-vulkan"), row.toString());
        assertTrue(row.get("hint").stringValue().contains("e.g. :latest-cuda12.8"), row.toString());
    }

    @Test
    void noFeatureTagsNoMention() throws IOException {
        Cli cli = new Cli(tmp.resolve("cache"));
        String ref = pushed(cli, "plain", "1.0", "1.1");
        Cli.Result pull = cli.run("pull", ref, "--insecure-skip-signature");
        assertEquals(ErrorKind.PLATFORM.exitCode(), pull.exitCode(), pull::toString);
        assertFalse(pull.err().contains("feature tags"), pull.err());
    }
}
