package dev.qmt4j.cli;

import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistryEntry;
import dev.qmt4j.oci.registry.RegistryRoutes;
import dev.qmt4j.oci.registry.Route;
import dev.qmt4j.oci.registry.RouteSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code qmt4j inspect --route REF}: the ordered sources of a reference, as text or JSON (docs/mirrors.md). */
final class RouteText {
    private RouteText() {}

    static void print(ImageRef ref, RegistryRoutes routes, boolean json, PrintStream out) {
        if (!(ref instanceof RegistryRef r)) {
            if (json) {
                out.println(Json.write(Map.of("reference", ref.canonical(), "sources", List.of())));
            } else {
                out.println(ref.canonical() + ": an OCI layout, read from its directory (no registry, no mirrors)");
            }
            return;
        }
        Route route = routes.route(r);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reference", r.canonical());
            m.put("prefix", route.entry().map(RegistryEntry::prefix));
            m.put("blocked", route.blocked());
            m.put("primary", route.primary().name());
            List<Map<String, Object>> sources = new ArrayList<>();
            List<RouteSource> used = route.forReference();
            for (RouteSource s : route.sources()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("role", s.mirror() ? "mirror" : "primary");
                e.put("location", s.ref().name());
                e.put("pullFromMirror", s.pullFrom().id());
                e.put("insecure", s.insecure());
                e.put("resolvesReference", used.contains(s));
                e.put("servesDigests", s.servesDigests());
                sources.add(e);
            }
            m.put("sources", sources);
            m.put("explanation", route.explain());
            out.println(Json.write(m));
            return;
        }
        out.println(r.canonical() + (r.digest().isPresent() ? " (digest reference)" : " (tag reference: resolved once, then by digest)"));
        route.explain().forEach(line -> out.println("  " + line));
    }
}
