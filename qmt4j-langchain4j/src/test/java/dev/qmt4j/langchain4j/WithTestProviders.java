package dev.qmt4j.langchain4j;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Per test: fresh {@link TestProviders} (the OpenAI test server and a registry) in {@link #tmp}. */
abstract class WithTestProviders {
    @TempDir
    Path tmp;
    TestProviders providers;

    @BeforeEach
    void startProviders() {
        providers = TestProviders.start(tmp);
    }

    @AfterEach
    void stopProviders() {
        providers.close();
    }
}
