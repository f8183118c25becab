package dev.qmt4j.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * QueryMT's feature tags: its native providers are published as one index per feature set (accelerator),
 * tagged {@code <latest|stable|version>-<feature>} ({@code latest-metal}, {@code latest-vulkan},
 * {@code latest-cuda12.8}); the plain tag is the {@code default} (CPU) build. Per-platform tags
 * ({@code <os>-<arch>-<feature>}, {@code <version>-<os>-<arch>-<feature>}) are single manifests, not indexes,
 * and are left out. See docs/cli.md ("PLATFORM hint").
 */
public final class FeatureTags {
    private static final int MAX_NAMED = 12;
    /** OS names that start the feature part of a per-platform tag. */
    private static final List<String> OS_PREFIXES = List.of("linux-", "darwin-", "windows-", "wasi-", "freebsd-");

    private FeatureTags() {}

    /**
     * The tags of {@code all} that are feature variants of {@code tag}: same base (the part before the first
     * {@code -}), followed by {@code -FEATURE}, other than {@code tag} itself, without per-platform tags; sorted.
     */
    public static List<String> variants(String tag, List<String> all) {
        int dash = tag.indexOf('-');
        String base = dash < 0 ? tag : tag.substring(0, dash);
        List<String> out = new ArrayList<>();
        for (String t : all) {
            if (t.equals(tag) || !t.startsWith(base + "-") || t.length() == base.length() + 1) {
                continue;
            }
            String feature = t.substring(base.length() + 1).toLowerCase(Locale.ROOT);
            boolean perPlatform = OS_PREFIXES.stream().anyMatch(feature::startsWith);
            if (!perPlatform) {
                out.add(t);
            }
        }
        out.sort(null);
        return out;
    }

    /** The hint's sentence naming the tags (at most a dozen). */
    public static String sentence(List<String> tags) {
        List<String> named = tags.size() > MAX_NAMED ? tags.subList(0, MAX_NAMED) : tags;
        return "the registry also has the feature tags " + String.join(", ", named) + (tags.size() > named.size() ? ", …" : "")
                + " (QueryMT publishes one native index per accelerator): put the one for this machine in the reference,"
                + " e.g. :" + tags.get(0);
    }
}
