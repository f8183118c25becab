package dev.qmt4j.sigstore;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared, read-only test data ({@code shared/testdata/sigstore}): system property
 * {@code qmt4j.shared.dir}, env {@code QMT4J_SHARED_DIR}, {@code <repo>/../shared}, then {@code /work/shared}.
 */
public final class SharedTestData {
    private SharedTestData() {}

    /** The {@code shared/testdata/sigstore} directory. */
    public static Path sigstore() {
        return shared().resolve("testdata/sigstore");
    }

    /** The {@code shared} directory. */
    public static Path shared() {
        String prop = System.getProperty("qmt4j.shared.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("QMT4J_SHARED_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        // surefire runs in the module directory; the repo root is its parent
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path beside = repo.resolve("../shared").normalize();
        if (Files.isDirectory(beside.resolve("testdata/sigstore"))) {
            return beside;
        }
        return Path.of("/work/shared");
    }
}
