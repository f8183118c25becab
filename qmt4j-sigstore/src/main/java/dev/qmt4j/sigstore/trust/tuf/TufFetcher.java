package dev.qmt4j.sigstore.trust.tuf;

import java.io.IOException;
import java.util.Optional;

/** Reads files of a TUF repository (metadata and targets), relative to its base. Injectable for tests. */
@FunctionalInterface
public interface TufFetcher {
    /**
     * @param path      e.g. {@code 17.root.json}, {@code timestamp.json}, {@code targets/<hex>.trusted_root.json}
     * @param maxLength refuse (IOException) bodies longer than this
     * @return the body, or empty if the repository has no such file (404)
     * @throws IOException network failure, other HTTP status, or body too long
     */
    Optional<byte[]> fetch(String path, long maxLength) throws IOException;
}
