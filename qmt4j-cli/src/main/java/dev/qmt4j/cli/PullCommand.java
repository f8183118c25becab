package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.pull.PullRequest;
import dev.qmt4j.pull.PullResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code qmt4j pull REF}: fetch a plugin into the cache and print its path. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Pull a plugin into the cache and print the path of the plugin file.",
                "REF is oci://[registry/]repository[:tag][@digest] or oci-layout://DIR[:tag|@digest]."})
final class PullCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Parameters(index = "0", paramLabel = "REF", description = "The plugin image reference.")
    String reference;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Pick this index entry instead of the host's (e.g. linux/arm64, wasi/wasm).")
    String platform;

    @Option(names = "--force", description = "Re-resolve and re-download even if cached.")
    boolean force;

    @Option(names = "--insecure-skip-signature",
            description = "Pull without verifying the image signature (also [oci] insecure_skip_signature).")
    boolean insecureSkipSignature;

    @Option(names = "--file", paramLabel = "NAME",
            description = "Plugin file name to write (Wasm) or pick from the archive (native).")
    String file;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Mixin
    PolicyOptions policy;

    @Override
    public Integer call() {
        CliContext context = root.context;
        ImageRef ref = ImageRef.parse(reference);
        Optional<Platform> override = Optional.ofNullable(platform).or(() -> Optional.ofNullable(context.platform)).map(Platform::parse);
        Services services = context.services();
        // A verification option typed on the command line is a deliberate request to verify: it wins over the
        // config's insecure_skip_signature, and contradicts --insecure-skip-signature (docs/cli.md, pull).
        List<String> verifyOptions = policy.given();
        if (insecureSkipSignature && !verifyOptions.isEmpty()) {
            throw new Qmt4jException(ErrorKind.USAGE, "--insecure-skip-signature cannot be combined with "
                    + String.join(", ", verifyOptions), "drop --insecure-skip-signature to verify, or the verification options to skip");
        }
        boolean skip = verifyOptions.isEmpty() && services.skipSignature(insecureSkipSignature);
        if (!insecureSkipSignature && !verifyOptions.isEmpty() && services.skipSignature(false)) {
            context.err().println("note: verifying with " + String.join(", ", verifyOptions)
                    + " although the config sets [oci] insecure_skip_signature = true (command-line options win)");
        }
        PullRequest request = new PullRequest(ref, override, Optional.ofNullable(file), force, skip);
        PullResult result = services.puller(policy.flags()).pull(request, ProgressListeners.forCli(context, json));

        for (String warning : result.warnings()) {
            context.err().println("warning: " + warning);
        }
        services.trustRootNotice().ifPresent(n -> context.err().println("warning: " + n));
        if (json) {
            context.out().println(Json.write(toJson(result)));
        } else {
            context.info((result.cached() ? "cached " : "downloaded ") + result.type().id() + " plugin "
                    + result.digest() + (result.offline() ? " (offline: registry unreachable)" : ""));
            context.out().println(result.path());
        }
        return 0;
    }

    static Map<String, Object> toJson(PullResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", r.reference().canonical());
        m.put("digest", r.digest().toString());
        m.put("type", r.type().id());
        m.put("path", r.path().toString());
        m.put("cached", r.cached());
        m.put("manifestDigest", r.manifestDigest().toString());
        m.put("layerDigest", r.layerDigest().toString());
        m.put("platform", r.platform().map(Platform::toString));
        m.put("offline", r.offline());
        m.put("warnings", r.warnings());
        return m;
    }
}
