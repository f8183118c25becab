package dev.qmt4j.cli;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.cache.CacheDirectory;
import dev.qmt4j.config.ConfigDiscovery;
import dev.qmt4j.config.ConfigFile;
import dev.qmt4j.config.ProviderEntry;
import dev.qmt4j.files.CachePermissions;
import dev.qmt4j.host.LoadResult;
import dev.qmt4j.host.OciConnections;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.http.CaCertificates;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryEntry;
import dev.qmt4j.oci.registry.RegistryMirror;
import dev.qmt4j.oci.registry.RegistryRoutes;
import dev.qmt4j.oci.registry.auth.CredentialLookup;
import dev.qmt4j.oci.registry.auth.DockerConfigCredentialStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j doctor}: checks the setup and prints one line per check, {@code ok}, {@code warn} or
 * {@code fail}: the config (which file, by which rule, and whether it parses), the cache directory
 * (writable; not writable by group or others nor owned by another user, nor is the trust root in it), the extra CA certificates (files, subjects, expiry), each registry of the {@code oci://} providers (reachable, credentials found; secrets are
 * never printed), the trust root (key or TUF state, and its age) and each provider (loadable).
 * Exit code 0 without a {@code fail}, else the first failure's error kind.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check the config, cache, registries, credentials, trust root and providers.",
                "One line per check (ok/warn/fail); exits non-zero on any fail."})
final class DoctorCommand implements Callable<Integer> {
    /** A cached TUF trust root older than this is reported as a warning. */
    static final Duration STALE_TRUST_ROOT = Duration.ofDays(7);

    @ParentCommand
    Qmt4jCommand root;

    @Mixin
    PlatformOption platform;

    private PrintStream out;
    private Qmt4jException first;

    @Override
    public Integer call() {
        CliContext context = root.context;
        out = context.out();
        Path home = Path.of(System.getProperty("user.home", "."));
        Optional<ConfigDiscovery.Found> found;
        try {
            found = new ConfigDiscovery(context.env(), home).find(Optional.ofNullable(context.configFile));
        } catch (Qmt4jException e) {
            return fail("config", e);
        }
        if (found.isEmpty()) {
            try {
                new ConfigDiscovery(context.env(), home).require(Optional.empty());
            } catch (Qmt4jException e) {
                return fail("config", e);
            }
        }
        ConfigFile config;
        try {
            config = context.loadConfig(found.get().path());
            line("ok", "config", found.get().path() + " (" + found.get().why() + "), " + config.providers().size() + " provider(s)");
            config.warnings().forEach(w -> line("warn", "config", w.text()));
        } catch (Qmt4jException e) {
            line("fail", "config", found.get().path() + " (" + found.get().why() + "): " + e.getMessage());
            return e.kind().exitCode();
        }
        Path cacheDir = cacheDir(context, config, home);
        checkCache(cacheDir);
        boolean permissionsOk = checkPermissions(context, config, cacheDir);
        OciConnections oci = new OciConnections(config.oci(), context.env(), home);
        checkCaCertificates(oci);
        checkRegistries(context, config, home, oci);
        checkMirrors(oci);
        checkTrust(config, cacheDir);
        if (!permissionsOk) {
            // Loading would only repeat the refusal above for every provider.
            line("fail", "providers", "not loaded: the cache directory is refused (see above)");
            return first.kind().exitCode();
        }
        try (PluginRegistry registry = HostAccess.open(context)) {
            for (LoadResult r : registry.loadAll()) {
                if (r instanceof LoadResult.Loaded l) {
                    line("ok", "provider " + r.name(), "loads (" + l.digest() + l.verification().map(s -> ", signed: " + s).orElse("") + ")");
                } else {
                    record(HostAccess.error((LoadResult.Failed) r), "provider " + r.name());
                }
            }
        }
        return first == null ? 0 : first.kind().exitCode();
    }

    private static Path cacheDir(CliContext context, ConfigFile config, Path home) {
        return CacheDirectory.resolve(context.cacheDir, config.oci().cacheDir(), context.env(), System.getProperty("os.name", ""), home);
    }

