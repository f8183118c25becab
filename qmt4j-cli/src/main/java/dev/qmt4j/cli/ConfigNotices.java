package dev.qmt4j.cli;

import dev.qmt4j.config.ConfigFile;
import dev.qmt4j.config.ConfigWarning;
import dev.qmt4j.config.ProviderEntry;
import dev.qmt4j.sigstore.PolicyResolver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the CLI says about a config file once it is read, each line once per command however often the
 * file is read: a {@code warning:} per ignored key ({@link ConfigWarning}), or with {@code --strict} the
 * error of the first; with {@code -v}, a {@code note:} where the file relies on a QueryMT default
 * (docs/cli.md, docs/verification.md).
 */
final class ConfigNotices {
    private final Set<String> reported = new HashSet<>();

    /**
     * Reports {@code config}; with {@code strict} and an ignored key, reads the file again strictly so the
     * error is the config reader's own ({@code file:line}, the suggestion in the hint).
     */
    ConfigFile report(ConfigFile config, boolean strict, boolean verbose, PrintStream err) {
        if (strict && !config.warnings().isEmpty()) {
            ConfigFile.load(config.source(), true);
        }
        for (ConfigWarning w : config.warnings()) {
            once(err, "warning: ", w.text());
        }
        if (verbose) {
            issuerDefaults(config).forEach(n -> once(err, "note: ", n));
        }
        return config;
    }

    private void once(PrintStream err, String prefix, String text) {
        if (reported.add(text)) {
            err.println(prefix + Main.terminalSafe(text));
        }
    }

    /** The policy blocks that leave the certificate issuer to QueryMT's default, GitHub Actions'. */
    private static List<String> issuerDefaults(ConfigFile config) {
        List<String> notes = new ArrayList<>();
        String why = " has no cert_issuer: the signing certificate's issuer must be GitHub Actions' ("
                + PolicyResolver.GITHUB_ACTIONS_ISSUER + "), QueryMT's default; set cert_issuer for another signer";
        if (PolicyResolver.defaultsIssuer(config.oci().verify())) {
            notes.add(config.source() + ": [oci]" + why);
        }
        for (ProviderEntry p : config.providers()) {
            if (p.verify().filter(PolicyResolver::defaultsIssuer).isPresent()) {
                notes.add(config.source() + ": the verify block of provider '" + p.name() + "'" + why);
            }
        }
        return notes;
    }
}
