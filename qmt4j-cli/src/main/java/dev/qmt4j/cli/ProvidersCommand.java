package dev.qmt4j.cli;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.LoadResult;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.PluginSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j providers}: loads every configured provider (in parallel) and prints one row each:
 * name, type, source, digest, signer, status. The exit code is 0 when all loaded, else the exit
 * code of the first failed provider's error kind (in config order).
 */
@Command(name = "providers", mixinStandardHelpOptions = true,
        description = {"Load every provider of the config and show name, type, source, digest, signer and status.",
                "Exits non-zero (the first failure's error kind) if any provider fails to load."})
final class ProvidersCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Mixin
    PlatformOption platform;

    @Option(names = "--json", description = "Print the providers as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        CliContext context = root.context;
        List<Map<String, Object>> rows = new ArrayList<>();
        Qmt4jException first = null;
        try (PluginRegistry registry = HostAccess.open(context)) {
            for (LoadResult r : registry.loadAll()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", r.name());
                String sourceKind = null;
                String location = null;
                try {
                    PluginSource s = registry.source(r.name());
                    sourceKind = HostAccess.sourceKind(s);
                    location = s.display();
                } catch (RuntimeException e) {
                    location = registry.configFile().providers().stream().filter(p -> p.name().equals(r.name()))
                            .map(p -> p.path()).findFirst().orElse(null);
                }
                if (r instanceof LoadResult.Loaded l) {
                    row.put("type", l.type().name().toLowerCase(Locale.ROOT));
                    row.put("source", sourceKind);
                    row.put("location", location);
                    row.put("digest", l.digest());
                    row.put("signer", l.verification().orElse(null));
                    row.put("status", "ok");
                } else {
                    Qmt4jException e = HostAccess.error((LoadResult.Failed) r);
                    first = first == null ? e : first;
                    row.put("type", null);
                    row.put("source", sourceKind);
                    row.put("location", location);
                    row.put("digest", null);
                    row.put("signer", null);
                    row.put("status", "error");
                    row.put("error", HostAccess.reason(e));
                    // Machine-readable too: scripts branch on the kind, not on message text.
                    row.put("error_kind", e.kind().name().toLowerCase(Locale.ROOT));
                    row.put("exit_code", e.kind().exitCode());
                    row.put("hint", e.hint());
                }
                rows.add(row);
            }
        }
        PrintStream out = context.out();
        if (json) {
            out.println(Json.write(rows));
        } else {
            for (Map<String, Object> row : rows) {
                out.println(text(row));
            }
        }
        return first == null ? 0 : first.kind().exitCode();
    }

    private static String text(Map<String, Object> row) {
        StringBuilder sb = new StringBuilder();
        sb.append(row.get("name"));
        sb.append("  ").append(orDash(row.get("type")));
        sb.append("  ").append(orDash(row.get("source"))).append(' ').append(orDash(row.get("location")));
        if ("ok".equals(row.get("status"))) {
            sb.append("  ").append(row.get("digest"));
            sb.append("  signer: ").append(row.get("signer") == null ? "none (unsigned source)" : row.get("signer"));
            sb.append("  ok");
        } else {
            sb.append("  error: ").append(row.get("error"));
            if (row.get("hint") != null) {
                sb.append(" (hint: ").append(row.get("hint")).append(')');
            }
        }
        return sb.toString();
    }

    private static String orDash(Object o) {
        return o == null ? "-" : o.toString();
    }
}
