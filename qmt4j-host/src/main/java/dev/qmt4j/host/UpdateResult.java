package dev.qmt4j.host;

import java.util.Optional;

/** The outcome of {@link PluginRegistry#update()} for one OCI provider. */
public sealed interface UpdateResult {

    /** The provider name. */
    String name();

    /**
     * The provider is serving {@code digest}.
     *
     * @param previous the digest that was in service before, if the provider was loaded
     * @param digest   the digest now in service
     * @param changed  whether a new version was swapped in
     */
    record Updated(String name, Optional<String> previous, String digest, boolean changed) implements UpdateResult {}

    /**
     * The update failed; whatever was in service stays in service.
     *
     * @param stillServing the digest still in service, if any
     * @param error        why
     */
    record Failed(String name, Optional<String> stillServing, RuntimeException error) implements UpdateResult {}
}
