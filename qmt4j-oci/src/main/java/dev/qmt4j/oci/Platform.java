package dev.qmt4j.oci;

import java.util.Optional;

/**
 * An OCI platform: os, architecture and optional variant, normalised ({@code x86_64} is
 * {@code amd64}, {@code aarch64} is {@code arm64}, {@code Mac OS X} is {@code darwin}).
 */
public record Platform(String os, String architecture, Optional<String> variant) {

    public static final Platform WASI_WASM = new Platform("wasi", "wasm", Optional.empty());

    /** Parses {@code os/arch[/variant]}; throws a {@code USAGE} error on anything else. */
    public static Platform parse(String text) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The platform of the running JVM. */
    public static Platform host() {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
}
