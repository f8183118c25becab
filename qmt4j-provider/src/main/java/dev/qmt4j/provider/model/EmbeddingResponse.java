package dev.qmt4j.provider.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Embedding vectors, one per input: {@code [[f32...]...]}. @param vectors the vectors (copied) */
public record EmbeddingResponse(List<float[]> vectors) {
    /** Copies the vectors. */
    public EmbeddingResponse {
        List<float[]> copy = new ArrayList<>(vectors.size());
        for (float[] v : vectors) {
            copy.add(v.clone());
        }
        vectors = List.copyOf(copy);
    }

    /** The vectors as a fresh array. */
    public float[][] toArray() {
        float[][] out = new float[vectors.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vectors.get(i).clone();
        }
        return out;
    }

    /** Wraps an array of vectors. */
    public static EmbeddingResponse of(float[][] vectors) {
        return new EmbeddingResponse(Arrays.asList(vectors));
    }

    @Override
    public List<float[]> vectors() {
        return Arrays.asList(toArray());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EmbeddingResponse e) || e.vectors.size() != vectors.size()) {
            return false;
        }
        for (int i = 0; i < vectors.size(); i++) {
            if (!Arrays.equals(vectors.get(i), e.vectors.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (float[] v : vectors) {
            h = 31 * h + Arrays.hashCode(v);
        }
        return h;
    }

    @Override
    public String toString() {
        return "EmbeddingResponse[" + vectors.size() + " vectors]";
    }
}
