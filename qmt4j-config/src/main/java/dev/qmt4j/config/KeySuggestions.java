package dev.qmt4j.config;

import java.util.List;
import java.util.Optional;

/** The "did you mean" of an unknown key: the known key closest to it by edit distance, when close enough. */
final class KeySuggestions {
    private KeySuggestions() {}

    /**
     * The known key nearest to {@code key} (Levenshtein distance, ties to the first in {@code known}), if at most
     * a third of the key's length and at most 3 edits away (so {@code plaform} suggests {@code platform},
     * {@code colour} suggests nothing).
     */
    static Optional<String> closest(String key, List<String> known) {
        int limit = Math.min(3, Math.max(1, key.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
