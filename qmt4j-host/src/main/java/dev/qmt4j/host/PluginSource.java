package dev.qmt4j.host;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.ProviderEntry;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.PluginType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a provider's plugin comes from, parsed from its {@code path}.
 *
 * <ul>
 *   <li>{@code oci://…} and {@code oci-layout://…}: pulled and verified ({@link Oci});</li>
 *   <li>{@code https://…}: downloaded into the cache, pinned by {@code sha256} ({@link Url});</li>
 *   <li>anything else: a local file, relative to the config file's directory ({@link LocalFile}).</li>
 * </ul>
 * A file is Wasm when its name ends in {@code .wasm} and native when it ends in the platform's
 * library extension ({@code .so}, {@code .dylib}, {@code .dll}).
 */
public sealed interface PluginSource {

    /** How the source is shown to users ({@code path} as written, resolved for local files). */
    String display();

    /** A plugin file on disk. No digest or signature checks apply, as in QueryMT. */
    record LocalFile(Path file, PluginType type) implements PluginSource {
        @Override
        public String display() {
            return file.toString();
        }
    }

    /**
     * A plugin downloaded over HTTPS.
     *
     * @param uri      the URL
     * @param sha256   the pinned digest (lower-case hex); required unless {@code insecure}
     * @param insecure {@code insecure = true}: accept whatever the server sends
     * @param type     Wasm or native, from the URL path's extension
     */
    record Url(URI uri, Optional<String> sha256, boolean insecure, PluginType type) implements PluginSource {
        @Override
        public String display() {
            return uri.toString();
        }
    }

    /** An OCI image in a registry or a local layout. */
    record Oci(ImageRef reference) implements PluginSource {
        @Override
        public String display() {
            return reference.toString();
        }
    }

    /**
     * Parses a provider entry's {@code path}.
     *
     * @param configDir the config file's directory, for relative local paths
     * @param osName    {@code os.name}, to pick the native library extension
     * @throws Qmt4jException {@code CONFIG} for an unusable path or a missing pin
     */
    static PluginSource of(ProviderEntry entry, Path configDir, String osName) {
        String path = entry.path();
        if (entry.isOci()) {
            return new Oci(ImageRef.parse(path));
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            URI uri;
            try {
                uri = new URI(path);
            } catch (URISyntaxException e) {
                throw new Qmt4jException(ErrorKind.CONFIG, "provider '" + entry.name() + "': bad URL " + path + ": " + e.getMessage());
            }
            boolean insecure = Boolean.TRUE.equals(entry.extras().get("insecure"));
            Optional<String> pin = entry.sha256().map(s -> s.strip().toLowerCase(Locale.ROOT)).map(s -> s.startsWith("sha256:") ? s.substring(7) : s);
            if (pin.isPresent() && !pin.get().matches("[0-9a-f]{64}")) {
                throw new Qmt4jException(ErrorKind.CONFIG, "provider '" + entry.name() + "': sha256 must be 64 hex digits, got '" + entry.sha256().get() + "'");
            }
            if (pin.isEmpty() && !insecure) {
                throw new Qmt4jException(ErrorKind.CONFIG, "provider '" + entry.name() + "': a URL source needs a sha256 pin",
                        "add sha256 = \"<hex>\" to the provider entry (or insecure = true to accept any content)");
            }
            String file = uri.getPath() == null ? "" : uri.getPath();
            return new Url(uri, pin, insecure, typeOf(file, osName, entry.name(), path));
        }
        Path p = Path.of(path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path);
        Path resolved = p.isAbsolute() || configDir == null ? p : configDir.resolve(p).normalize();
        return new LocalFile(resolved, typeOf(path, osName, entry.name(), path));
    }

    /** The native library extension of {@code osName}: {@code dll}, {@code dylib} or {@code so}. */
    static String nativeExtension(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        return os.startsWith("windows") ? ".dll" : os.startsWith("mac") || os.contains("darwin") ? ".dylib" : ".so";
    }

    private static PluginType typeOf(String file, String osName, String provider, String path) {
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".wasm")) {
            return PluginType.WASM;
        }
        String ext = nativeExtension(osName);
        if (lower.endsWith(ext)) {
            return PluginType.NATIVE;
        }
        throw new Qmt4jException(ErrorKind.CONFIG, "provider '" + provider + "': cannot tell the plugin type of " + path,
                "a plugin file must end in .wasm or, on this platform, " + ext);
    }
}
