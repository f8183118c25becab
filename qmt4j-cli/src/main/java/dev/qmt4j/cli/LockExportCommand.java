package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.LockFile;
import dev.qmt4j.host.LockedProvider;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j lock export DEST}: copies everything the lock pins to a registry ({@code oci://HOST/PREFIX}:
 * {@code UPSTREAM/NS/REPO} lands at {@code HOST/PREFIX/NS/REPO}) or to OCI layout directories
 * ({@code oci-layout://DIR}: one layout per repository, {@code DIR/UPSTREAM/NS/REPO}), digests and tags unchanged.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Copy every image the lock pins (all platforms, signatures, bundles) to DEST, digests unchanged.",
                "DEST is oci://HOST[/PREFIX] (UPSTREAM/NS/REPO lands at HOST/PREFIX/NS/REPO) or oci-layout://DIR."})
final class LockExportCommand implements Callable<Integer> {
    @ParentCommand
    LockCommand parent;

    @Parameters(index = "0", paramLabel = "DEST", description = "oci://HOST[/PREFIX] or oci-layout://DIR")
    String destination;

    @Override
    public Integer call() {
        CliContext context = parent.root.context;
        Path file;
        try (PluginRegistry registry = HostAccess.open(context, false)) {
            if (context.configFile == null) {
                context.configFile = registry.configFile().source();
            }
            file = parent.lockFile != null ? parent.lockFile : PluginRegistry.lockFile(registry.configFile());
        }
        LockFile lock = LockFile.read(file);
        Services services = context.services();
        Path tmp;
        try {
            tmp = Files.createTempDirectory("qmt4j-export");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = 0;
        for (LockedProvider p : lock.providers()) {
            if (!(p instanceof LockedProvider.Oci o)) {
                continue;
            }
            ImageRef upstream = ImageRef.parse(o.reference());
            ImageRef dest = destination(upstream, o);
            try (ImageSource source = services.source(upstream); ImageTarget target = services.target(dest)) {
                String what = new LockExporter(source, target, tmp).export(Digest.parse(o.digest()), o.tag());
                context.out().println(o.name() + ": " + o.digest() + " -> " + dest.canonical() + " (" + what + ")");
                n++;
            } catch (Qmt4jException e) {
                throw new Qmt4jException(e.kind(), "provider '" + o.name() + "': export of " + o.reference() + " to "
                        + dest.canonical() + " failed: " + e.getMessage(), e.hint(), e);
            }
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // an empty temporary directory left behind is harmless
        }
        context.info("exported " + n + " images from " + file);
        return 0;
    }

    private ImageRef destination(ImageRef upstream, LockedProvider.Oci o) {
        if (!(upstream instanceof RegistryRef r)) {
            throw new Qmt4jException(ErrorKind.USAGE, "provider '" + o.name() + "': " + o.reference()
                    + " is a layout already; export copies registry images", "copy the layout directory itself");
        }
        String tag = o.tag().map(t -> ":" + t).orElse("@" + o.digest());
        String dest = destination.endsWith("/") ? destination.substring(0, destination.length() - 1) : destination;
        if (dest.startsWith("oci://")) {
            return ImageRef.parse(dest + "/" + r.repository() + tag);
        }
        if (dest.startsWith("oci-layout://")) {
            return ImageRef.parse(dest + "/" + r.registry().replace(':', '_') + "/" + r.repository() + tag);
        }
        throw new Qmt4jException(ErrorKind.USAGE, "export destination must be oci://HOST[/PREFIX] or oci-layout://DIR, got '"
                + destination + "'", "e.g. qmt4j lock export oci://mirror.corp:5000/upstream");
    }
}
