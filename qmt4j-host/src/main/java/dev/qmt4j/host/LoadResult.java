package dev.qmt4j.host;

import dev.qmt4j.oci.PluginType;
import dev.qmt4j.oci.Signer;
import java.util.Optional;

/** The outcome of loading one provider: errors are values, never only log lines. */
public sealed interface LoadResult {

    /** The provider name from the config. */
    String name();

    /**
     * A provider in service.
     *
     * @param name   the provider name
     * @param type   Wasm or native
     * @param source the source as configured
     * @param digest the content digest in service ({@code sha256:…}): the image digest for OCI, the file's for others
     * @param verification the verifier's summary (who signed it, when, Rekor entry), empty for unsigned sources;
     *                     for display only
     * @param signer       who signed it, as the verifier established it (what locked mode and following compare),
     *                     empty for unsigned sources and skipped verification
     */
    record Loaded(String name, PluginType type, String source, String digest, Optional<String> verification,
            Optional<Signer> signer) implements LoadResult {}

    /**
     * A provider that could not be loaded.
     *
     * @param name  the provider name
     * @param error why, with its cause
     */
    record Failed(String name, RuntimeException error) implements LoadResult {}
}
