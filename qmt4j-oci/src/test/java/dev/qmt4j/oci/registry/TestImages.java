package dev.qmt4j.oci.registry;

import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.oci.registry.auth.Credentials;
import dev.qmt4j.testkit.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Small hand-built images and client settings for registry tests. */
final class TestImages {
    private TestImages() {}

    /** A pushed (or to-be-pushed) image: config, one layer, and manifest bytes. */
    record Image(byte[] config, Descriptor configDescriptor, byte[] layer, Descriptor layerDescriptor, byte[] manifest) {
        Digest manifestDigest() {
            return Digest.sha256(manifest);
        }
    }

    static Image image(int layerSize, long seed) {
        byte[] layer = new byte[layerSize];
        new Random(seed).nextBytes(layer);
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        Descriptor cd = Descriptor.of(MediaTypes.WASM_CONFIG, Digest.sha256(config), config.length);
        Descriptor ld = Descriptor.of(MediaTypes.WASM_LAYER, Digest.sha256(layer), layer.length);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + cd.mediaType() + "\",\"digest\":\"" + cd.digest() + "\",\"size\":" + cd.size() + "},"
                + "\"layers\":[{\"mediaType\":\"" + ld.mediaType() + "\",\"digest\":\"" + ld.digest() + "\",\"size\":" + ld.size()
                + ",\"annotations\":{\"org.opencontainers.image.title\":\"plugin.wasm\"}}],"
                + "\"annotations\":{\"mt.query.plugin.type\":\"extism\"}}";
        return new Image(config, cd, layer, ld, manifest.getBytes(StandardCharsets.UTF_8));
    }

    static RegistryRef ref(String host, String repository, String tag) {
        return new RegistryRef(host, repository, Optional.ofNullable(tag), Optional.empty());
    }

    static RegistryRef ref(String host, String repository, Digest digest) {
        return new RegistryRef(host, repository, Optional.empty(), Optional.of(digest));
    }

    /** Fast retries, and the credentials the registry accepts. */
    static RegistryOptions.Builder options(RegistryServer registry, String... extraHosts) {
        CredentialStore store = CredentialStore.anonymous();
        if (registry != null && registry.auth() != RegistryServer.Auth.NONE) {
            Credentials c = new Credentials.Basic(registry.username(), registry.password());
            java.util.Map<String, Credentials> m = new java.util.HashMap<>(Map.of(registry.host(), c));
            for (String h : extraHosts) {
                m.put(h, c);
            }
            store = CredentialStore.of(m);
        }
        return RegistryOptions.builder()
                .credentials(store)
                .proxySelector(null)
                .maxRetries(3)
                .backoffBase(Duration.ofMillis(1))
                .maxRetryAfter(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(20));
    }
}
