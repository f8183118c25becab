package dev.qmt4j.host;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.ProviderEntry;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PlatformUnavailableException;
import java.nio.file.Path;
import java.util.Optional;

/** Turns a source's error into a {@link ProviderLoadException} naming the provider, its config file and the fix. */
final class ProviderErrors {
    private ProviderErrors() {}

    /**
     * @param override the platform every OCI provider is pulled for ({@code --platform},
     *                 {@code Builder.platform}), if set
     */
    static ProviderLoadException named(ProviderEntry entry, Path configFile, Optional<Platform> override, Qmt4jException e) {
        if (e instanceof ProviderLoadException p) {
            return p;
        }
        String hint = e instanceof PlatformUnavailableException p
                ? platformHint(entry, configFile, override, p)
                        + (p.featureTags().isEmpty() ? "" : "; " + dev.qmt4j.oci.FeatureTags.sentence(p.featureTags()))
                : e.hint();
        return new ProviderLoadException(entry.name(), configFile, e, hint);
    }

    /** Where the request came from decides what to change: --platform, the entry's key, or neither (this machine). */
    private static String platformHint(ProviderEntry entry, Path configFile, Optional<Platform> override,
            PlatformUnavailableException p) {
        // The sandboxed Wasm build when there is one: it runs on every machine.
        Optional<String> better = p.offered().stream().filter(Platform::isWasi).findFirst()
                .or(() -> p.offered().stream().findFirst()).map(Platform::toString);
        // The message names the provider already; the hint says where to change what.
        String where = "its entry in " + configFile;
        if (override.isPresent()) {
            return better.map(b -> "pass --platform " + b + " (or another platform it offers); without --platform each"
                    + " provider uses its platform key, else this machine's platform")
                    .orElse("drop --platform: the image is a single native plugin for no particular platform");
        }
        if (entry.platform().isPresent()) {
            String key = "platform = \"" + entry.platform().get() + "\"";
            return better.map(b -> "change " + key + " in " + where + " to platform = \"" + b
                    + "\" (or another platform it offers), or override it with --platform " + b)
                    .orElse("remove " + key + " from " + where + ": the image is a single native plugin");
        }
        return "the image has no build for this machine (" + p.requested() + ") and no wasi/wasm fallback; set platform = "
                + "\"os/arch\" in " + where + " or pass --platform for another build, or ask the publisher for a "
                + p.requested() + " build or a wasi/wasm fallback";
    }
}
