package dev.qmt4j.host;

import dev.qmt4j.config.OciSettings;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageSources;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.NetworkSettings;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.auth.DockerConfigCredentialStore;
import java.nio.file.Path;
import java.util.Map;

/**
 * The registry client built from {@code [oci]}, in its own class so the HTTP client and the auth code are
 * loaded only when a registry is actually contacted (never on a cache hit or for a layout).
 */
final class RegistryAccess {
    private final RegistryClient client;

    RegistryAccess(OciSettings settings, Map<String, String> env, Path home, NetworkSettings network) {
        // Credentials and proxies come from the environment given (not the process's), so in-process callers stay isolated.
        this.client = new RegistryClient(RegistryOptions.builder()
                .insecureRegistries(settings.insecureRegistries())
                .credentials(new DockerConfigCredentialStore(env, home))
                .caCertificates(network.caCertificates())
                .proxySelector(network.proxies().orElse(null))
                .build());
    }

    RegistryClient client() {
        return client;
    }

    ImageSource source(RegistryRef ref) {
        return ImageSources.open(ref, client);
    }

    ImageTarget target(RegistryRef ref) {
        return ImageSources.openTarget(ref, client);
    }
}
