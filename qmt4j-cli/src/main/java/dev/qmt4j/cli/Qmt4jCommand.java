package dev.qmt4j.cli;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code qmt4j} root command: global options and the list of subcommands. */
@Command(name = "qmt4j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Pull, inspect, cache and publish QueryMT provider plugins stored as OCI images.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:usage error", "3:config error", "4:not found", "5:authentication",
                "6:network", "7:integrity", "8:signature verification", "9:platform/type", "10:cache",
                "11:extraction", "12:plugin failed", "13:sandbox refused", "14:cache permissions",
                "15:registry blocked, no mirror could serve", "16:config and lockfile disagree", "70:internal error"})
final class Qmt4jCommand implements Runnable {
    /**
     * The subcommands, in help order, by name. Not in the annotation: {@link Main} adds them, all of
     * them for help and anything it cannot classify, or only the one invoked, because picocli's
     * reflective model of the whole tree is most of the CLI's start-up time.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("pull", PullCommand.class);
        m.put("inspect", InspectCommand.class);
        m.put("cache", CacheCommand.class);
        m.put("push", PushCommand.class);
        m.put("wasm", WasmCommand.class);
        m.put("sigstore", SigstoreCommand.class);
        m.put("verify", VerifyCommand.class);
        m.put("sign", SignCommand.class);
        m.put("generate-key-pair", GenerateKeyPairCommand.class);
        m.put("providers", ProvidersCommand.class);
        m.put("models", ModelsCommand.class);
        m.put("chat", ChatCommand.class);
        m.put("embed", EmbedCommand.class);
        m.put("call", CallCommand.class);
        m.put("update", UpdateCommand.class);
        m.put("lock", LockCommand.class);
        m.put("doctor", DoctorCommand.class);
        m.put("completion", CompletionCommand.class);
        return Collections.unmodifiableMap(m);
    }

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

    /** The commands the global {@code --platform} applies to (pull and inspect: as the default of their own). */
    static final Set<String> PLATFORM_COMMANDS = Set.of("pull", "inspect", "providers", "models", "chat", "embed", "call", "update", "doctor");

    /** A global {@code --platform} before a command it means nothing to is a usage error, not silently ignored. */
    static void checkPlatformScope(ParseResult parsed) {
        if (parsed.hasMatchedOption("--platform") && parsed.hasSubcommand()
                && !PLATFORM_COMMANDS.contains(parsed.subcommand().commandSpec().name())) {
            CommandLine sub = parsed.subcommand().commandSpec().commandLine();
            throw new ParameterException(sub, "--platform before '" + sub.getCommandName() + "' does not apply to it (only to "
                    + String.join(", ", new java.util.TreeSet<>(PLATFORM_COMMANDS)) + ")");
        }
    }

    /** Not inherited: pull and push have their own --platform; the provider commands take it through {@link PlatformOption}. */
    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = PlatformOption.DESCRIPTION + " For pull and inspect, the default of their own --platform.")
    void platform(String value) {
        context.platform = value;
    }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show debug logs and stack traces.")
    void verbose(boolean on) {
        context.verbose = on;
    }

    @Option(names = "--strict", scope = ScopeType.INHERIT,
            description = "Unknown keys in the config file are errors (exit 3) instead of warnings.")
    void strict(boolean on) {
        context.strict = on;
    }

    @Option(names = "--locked", scope = ScopeType.INHERIT,
            description = "Locked mode: load every provider from qmt4j.lock beside the config (by digest, same signer; docs/locking.md).")
    void locked(boolean on) {
        context.locked = on;
    }

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only results and errors.")
    void quiet(boolean on) {
        context.quiet = on;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of " + String.join(", ", SUBCOMMANDS.keySet()));
    }
}
