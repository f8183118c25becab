package dev.qmt4j.cli;

import dev.qmt4j.config.ProviderEntry;
import dev.qmt4j.host.LockFile;
import dev.qmt4j.host.LockedProvider;
import dev.qmt4j.host.PluginSource;
import dev.qmt4j.oci.Digest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The offline comparison behind {@code qmt4j lock --check} (docs/locking.md): one line per difference,
 * each naming the provider. Nothing is fetched: OCI pins are compared only where the config itself
 * names a digest; local files are hashed again; {@code https://} pins are compared with the config's.
 */
final class LockCheck {
    private LockCheck() {}

    static List<String> differences(LockFile lock, List<ProviderEntry> entries, Function<String, PluginSource> sources) {
        List<String> out = new ArrayList<>();
        for (ProviderEntry e : entries) {
            Optional<LockedProvider> exact = lock.find(e.name(), e.path());
            if (exact.isEmpty()) {
                Optional<LockedProvider> byName = lock.find(e.name());
                out.add(byName.map(p -> "provider '" + e.name() + "': the config says " + e.path() + ", the lock " + p.reference())
                        .orElse("provider '" + e.name() + "' (" + e.path() + "): not in the lock"));
                continue;
            }
            PluginSource source = sources.apply(e.name());
            LockedProvider p = exact.get();
            if (source instanceof PluginSource.Oci oci) {
                if (!(p instanceof LockedProvider.Oci o)) {
                    out.add("provider '" + e.name() + "': the lock records a file, the config an OCI image");
                } else {
                    oci.reference().digest().map(Digest::toString).filter(d -> !d.equals(o.digest()))
                            .ifPresent(d -> out.add("provider '" + e.name() + "': the config pins " + d + ", the lock " + o.digest()));
                }
                continue;
            }
            if (!(p instanceof LockedProvider.File f)) {
                out.add("provider '" + e.name() + "': the lock records an OCI image, the config a file");
                continue;
            }
            if (source instanceof PluginSource.LocalFile local) {
                if (!Files.isRegularFile(local.file())) {
                    out.add("provider '" + e.name() + "': " + local.file() + " does not exist (the lock has sha256:" + f.sha256() + ")");
                } else {
                    String now = Digest.sha256(local.file()).hex();
                    if (!now.equals(f.sha256())) {
                        out.add("provider '" + e.name() + "': " + local.file() + " has sha256:" + now + ", the lock sha256:" + f.sha256());
                    }
                }
            } else if (source instanceof PluginSource.Url url && url.sha256().isPresent()) {
                // Unpinned in the config, the lock's hash is the only pin (taken from the download): nothing to compare.
                String pin = url.sha256().get().toLowerCase(Locale.ROOT);
                if (!pin.equals(f.sha256())) {
                    out.add("provider '" + e.name() + "': the config pins sha256:" + pin + ", the lock sha256:" + f.sha256());
                }
            }
        }
        return out;
    }
}
