package dev.qmt4j.cli;

import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageSources;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.auth.DockerConfigCredentialStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Registry access for the CLI, in its own class so the HTTP client and auth code load only when a
 * registry is actually contacted (never on a cache hit or for a layout).
 */
final class RegistrySources {
    private final RegistryClient client;

    RegistrySources(List<String> insecureRegistries, Map<String, String> env) {
        // Credentials are read from the environment the CLI was given, so in-process tests stay isolated.
        this.client = new RegistryClient(RegistryOptions.builder()
                .insecureRegistries(insecureRegistries)
                .credentials(new DockerConfigCredentialStore(env, Path.of(System.getProperty("user.home", "."))))
                .build());
    }

    ImageSource source(RegistryRef ref) {
        return ImageSources.open(ref, client);
    }

    ImageTarget target(RegistryRef ref) {
        return ImageSources.openTarget(ref, client);
    }
}
