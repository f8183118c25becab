package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.provider.HttpLimits;
import dev.qmt4j.provider.NetworkPolicy;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.wasm.QmtHost;
import dev.qmt4j.wasm.ExtismPlugin;
import dev.qmt4j.wasm.LogLevel;
import dev.qmt4j.wasm.ModuleSummary;
import dev.qmt4j.wasm.PluginCallException;
import dev.qmt4j.wasm.PluginException;
import dev.qmt4j.wasm.PluginInstance;
import dev.qmt4j.wasm.WasmManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j wasm call FILE FUNC}: like {@code extism call}. Each call's output goes to stdout
 * followed by a newline; a plugin error goes to stderr and the exit code is the error kind's.
 *
 * <p>A QueryMT provider module runs too: when it imports QueryMT's host functions
 * ({@code extism:host/user} {@code qmt_*}) they are linked ({@link QmtHost}), under the same
 * deny-by-default network ({@code --allow-host}) and with no environment; each chunk the guest passes
 * to {@code qmt_yield_chunk} is printed as one JSON line before the call's output. A QueryMT
 * structured error (return code 1, {@code {"payload":{...}}}) is printed with its payload and exits
 * with the code of its kind (docs/exit-codes.md).
 */
@Command(name = "call", mixinStandardHelpOptions = true, description = "Call an export of an Extism plugin.")
final class WasmCallCommand implements Callable<Integer> {
    @ParentCommand
    WasmCommand wasm;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .wasm module.")
    Path file;

    @Parameters(index = "1", paramLabel = "FUNC", description = "The export to call.")
    String function;

    @Option(names = "--input", paramLabel = "STR", description = "Input for the call (UTF-8).")
    String input;

    @Option(names = "--stdin", description = "Read the input from standard input.")
    boolean stdin;

    // Also spelt --config, as in extism call: takeConfigOption gives it that name once the tree is built.
    @Option(names = {"-c", "--plugin-config"}, paramLabel = "KEY=VALUE",
            description = "A plugin config entry for config_get (repeatable); also --config, as in extism call.")
    List<String> config = new ArrayList<>();

