package dev.qmt4j.oci;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An OCI platform: os, architecture and optional variant, normalised ({@code x86_64} is
 * {@code amd64}, {@code aarch64} is {@code arm64}, {@code Mac OS X} is {@code darwin}).
 */
public record Platform(String os, String architecture, Optional<String> variant) {

    public static final Platform WASI_WASM = new Platform("wasi", "wasm", Optional.empty());

    private static final Set<String> WASI_OSES = Set.of("wasi", "wasip1", "wasip2");

    /** Convenience for {@code os/arch} without a variant. */
    public static Platform of(String os, String architecture) {
        return new Platform(os, architecture, Optional.empty());
    }

    /** Parses {@code os/arch[/variant]}; throws a {@code USAGE} error on anything else. */
    public static Platform parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || java.util.Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw new Qmt4jException(ErrorKind.USAGE, "invalid platform '" + text + "': expected os/arch[/variant]",
                    "e.g. linux/amd64, darwin/arm64, linux/arm64/v8 or wasi/wasm");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? Optional.of(parts[2]) : Optional.empty()).normalize();
    }

    /** The platform of the running JVM, normalised. */
    public static Platform host() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", "")).normalize();
    }

    /** The same platform with os and architecture spelt the way OCI image indexes spell them. */
    public Platform normalize() {
        return new Platform(normalizeOs(os), normalizeArch(architecture),
                variant.map(v -> v.toLowerCase(Locale.ROOT)));
    }

    static String normalizeOs(String os) {
        String lower = os.toLowerCase(Locale.ROOT).trim();
        if (lower.startsWith("mac") || lower.equals("darwin") || lower.equals("osx")) {
            return "darwin";
        }
        if (lower.startsWith("windows")) {
            return "windows";
        }
        return lower;
    }

    static String normalizeArch(String arch) {
        String lower = arch.toLowerCase(Locale.ROOT).trim();
        return switch (lower) {
            case "x86_64", "x86-64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686", "386" -> "386";
            default -> lower;
        };
    }

    /**
     * Whether an index entry's platform serves this (requested) platform. Os and architecture must
     * be equal after normalisation. A request without a variant takes an entry without one, and for
     * arm64 also {@code arm64/v8} (the only arm64 variant in practice); a request with a variant
     * takes only that variant.
     */
    public boolean matches(Platform indexEntry) {
        Platform want = normalize();
        Platform have = indexEntry.normalize();
        if (!want.os.equals(have.os) || !want.architecture.equals(have.architecture)) {
            return false;
        }
        if (want.variant.isPresent()) {
            return want.variant.equals(have.variant)
                    || (want.architecture.equals("arm64") && want.variant.get().equals("v8") && have.variant.isEmpty());
        }
        return have.variant.isEmpty() || (have.architecture.equals("arm64") && have.variant.get().equals("v8"));
    }

    /** Whether this is a WebAssembly System Interface platform ({@code wasi}, {@code wasip1} or {@code wasip2} on {@code wasm}). */
    public boolean isWasi() {
        return WASI_OSES.contains(os.toLowerCase(Locale.ROOT)) && architecture.equalsIgnoreCase("wasm");
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
}
