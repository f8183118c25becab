package dev.qmt4j.provider.model;

/**
 * Token counts ({@code Usage}): {@code {"input_tokens","output_tokens","reasoning_tokens",
 * "cache_read","cache_write"}}, all written. Reading also accepts the OpenAI names
 * {@code prompt_tokens}/{@code completion_tokens} (QueryMT's serde aliases) and missing
 * reasoning/cache counts as 0. Counts are unsigned 32-bit values.
 *
 * @param inputTokens prompt tokens
 * @param outputTokens generated tokens
 * @param reasoningTokens reasoning tokens
 * @param cacheRead prompt tokens read from the cache
 * @param cacheWrite prompt tokens written to the cache
 */
public record Usage(long inputTokens, long outputTokens, long reasoningTokens, long cacheRead, long cacheWrite) {
    /** Checks that every count is a u32. */
    public Usage {
        for (long v : new long[] {inputTokens, outputTokens, reasoningTokens, cacheRead, cacheWrite}) {
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("token count out of u32 range: " + v);
            }
        }
    }

    /** Input and output counts only. */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, 0, 0, 0);
    }
}
