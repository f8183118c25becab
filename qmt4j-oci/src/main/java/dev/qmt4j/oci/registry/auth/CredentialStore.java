package dev.qmt4j.oci.registry.auth;

import java.util.Map;
import java.util.Optional;

/** Finds credentials for a registry host ({@code ghcr.io}, {@code 127.0.0.1:5000}, {@code docker.io}). */
@FunctionalInterface
public interface CredentialStore {

    /** Credentials for {@code registry}, or empty to go anonymous. Throws an {@code AUTH} error if a helper fails. */
    Optional<Credentials> lookup(String registry);

    /**
     * As {@link #lookup}, saying why nothing was found when the user can fix it (a credential helper the config
     * names is not installed). Throws an {@code AUTH} error if a helper fails.
     */
    default CredentialLookup find(String registry) {
        return lookup(registry).<CredentialLookup>map(CredentialLookup.Found::new).orElseGet(CredentialLookup.None::new);
    }

    /** Never any credentials. */
    static CredentialStore anonymous() {
        return registry -> Optional.empty();
    }

    /** Fixed credentials per registry host (tests, CLI flags). */
    static CredentialStore of(Map<String, Credentials> byRegistry) {
        Map<String, Credentials> copy = Map.copyOf(byRegistry);
        return registry -> Optional.ofNullable(copy.get(registry));
    }

    /** The Docker and containers config files of the current user and environment. */
    static CredentialStore fromEnvironment() {
        return DockerConfigCredentialStore.fromEnvironment();
    }
}
