package dev.qmt4j.cli;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.LoadResult;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.PluginSource;
import dev.qmt4j.host.ProviderLoadException;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.Platform;

/**
 * How the provider commands reach the plugin host: a {@link PluginRegistry} over {@code --config},
 * else the discovered config ({@code QMT4J_CONFIG}, {@code QMT_PROVIDER_CONFIG}, {@code providers.*}
 * in {@code QMT_CONFIG_DIR}, {@code QMT_HOME}, {@code ~/.qmt}), with the CLI's environment and
 * {@code --cache-dir}.
 */
final class HostAccess {
    private HostAccess() {}

    /** Opens the registry; nothing is loaded yet. */
    static PluginRegistry open(CliContext context) {
        return open(context, context.locked ? Boolean.TRUE : null);
    }

    /**
     * Opens the registry with locked mode on, off (for {@code qmt4j lock} itself, which writes the lock), or, when
     * null, as the config's {@code [oci] lock} says.
     */
    static PluginRegistry open(CliContext context, Boolean locked) {
        PluginRegistry.Builder b = PluginRegistry.builder().config(context.configFile).env(context.env());
        if (context.cacheDir != null) {
            b.cacheDir(context.cacheDir);
        }
        if (context.platform != null) {
            b.platform(Platform.parse(context.platform));
        }
        if (locked != null) {
            b.locked(locked);
        }
        PluginRegistry registry = b.build();
        try {
            context.reportWarnings(registry.configFile());
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /** The kind of a provider's source: {@code local}, {@code url}, {@code oci} or {@code layout}. */
    static String sourceKind(PluginSource s) {
        if (s instanceof PluginSource.LocalFile) {
            return "local";
        }
        if (s instanceof PluginSource.Url) {
            return "url";
        }
        return ((PluginSource.Oci) s).reference() instanceof LayoutRef ? "layout" : "oci";
    }

    /**
     * What failed for a provider, for output that already shows the provider's name: a
     * {@link ProviderLoadException}'s reason without its "provider 'NAME' in FILE: " prefix, else the message.
     */
    static String reason(Throwable e) {
        return e instanceof ProviderLoadException p ? p.reason() : String.valueOf(e.getMessage());
    }

    /** The error of a failed load as a {@link Qmt4jException} (they all are; anything else is internal). */
    static Qmt4jException error(LoadResult.Failed f) {
        RuntimeException e = f.error();
        return e instanceof Qmt4jException q ? q
                : new Qmt4jException(dev.qmt4j.ErrorKind.INTERNAL, String.valueOf(e.getMessage()), null, e);
    }
}
