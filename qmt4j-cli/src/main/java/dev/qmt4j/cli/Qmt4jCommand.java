package dev.qmt4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code qmt4j} root command: global options and the list of subcommands. */
@Command(name = "qmt4j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Pull, inspect, cache and publish QueryMT provider plugins stored as OCI images.",
        subcommands = {PullCommand.class, InspectCommand.class, CacheCommand.class, PushCommand.class, WasmCommand.class,
                SigstoreCommand.class,
                VerifyCommand.class, SignCommand.class, GenerateKeyPairCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:usage error", "3:config error", "4:not found", "5:authentication",
                "6:network", "7:integrity", "8:signature verification", "9:platform/type", "10:cache",
                "11:extraction", "70:internal error"})
final class Qmt4jCommand implements Runnable {
    final CliContext context;

    @Spec
    CommandSpec spec;

    Qmt4jCommand(CliContext context) {
        this.context = context;
    }

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "QueryMT-style config file (.toml, .json, .yaml); its [oci] table is used.")
    void config(Path file) {
        context.configFile = file;
    }

    @Option(names = "--cache-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Plugin cache directory (default: $QMT4J_CACHE_DIR, config cache_dir, or the platform cache dir).")
    void cacheDir(Path dir) {
        context.cacheDir = dir;
    }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show debug logs and stack traces.")
    void verbose(boolean on) {
        context.verbose = on;
    }

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only results and errors.")
    void quiet(boolean on) {
        context.quiet = on;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: pull, inspect, cache or push");
    }
}
