package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code qmt4j} command-line entry point.
 *
 * <p>{@link #run} is the whole CLI as a function of its arguments, streams and environment, so tests
 * drive it in-process and only the process-level tests pay for a JVM start.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, System.getenv());
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs the CLI.
     *
     * @return the exit code: 0, 2 for usage errors, {@link ErrorKind#exitCode()} for a
     *     {@link Qmt4jException}, 70 for anything unexpected
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, env, CliContext::systemTerminal);
    }

    /** {@link #run} with the terminal check replaced (tests draw progress bars without a console). */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, BooleanSupplier terminal) {
        boolean verbose = Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
        Logging.configure(verbose);
        // picocli looks up groovy.lang.Closure once (its DefaultFactory) unless told not to; a class that
        // is in no jar makes the class loader open and index every jar on the class path first, ~30 ms
        // of a one-shot command (docs/benchmarks.md, "Provider start-up"). qmt4j has no Groovy closures.
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
        CliContext context = new CliContext(out, err, env, terminal);
        Optional<WasmCallCommand> shortcut = WasmCallShortcut.of(args, context);
        if (shortcut.isPresent()) {
            // as picocli would run it: the exit code it returns, or any exception through failure()
            try {
                return shortcut.get().call();
            } catch (Exception e) {
                return failure(e, context);
            } finally {
                out.flush();
                err.flush();
            }
        }
        return runParsed(args, out, err, context);
    }

    /** {@link #run} through picocli, without {@link WasmCallShortcut} (tests compare the two). */
    static int runParsed(String[] args, PrintStream out, PrintStream err, CliContext context) {
        CommandLine cli = new CommandLine(new Qmt4jCommand(context));
        Optional<Class<?>> only = invokedSubcommand(cli.getCommandSpec(), args);
        if (only.isPresent()) {
            cli.addSubcommand(only.get());
        } else {
            Qmt4jCommand.SUBCOMMANDS.values().forEach(cli::addSubcommand);
        }
        WasmCallCommand.takeConfigOption(cli);
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> failure(e, context));
        cli.setExecutionStrategy(parsed -> {
            Qmt4jCommand.checkPlatformScope(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The subcommand these arguments invoke, when that is certain from the arguments alone: the first
     * argument after the global options names a subcommand. Then only that subcommand's model is
     * built (the parse, and every message, is the same as with the whole tree). Empty (build the whole
     * tree) for anything else: no command, help, --version, an unknown or misspelt name, or an option
     * this method does not know.
     */
    static Optional<Class<?>> invokedSubcommand(CommandSpec root, String[] args) {
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            int eq = a.startsWith("--") ? a.indexOf('=') : -1;
            OptionSpec option = root.findOption(eq > 0 ? a.substring(0, eq) : a);
            if (option == null) {
                return Optional.ofNullable(Qmt4jCommand.SUBCOMMANDS.get(a));
            }
            if (option.usageHelp() || option.versionHelp()) {
                return Optional.empty();
            }
            // a value in the same argument (--opt=value), none (a flag), or in the next argument
            i += (eq > 0 || option.arity().max() == 0) ? 1 : 2;
        }
        return Optional.empty();
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + terminalSafe(e.getMessage()));
        err.println("hint: run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage");
        err.flush();
        return ErrorKind.USAGE.exitCode();
    }

    /**
     * {@code text} with control and format characters other than newline and tab written as
     * {@code \\uXXXX}: messages quote input nobody vetted (references, names and identities from
     * registries and unverified certificates), whose escape sequences must not reach the terminal.
     */
    static String terminalSafe(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            int t = Character.getType(c);
            boolean control = (Character.isISOControl(c) && c != '\n' && c != '\t') || t == Character.FORMAT
                    || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR;
            if (control) {
                sb.append(String.format("\\u%04X", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    /** Prints an error the way users should see it and picks the exit code. */
    static int failure(Throwable e, CliContext context) {
        PrintStream err = context.err();
        if (e instanceof Qmt4jException q) {
            err.println("error: " + terminalSafe(q.getMessage()));
            if (q.hint() != null) {
                err.println("hint: " + terminalSafe(q.hint()));
            }
            if (context.verbose()) {
                e.printStackTrace(err);
            }
            err.flush();
            return q.kind().exitCode();
        }
        err.println("internal error: " + terminalSafe(String.valueOf(e)) + (context.verbose() ? "" : " (run with --verbose for details)"));
        if (context.verbose()) {
            e.printStackTrace(err);
        }
        err.flush();
        return ErrorKind.INTERNAL.exitCode();
    }
}
