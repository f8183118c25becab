package dev.qmt4j.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Renders {@code inspect}'s result map as indented text. */
final class InspectText {
    private InspectText() {}

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> m, PrintStream out) {
        out.println("reference:    " + m.get("reference"));
        out.println("digest:       " + m.get("digest"));
        out.println("mediaType:    " + m.get("mediaType"));
        value(m.get("artifactType")).ifPresent(v -> out.println("artifactType: " + v));
        annotations((Map<String, String>) m.get("annotations"), "", out);
        if (m.get("config") instanceof Map<?, ?> config) {
            out.println("config:       " + config.get("mediaType") + " " + config.get("digest") + " (" + config.get("size") + " B)");
        }
        if (m.get("layers") instanceof List<?> layers) {
            layers((List<Map<String, Object>>) layers, "", out);
        }
        if (m.get("manifests") instanceof List<?> entries) {
            out.println("platforms:");
            for (Map<String, Object> e : (List<Map<String, Object>>) entries) {
                out.println("  - " + value(e.get("platform")).orElse("(none)") + "  " + e.get("digest") + "  "
                        + Sizes.human(((Number) e.get("size")).longValue()) + "  " + e.get("mediaType"));
                value(e.get("artifactType")).ifPresent(v -> out.println("      artifactType: " + v));
                if (e.get("manifestAnnotations") instanceof Map<?, ?> a) {
                    annotations((Map<String, String>) a, "      ", out);
                }
                if (e.get("layers") instanceof List<?> layers) {
                    layers((List<Map<String, Object>>) layers, "      ", out);
                }
            }
        }
        Map<String, Object> d = (Map<String, Object>) m.get("detected");
        if (d.containsKey("error")) {
            out.println("detected (" + d.get("for") + "): none: " + d.get("error"));
        } else {
            out.println("detected (" + d.get("for") + "): " + d.get("type")
                    + value(d.get("platform")).map(p -> " from " + p).orElse("") + ", layer " + d.get("layer"));
        }
    }

    private static void annotations(Map<String, String> a, String indent, PrintStream out) {
        if (a == null || a.isEmpty()) {
            return;
        }
        out.println(indent + "annotations:");
        a.forEach((k, v) -> out.println(indent + "  " + k + "=" + v));
    }

    private static void layers(List<Map<String, Object>> layers, String indent, PrintStream out) {
        out.println(indent + "layers:");
        for (Map<String, Object> l : layers) {
            out.println(indent + "  - " + l.get("mediaType") + "  " + Sizes.human(((Number) l.get("size")).longValue())
                    + "  " + l.get("digest") + value(l.get("title")).map(t -> "  " + t).orElse(""));
        }
    }

    private static Optional<Object> value(Object v) {
        return v instanceof Optional<?> o ? o.map(x -> (Object) x) : Optional.ofNullable(v);
    }
}