    /**
     * Makes {@code --config KEY=VALUE} mean what it means to {@code extism call} here. The root's
     * {@code --config FILE} is inherited by every subcommand, and picocli refuses two options of one
     * name, so the inherited one is dropped from this command (it has no use for a QueryMT config
     * file; {@code qmt4j --config FILE wasm call ...} still parses) and the plugin-config option gets
     * the name. Called by {@link Main} after the subcommands are added.
     */
    static void takeConfigOption(picocli.CommandLine root) {
        picocli.CommandLine wasm = root.getSubcommands().get("wasm");
        picocli.CommandLine call = wasm == null ? null : wasm.getSubcommands().get("call");
        if (call == null) {
            return;
        }
        picocli.CommandLine.Model.CommandSpec spec = call.getCommandSpec();
        picocli.CommandLine.Model.OptionSpec inherited = spec.findOption("--config");
        picocli.CommandLine.Model.OptionSpec pluginConfig = spec.findOption("--plugin-config");
        if (inherited == null || pluginConfig == null || !inherited.inherited()) {
            return;
        }
        spec.remove(inherited);
        spec.remove(pluginConfig);
        spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(pluginConfig)
                .names("-c", "--config", "--plugin-config").build());
    }

    @Option(names = "--allow-host", paramLabel = "HOST",
            description = "A host glob http_request (and QueryMT's qmt_http_*) may reach (repeatable; none by default).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--allow-path", paramLabel = "HOST:GUEST", description = "Pre-open a host directory for WASI (repeatable).")
    List<String> allowPaths = new ArrayList<>();

    @Option(names = "--wasi", description = "Link WASI preview 1 (no environment, stdio discarded).")
    boolean wasi;

    @Option(names = "--timeout-ms", paramLabel = "N", description = "Per-call timeout in ms; 0 for none (default: 30000).")
    Long timeoutMs;

    @Option(names = "--memory-max-pages", paramLabel = "N", description = "Memory limit in 64 KiB pages (default: 1024).")
    Integer maxPages;

    @Option(names = "--loop", paramLabel = "N", defaultValue = "1", description = "Call N times on one instance.")
    int loop;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "Show guest logs at LEVEL and above on stderr: trace, debug, info, warn, error (default: off).")
    String logLevel;

    @Override
    public Integer call() throws IOException {
        CliContext context = wasm.context();
        if (input != null && stdin) {
            throw usage("--input and --stdin exclude each other");
        }
        if (loop < 1) {
            throw usage("--loop must be at least 1");
        }
        if (!Files.isRegularFile(file)) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "no such file: " + file);
        }
        byte[] in = stdin ? System.in.readAllBytes() : input == null ? new byte[0] : input.getBytes(StandardCharsets.UTF_8);
        WasmManifest.Builder m = WasmManifest.builder().module(file).wasi(wasi).allowedHosts(allowHosts);
        for (String kv : config) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw usage("--plugin-config expects KEY=VALUE, got '" + kv + "'");
            }
            m.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        for (String p : allowPaths) {
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw usage("--allow-path expects HOST:GUEST, got '" + p + "'");
            }
            m.allowedPath(Path.of(p.substring(0, colon)), p.substring(colon + 1));
        }
        if (timeoutMs != null) {
            if (timeoutMs < 0) {
                throw usage("--timeout-ms must not be negative");
            }
            m.timeout(Duration.ofMillis(timeoutMs));
        }
        if (maxPages != null) {
            try {
                m.maxPages(maxPages);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        LogLevel level;
        try {
            level = logLevel == null ? LogLevel.OFF : LogLevel.parse(logLevel);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        PrintStream err = context.err();
        PrintStream out = context.out();
        ExtismPlugin.Builder b = ExtismPlugin.builder(m.build()).name(pluginName(file)).poolSize(1).logLevel(level)
                .logSink((l, name, msg) -> err.println("[" + l.name().toLowerCase(java.util.Locale.ROOT) + "] " + name + ": " + msg));
        Path compiled = compileCacheDir(context);
        if (compiled != null) {
            b.compileCacheDir(compiled);
        }
        QmtHost qmt = queryMtHost(Files.readAllBytes(file));
        if (qmt != null) {
            b.hostFunctions(qmt.functions());
        }
        try (ExtismPlugin plugin = b.build(); PluginInstance instance = plugin.instance()) {
            for (int i = 0; i < loop; i++) {
                byte[] result = callOnce(instance, qmt, in, out);
                out.write(result);
                out.println();
                out.flush();
            }
        }
        return 0;
    }

    /** QueryMT's host functions under a deny-by-default policy of the --allow-host globs, if the module imports them. */
    private QmtHost queryMtHost(byte[] wasmBytes) {
        List<ModuleSummary.Item> imports;
        try {
            // Only the import section: building the plugin parses and validates the whole module anyway.
            imports = ModuleSummary.importsOf(wasmBytes);
        } catch (PluginException e) {
            return null; // not a module: building the plugin reports it
        }
        if (!QmtHost.importedBy(imports)) {
            return null;
        }
        NetworkPolicy policy;
        try {
            policy = NetworkPolicy.builder().allowedHosts(allowHosts).build();
        } catch (IllegalArgumentException | ProviderException e) {
            throw usage("--allow-host: " + e.getMessage());
        }
        return new QmtHost(pluginName(file), policy, HttpLimits.DEFAULT);
    }

    private byte[] callOnce(PluginInstance instance, QmtHost qmt, byte[] in, PrintStream out) {
        try {
            if (qmt == null) {
                return instance.call(function, in);
            }
            try (QmtHost.Call call = qmt.newCall(chunk -> {
                out.println(chunk);
                out.flush();
            })) {
                return instance.call(function, in, call.hostContext());
            }
        } catch (PluginCallException e) {
            throw structured(e);
        } catch (ProviderException e) {
            if (e.providerKind() == ProviderErrorKind.SANDBOX_DENIED) {
                // The provider's hint names its config; here the policy is this command's --allow-host.
                throw new Qmt4jException(ErrorKind.SANDBOX, e.getMessage(), "allow the host with --allow-host HOST if you trust it", e);
            }
            throw e;
        }
    }

    /**
     * A QueryMT structured error ({@code error_codes::STRUCTURED} = 1 and a {@code {"payload":{...}}}
     * body) as a provider error whose message shows the payload; any other failure unchanged.
     */
    private RuntimeException structured(PluginCallException e) {
        return QmtHost.structuredError(function, e).<RuntimeException>map(p -> p).orElse(e);
    }

    private static String pluginName(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".wasm") ? n.substring(0, n.length() - 5) : n;
    }

    /** Compiled classes live next to the plugin cache; without a usable cache directory, compile in memory. */
    private static Path compileCacheDir(CliContext context) {
        try {
            return context.services().cacheDirectory().resolve("wasm-compiled");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Qmt4jException usage(String message) {
        return new Qmt4jException(ErrorKind.USAGE, message, "run 'qmt4j wasm call --help' for usage");
    }
}
