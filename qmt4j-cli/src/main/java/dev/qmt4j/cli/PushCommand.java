package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j push REF}: publish a Wasm plugin as a single manifest, or native libraries (plus an
 * optional Wasm fallback) as an image index.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Publish a plugin image to a registry (oci://) or an OCI layout directory (oci-layout://).",
                "Either --wasm FILE alone, or one --platform os/arch=FILE per native library (with an optional",
                "--wasm-fallback FILE, also accepted as --wasm, for the wasi/wasm entry)."})
final class PushCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Parameters(index = "0", paramLabel = "REF", description = "Where to push, with the tag to set.")
    String reference;

    @Option(names = "--wasm", paramLabel = "FILE", description = "The plugin.wasm to publish.")
    Path wasm;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]=FILE",
            description = "A native library for one platform (repeatable).")
    List<String> platforms = List.of();

    @Option(names = "--wasm-fallback", paramLabel = "FILE", description = "A Wasm build offered as wasi/wasm in the index.")
    Path wasmFallback;

    @Option(names = "--annotation", paramLabel = "KEY=VALUE", description = "A manifest annotation (repeatable).")
    List<String> annotations = List.of();

    @Override
    public Integer call() {
        CliContext context = root.context;
        ImageRef ref = ImageRef.parse(reference);
        Map<String, String> notes = annotations();
        String tag = ref.tag().orElse(null);
        Digest digest;
        if (platforms.isEmpty()) {
            if (wasm == null) {
                throw usage("nothing to push", "give --wasm FILE, or --platform os/arch=FILE for native libraries");
            }
            if (wasmFallback != null) {
                throw usage("--wasm-fallback needs at least one --platform", "use --wasm alone for a Wasm-only image");
            }
            checkFile(wasm);
            try (ImageTarget target = context.services().target(ref)) {
                digest = ImagePackager.pushWasm(target, wasm, tag, notes);
            }
        } else {
            if (wasm != null && wasmFallback != null) {
                throw usage("give the Wasm fallback once, as --wasm or --wasm-fallback", null);
            }
            Optional<Path> fallback = Optional.ofNullable(wasmFallback != null ? wasmFallback : wasm);
            fallback.ifPresent(PushCommand::checkFile);
            Map<Platform, Path> natives = natives();
            try (ImageTarget target = context.services().target(ref)) {
                digest = ImagePackager.pushNativeIndex(target, natives, fallback, tag, notes);
            }
        }
        context.info("pushed " + ref.canonical());
        context.out().println(digest);
        return 0;
    }

    private Map<Platform, Path> natives() {
        Map<Platform, Path> natives = new LinkedHashMap<>();
        for (String spec : platforms) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw usage("--platform '" + spec + "' is not os/arch[/variant]=FILE", "e.g. --platform linux/amd64=build/libplugin.so");
            }
            Platform p = Platform.parse(spec.substring(0, eq));
            Path file = Path.of(spec.substring(eq + 1));
            checkFile(file);
            if (natives.put(p, file) != null) {
                throw usage("platform " + p + " given twice", null);
            }
        }
        return natives;
    }

    private Map<String, String> annotations() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : annotations) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw usage("--annotation '" + a + "' is not KEY=VALUE", null);
            }
            out.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return out;
    }

    private static void checkFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "no such file: " + file);
        }
    }

    private static Qmt4jException usage(String message, String hint) {
        return new Qmt4jException(ErrorKind.USAGE, message, hint);
    }
}
