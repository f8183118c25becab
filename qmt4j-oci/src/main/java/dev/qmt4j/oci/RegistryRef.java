package dev.qmt4j.oci;

import java.util.Optional;

/**
 * A reference into a registry, normalised: {@code registry} is the host (and port) as users write
 * it ({@code docker.io} for Docker Hub), {@code repository} includes {@code library/} for official
 * Docker Hub images, and a reference with neither tag nor digest has tag {@code latest}.
 */
public record RegistryRef(String registry, String repository, Optional<String> tag, Optional<Digest> digest)
        implements ImageRef {

    /** The host the registry API is served from ({@code registry-1.docker.io} for Docker Hub). */
    public String apiHost() {
        return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    }

    /** The tag or, if pinned, the digest: what goes after {@code /manifests/}. */
    public String tagOrDigest() {
        return digest.map(Digest::toString).orElseGet(() -> tag.orElse("latest"));
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    @Override
    public String canonical() {
        return "oci://" + name() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }

    @Override
    public RegistryRef withDigest(Digest d) {
        return new RegistryRef(registry, repository, tag, Optional.of(d));
    }

    @Override
    public String toString() {
        return canonical();
    }
}
