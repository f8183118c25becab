package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.ProviderEntry;
import dev.qmt4j.host.LockFile;
import dev.qmt4j.host.LockedProvider;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.PluginSource;
import dev.qmt4j.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j lock}: writes the config's lockfile (docs/locking.md). Without options it keeps the
 * entries the lock already has for the config's providers and resolves only the missing ones;
 * {@code --update [NAME...]} re-resolves the named providers (all without names); {@code --check}
 * compares config and lock offline and exits {@code LOCK} (16) naming each difference; {@code --check --online}
 * also resolves each OCI provider's tag and reports a tag that moved or a signer that changed ({@link LockOnlineCheck}).
 */
@Command(name = "lock", mixinStandardHelpOptions = true, subcommands = LockExportCommand.class,
        description = {"Pin every provider of the config in a lockfile (qmt4j.lock beside the config).",
                "OCI providers: the resolved tag, the digest, every platform and the signer that verified;",
                "local and https:// providers: their sha256. See docs/locking.md."})
final class LockCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Option(names = "--lock", paramLabel = "FILE", description = "The lockfile (default: qmt4j.lock beside the config).")
    Path lockFile;

    @Option(names = "--check", description = "Compare the config with the lock, offline; exit 16 naming each difference.")
    boolean check;

    @Option(names = "--online", description = {"With --check: also resolve each OCI provider's tag (through the mirrors)",
            "and report a tag that moved, whether the new digest verifies and whether its signer is the locked one;",
            "exit 16 when one moved, the error's code when a registry cannot be reached. Writes nothing."})
    boolean online;

    @Option(names = "--update", description = "Re-resolve the named providers (all without names) and move their pins.")
    boolean update;

    @Parameters(arity = "0..*", paramLabel = "NAME", description = "With --update: the providers to re-resolve.")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        CliContext context = root.context;
        if (!names.isEmpty() && !update) {
            throw new Qmt4jException(ErrorKind.USAGE, "provider names are only taken with --update",
                    "run 'qmt4j lock --update " + String.join(" ", names) + "'");
        }
        if (online && !check) {
            throw new Qmt4jException(ErrorKind.USAGE, "--online is only taken with --check", "run 'qmt4j lock --check --online'");
        }
        if (check && update) {
            throw new Qmt4jException(ErrorKind.USAGE, "--check and --update cannot be combined", "run one, then the other");
        }
        try (PluginRegistry registry = HostAccess.open(context, false)) {
            Path config = registry.configFile().source();
            if (context.configFile == null) {
                context.configFile = config; // the verifier reads the providers' verify blocks from it
            }
            Path file = lockFile != null ? lockFile : PluginRegistry.lockFile(registry.configFile());
            List<ProviderEntry> entries = registry.configFile().providers();
            for (String n : names) {
                if (entries.stream().noneMatch(e -> e.name().equals(n))) {
                    throw new Qmt4jException(ErrorKind.USAGE, "no provider named '" + n + "' in " + config,
                            "the providers are: " + String.join(", ", registry.names()));
                }
            }
            if (check) {
                return check(context, registry, file, entries);
            }
            return write(context, registry, file, entries);
        }
    }

    private int write(CliContext context, PluginRegistry registry, Path file, List<ProviderEntry> entries) {
        Optional<LockFile> existing = Files.exists(file) ? Optional.of(LockFile.read(file)) : Optional.empty();
        Set<String> refresh = new LinkedHashSet<>(names);
        LockResolver resolver = new LockResolver(context.services());
        List<LockedProvider> out = new ArrayList<>();
        for (ProviderEntry e : entries) {
            boolean forced = update && (names.isEmpty() || refresh.contains(e.name()));
            Optional<LockedProvider> kept = forced ? Optional.empty()
                    : existing.flatMap(l -> l.find(e.name(), e.path()));
            if (kept.isPresent()) {
                out.add(kept.get());
                continue;
            }
            PluginSource source = registry.source(e.name());
            Optional<LockedProvider> locked = resolver.resolve(e.name(), e.path(), source);
            if (locked.isEmpty()) {
                // An https:// plugin without a pin: the lock pins what the server serves now (downloaded and
                // hashed, never run), as a package lockfile's integrity field does; later loads must match it.
                Digest digest = registry.fileDigest(e.name());
                locked = Optional.of(new LockedProvider.File(e.name(), e.path(), digest.hex()));
                context.info("provider '" + e.name() + "': " + e.path() + " has no sha256 pin in the config;"
                        + " locked the download's " + digest);
            }
            Optional<LockedProvider> before = existing.flatMap(l -> l.find(e.name(), e.path()));
            context.out().println(e.name() + ": " + describe(locked.get(), before));
            out.add(locked.get());
        }
        existing.ifPresent(l -> l.providers().stream()
                .filter(p -> entries.stream().noneMatch(e -> e.name().equals(p.name()) && e.path().equals(p.reference())))
                .forEach(p -> context.info("removed " + p.name() + " (" + p.reference() + "): not in the config")));
        new LockFile(out).write(file);
        context.info("wrote " + file);
        return 0;
    }

    private static String describe(LockedProvider now, Optional<LockedProvider> before) {
        String pin = pin(now);
        if (before.isEmpty()) {
            return "locked " + pin;
        }
        String old = pin(before.get());
        return old.equals(pin) ? "unchanged " + pin : "updated " + old + " -> " + pin;
    }

    private static String pin(LockedProvider p) {
        return p instanceof LockedProvider.Oci o ? o.digest() : "sha256:" + ((LockedProvider.File) p).sha256();
    }

    private int check(CliContext context, PluginRegistry registry, Path file, List<ProviderEntry> entries) {
        LockFile lock = LockFile.read(file);
        List<String> differences = LockCheck.differences(lock, entries, registry::source);
        for (String d : differences) {
            context.out().println(d);
        }
        Optional<Qmt4jException> unreachable = Optional.empty();
        int moved = 0;
        if (online) {
            LockOnlineCheck registryCheck = new LockOnlineCheck(context.services());
            for (ProviderEntry e : entries) {
                // Only entries the offline part found in the lock; local and https:// ones were compared above.
                Optional<LockedProvider> p = lock.find(e.name(), e.path());
                if (p.isEmpty() || !(p.get() instanceof LockedProvider.Oci o)
                        || !(registry.source(e.name()) instanceof PluginSource.Oci oci)) {
                    continue;
                }
                LockOnlineCheck.Outcome outcome = registryCheck.check(e.name(), oci.reference(), o);
                context.out().println(outcome.line());
                if (outcome.status() == LockOnlineCheck.Status.MOVED) {
                    moved++;
                } else if (outcome.status() == LockOnlineCheck.Status.FAILED && unreachable.isEmpty()) {
                    unreachable = outcome.error();
                }
            }
        }
        for (LockedProvider p : lock.providers()) {
            if (entries.stream().noneMatch(e -> e.name().equals(p.name()))) {
                context.info("note: the lock also pins '" + p.name() + "' (" + p.reference() + "), which this config does not have");
            }
        }
        if (unreachable.isPresent()) {
            // The check is incomplete: the error's own code (NETWORK, AUTH, BLOCKED, ...), not a verdict on the lock.
            Qmt4jException u = unreachable.get();
            throw new Qmt4jException(u.kind(), "the online check of " + file + " is incomplete: " + u.getMessage(), u.hint(), u);
        }
        if (moved > 0) {
            throw new Qmt4jException(ErrorKind.LOCK, (moved == 1 ? "a locked tag moved" : moved + " locked tags moved")
                    + " in the registry" + (differences.isEmpty() ? "" : ", and the config and " + file + " disagree in "
                            + differences.size() + (differences.size() == 1 ? " place" : " places")),
                    "review the new digest, then 'qmt4j lock --update NAME' to move the pin");
        }
        if (!differences.isEmpty()) {
            throw new Qmt4jException(ErrorKind.LOCK, differences.size() == 1 ? "the config and " + file + " disagree"
                    : "the config and " + file + " disagree in " + differences.size() + " places",
                    "run 'qmt4j lock' to add missing providers, or 'qmt4j lock --update NAME' to move a pin");
        }
        context.info("the config and " + file + " agree (" + entries.size() + " providers)"
                + (online ? "; no locked tag moved" : ""));
        return 0;
    }
}
