package dev.qmt4j.host;

import dev.qmt4j.config.OciSettings;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageSources;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.http.NetworkSettings;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.config.RegistrySettings;
import dev.qmt4j.oci.registry.PullFrom;
import dev.qmt4j.oci.registry.RegistryEntry;
import dev.qmt4j.oci.registry.RegistryMirror;
import dev.qmt4j.oci.registry.RegistryRoutes;
import java.util.ArrayList;
import java.util.List;
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
                .build(), routes(settings));
    }

    /** The {@code [[oci.registry]]} tables as the client's routing value (docs/mirrors.md). */
    static RegistryRoutes routes(OciSettings settings) {
        List<RegistryEntry> entries = new ArrayList<>();
        for (RegistrySettings r : settings.registries()) {
            List<RegistryMirror> mirrors = r.mirrors().stream().map(m -> new RegistryMirror(m.location(),
                    PullFrom.parse(m.pullFromMirror()).orElse(PullFrom.ALL), m.insecure(), m.apiRoot())).toList();
            entries.add(new RegistryEntry(r.prefix(), r.location().orElse(null), r.insecure(), r.blocked(), mirrors));
        }
        return new RegistryRoutes(entries);
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