    /**
     * Ownership and modes of the cache and of the trust root (TUF state) in it ({@link CachePermissions}): a
     * failure (exit 14) when the check is on, a warning naming each problem when it is turned off.
     *
     * @return false when the cache would be refused
     */
    private boolean checkPermissions(CliContext context, ConfigFile config, Path cacheDir) {
        boolean enabled;
        try {
            enabled = CachePermissions.enabled(context.env(), config.oci().cachePermissionsCheck());
        } catch (Qmt4jException e) {
            record(e, "cache permissions");
            return false;
        }
        List<CachePermissions.Problem> all = CachePermissions.inspect(CachePermissions.cacheDirectories(cacheDir));
        Path sigstore = cacheDir.resolve("sigstore");
        List<CachePermissions.Problem> trust = all.stream().filter(p -> p.path().startsWith(sigstore)).toList();
        List<CachePermissions.Problem> cache = all.stream().filter(p -> !p.path().startsWith(sigstore)).toList();
        report("cache permissions", cache, "cache directory", enabled, cacheDir + " is writable and owned by you only");
        report("trust root permissions", trust, "trust-root directory", enabled,
                Files.isDirectory(sigstore) ? sigstore + " is writable and owned by you only" : null);
        return !enabled || all.isEmpty();
    }

    private void report(String check, List<CachePermissions.Problem> problems, String what, boolean enabled, String okDetail) {
        if (problems.isEmpty()) {
            if (okDetail != null) {
                line("ok", check, okDetail + (enabled ? "" : " (check turned off)"));
            }
        } else if (enabled) {
            record(CachePermissions.refusal(problems, what), check);
        } else {
            for (CachePermissions.Problem p : problems) {
                line("warn", check, p + " (accepted: [oci] " + CachePermissions.CONFIG_KEY + " = false or "
                        + CachePermissions.ENV + "=false)");
            }
        }
    }

