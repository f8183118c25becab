package dev.qmt4j.cli;

import dev.qmt4j.cache.CachedBuild;
import dev.qmt4j.cache.CachedReference;
import dev.qmt4j.oci.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j cache ls}: the cached references, and every cached build of each (a native build per
 * platform pulled and the {@code wasi/wasm} one, not only the build pulled last).
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List cached references, one line per cached build:",
                "REFERENCE  DIGEST  PLATFORM  TYPE  SIZE  RESOLVED-AT  PLUGIN-FILE, '*' after the type marks the build pulled last."})
final class CacheLsCommand implements Callable<Integer> {
    @ParentCommand
    CacheCommand cache;

    @Option(names = "--json", description = "Print the list as JSON: references, each with its builds.")
    boolean json;

    @Override
    public Integer call() {
        CliContext context = cache.context();
        List<CachedReference> refs = context.services().cache().list();
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (CachedReference r : refs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("reference", r.reference());
                m.put("digest", r.digest().toString());
                m.put("resolvedAt", r.resolvedAt().toString());
                List<Map<String, Object>> builds = new ArrayList<>();
                for (CachedBuild b : r.builds()) {
                    Map<String, Object> bm = new LinkedHashMap<>();
                    bm.put("platform", b.platform().map(Platform::toString));
                    bm.put("type", b.type().id());
                    bm.put("size", b.size());
                    bm.put("path", b.path().toString());
                    bm.put("manifest", b.manifest().toString());
                    bm.put("layer", b.entry().layer().toString());
                    bm.put("lastPulled", b.lastPulled());
                    builds.add(bm);
                }
                m.put("builds", builds);
                out.add(m);
            }
            context.out().println(Json.write(out));
            return 0;
        }
        if (refs.isEmpty()) {
            context.info("the cache at " + context.services().cache().root() + " is empty");
            return 0;
        }
        for (CachedReference r : refs) {
            String head = r.reference() + "  " + r.digest() + "  ";
            if (r.builds().isEmpty()) {
                context.out().println(head + "-  -  (no entry)  " + r.resolvedAt());
            }
            for (CachedBuild b : r.builds()) {
                context.out().println(head + b.platform().map(Platform::toString).orElse("-") + "  " + b.type().id()
                        + (b.lastPulled() ? "*" : "") + "  " + Sizes.human(b.size()) + "  " + r.resolvedAt() + "  " + b.path());
            }
        }
        return 0;
    }
}
