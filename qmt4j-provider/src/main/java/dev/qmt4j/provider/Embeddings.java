package dev.qmt4j.provider;

import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/** A plugin's {@code embed} result (a JSON array of number arrays) as vectors, the same for every runtime. */
public final class Embeddings {
    private Embeddings() {}

    /**
     * The vectors in {@code out}.
     *
     * @param out       what the plugin's embed call returned, or null
     * @param malformed the error thrown when {@code out} is not an array of arrays
     */
    public static float[][] fromJson(JsonNode out, Supplier<ProviderException> malformed) {
        if (out == null || !out.isArray()) throw malformed.get();
        float[][] r = new float[out.size()][];
        for (int i = 0; i < r.length; i++) {
            JsonNode v = out.get(i);
            if (!v.isArray()) throw malformed.get();
            r[i] = new float[v.size()];
            for (int k = 0; k < r[i].length; k++) r[i][k] = (float) v.get(k).asDouble();
        }
        return r;
    }
}