    private void checkCache(Path dir) {
        try {
            CachePermissions.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".doctor", ".tmp");
            Files.delete(probe);
            line("ok", "cache", dir + " is writable");
        } catch (IOException | RuntimeException e) {
            record(new Qmt4jException(dev.qmt4j.ErrorKind.CACHE, dir + " is not writable: " + e), "cache");
        }
    }

    /** The extra CA files of {@code [oci] ca_certificates} and QMT4J_CA_CERTIFICATES: how many, whose, until when. */
    private void checkCaCertificates(OciConnections oci) {
        if (oci.caCertificateFiles().isEmpty()) {
            return;
        }
        CaCertificates ca;
        try {
            ca = oci.caCertificates();
        } catch (Qmt4jException e) {
            record(e, "ca certificates");
            return;
        }
        line("ok", "ca certificates", ca.files().size() + " file(s), " + ca.certificates().size()
                + " certificate(s) trusted in addition to the JDK's");
        Instant now = Instant.now();
        for (CaCertificates.CaFile f : ca.files()) {
            for (X509Certificate c : f.certificates()) {
                Instant until = c.getNotAfter().toInstant();
                String detail = f.file() + ": " + CaCertificates.subject(c) + ", expires " + until;
                line(until.isBefore(now) ? "warn" : "ok", "ca certificate", until.isBefore(now) ? detail + " (expired)" : detail);
            }
        }
    }

    private void checkRegistries(CliContext context, ConfigFile config, Path home, OciConnections oci) {
        Set<String> registries = new LinkedHashSet<>();
        for (ProviderEntry p : config.providers()) {
            if (p.isOci()) {
                try {
                    ImageRef ref = ImageRef.parse(p.path());
                    if (ref instanceof RegistryRef r && !oci.routes().route(r).blocked()) {
                        registries.add(r.registry()); // a blocked registry is never contacted, not even by doctor
                    }
                } catch (Qmt4jException e) {
                    // reported by the provider's own load check
                }
            }
        }
        if (registries.isEmpty()) {
            return;
        }
        DockerConfigCredentialStore creds = new DockerConfigCredentialStore(context.env(), home);
        RegistryClient client;
        Qmt4jException unusable = null;
        try {
            client = oci.registryClient(); // the client oci:// providers and qmt4j pull use
        } catch (Qmt4jException e) {
            client = null; // an unusable ca_certificates file (reported above) or proxy variable
            unusable = e;
        }
        for (String reg : registries) {
            CredentialLookup found;
            try {
                found = creds.find(reg);
            } catch (Qmt4jException e) {
                found = null;
                line("warn", "credentials " + reg, e.getMessage());
            }
            if (found instanceof CredentialLookup.Found) {
                line("ok", "credentials " + reg, "found");
            } else if (found instanceof CredentialLookup.HelperMissing m) {
                line("warn", "credentials " + reg, "none: " + m.explanation() + " (anonymous access)");
            } else if (found != null) {
                line("warn", "credentials " + reg, "none found (anonymous access)");
            }
            if (client == null) {
                record(unusable, "registry " + reg + " not checked");
                continue;
            }
            try {
                client.ping(reg);
                line("ok", "registry " + reg, "reachable");
            } catch (Qmt4jException e) {
                record(e, "registry " + reg);
            }
        }
    }

    /**
     * Each {@code [[oci.registry.mirror]]} answers {@code /v2/} (one attempt each): a silent mirror is a warning
     * (pulls fall over to the next source), or a failure when its registry is blocked and the mirrors are the only way.
     */
    private void checkMirrors(OciConnections oci) {
        RegistryRoutes routes;
        try {
            routes = oci.routes();
        } catch (Qmt4jException e) {
            record(e, "mirrors");
            return;
        }
        if (routes.isEmpty()) {
            return;
        }
        RegistryClient client;
        try {
            client = oci.registryClient();
        } catch (Qmt4jException e) {
            record(e, "mirrors not checked");
            return;
        }
        for (RegistryEntry entry : routes.entries()) {
            for (RegistryMirror m : entry.mirrors()) {
                String host = m.location().contains("/") ? m.location().substring(0, m.location().indexOf('/')) : m.location();
                String check = "mirror " + m.location() + " (" + m.pullFrom().id() + ", for " + entry.prefix() + ")";
                try {
                    client.ping(host, false);
                    line("ok", check, "reachable");
                } catch (Qmt4jException e) {
                    if (entry.blocked()) {
                        record(e, check);
                    } else {
                        line("warn", check, HostAccess.reason(e) + " (pulls fall over to the next source)");
                    }
                }
            }
            if (entry.blocked()) {
                line("ok", "registry " + entry.location(), "blocked by [[oci.registry]] prefix " + entry.prefix() + "; never contacted");
            }
        }
    }

    private void checkTrust(ConfigFile config, Path cacheDir) {
        boolean needsTuf = false;
        for (ProviderEntry p : config.providers()) {
            if (!p.isOci()) {
                continue;
            }
            if (config.oci().insecureSkipSignature()) {
                line("warn", "trust root", "signature verification is off ([oci] insecure_skip_signature)");
                return;
            }
            Optional<String> key = p.verify().flatMap(dev.qmt4j.config.VerifyPolicySettings::publicKey);
            if (key.isPresent()) {
                line("ok", "trust root " + p.name(), "public key " + key.get() + " (verify block)");
            } else {
                needsTuf = true;
            }
        }
        if (!needsTuf) {
            return;
        }
        Path tuf = cacheDir.resolve("sigstore").resolve("tuf");
        Optional<Instant> newest;
        try (Stream<Path> files = Files.isDirectory(tuf) ? Files.walk(tuf) : Stream.empty()) {
            newest = files.filter(Files::isRegularFile).map(DoctorCommand::mtime).max(Instant::compareTo);
        } catch (IOException | RuntimeException e) {
            newest = Optional.empty();
        }
        if (newest.isEmpty()) {
            line("warn", "trust root", "Sigstore public good via TUF: nothing cached in " + tuf
                    + " yet (fetched on first verification; the embedded snapshot is the fallback)");
            return;
        }
        Duration age = Duration.between(newest.get(), Instant.now());
        line(age.compareTo(STALE_TRUST_ROOT) > 0 ? "warn" : "ok", "trust root",
                "Sigstore public good via TUF, " + tuf + ", refreshed " + age.toHours() + " h ago");
    }

    private static Instant mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private int fail(String check, Qmt4jException e) {
        record(e, check);
        return e.kind().exitCode();
    }

    private void record(Qmt4jException e, String check) {
        // The check names the provider; the hint says what to do.
        line("fail", check, HostAccess.reason(e) + (e.hint() == null ? "" : " (hint: " + e.hint() + ")"));
        first = first == null ? e : first;
    }

    private void line(String status, String check, String detail) {
        out.println(String.format("%-4s  %s: %s", status, check, detail));
    }
}
