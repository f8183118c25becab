package dev.qmt4j.cli;

import dev.qmt4j.testkit.openai.OpenAiTestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Per test: an OpenAI test server and an in-process {@link Cli} (cache under {@link #tmp}) with its API key set. */
abstract class OpenAiCliTestBase {
    @TempDir
    Path tmp;
    OpenAiTestServer openai;
    Cli cli;

    @BeforeEach
    void startOpenAi() {
        openai = OpenAiTestServer.start();
        cli = new Cli(tmp.resolve("cache"));
        cli.env().put("OPENAI_API_KEY", openai.apiKey());
    }

    @AfterEach
    void stopOpenAi() {
        openai.close();
    }
}
