package dev.qmt4j.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep read-only copies of raw config tables (which may hold nulls, so {@code Map.copyOf} won't do). */
final class RawMaps {
    private RawMaps() {}

    static Map<String, Object> freeze(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, freezeValue(v)));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object freezeValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return freeze((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(x -> copy.add(freezeValue(x)));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }
}
