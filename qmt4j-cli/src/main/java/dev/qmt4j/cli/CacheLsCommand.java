package dev.qmt4j.cli;

import dev.qmt4j.cache.CachedReference;
import dev.qmt4j.oci.PluginType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code qmt4j cache ls}: the cached references, their digests and plugin files. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List cached references.")
final class CacheLsCommand implements Callable<Integer> {
    @ParentCommand
    CacheCommand cache;

    @Option(names = "--json", description = "Print the list as JSON.")
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
                m.put("type", r.type().map(PluginType::id));
                m.put("size", r.size());
                m.put("resolvedAt", r.resolvedAt().toString());
                m.put("path", r.path().map(Object::toString));
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
            context.out().println(r.reference() + "  " + r.digest() + "  " + r.type().map(PluginType::id).orElse("-")
                    + "  " + (r.path().isPresent() ? Sizes.human(r.size()) : "(no entry)")
                    + "  " + r.resolvedAt() + r.path().map(p -> "  " + p).orElse(""));
        }
        return 0;
    }
}
