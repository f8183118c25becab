package dev.qmt4j.oci.layout;

import dev.qmt4j.lock.ProcessLock;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The exclusive lock on one layout's {@code index.json}, held across threads and processes for a
 * read-modify-write of the index: a {@link ProcessLock} on {@value #FILE} inside the layout, so a
 * lock file left by a killed {@code qmt4j push} blocks nobody.
 */
final class LayoutLock {
    /** The lock file's name inside the layout directory. */
    static final String FILE = ".qmt4j-index.lock";

    private LayoutLock() {}

    /** Blocks until the index lock of the (existing) layout directory {@code dir} is ours. */
    static ProcessLock acquire(Path dir) throws IOException {
        return ProcessLock.acquire(dir.resolve(FILE));
    }
}
