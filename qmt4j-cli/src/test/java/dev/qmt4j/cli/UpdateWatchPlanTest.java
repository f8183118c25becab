package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qmt4j.config.FollowSettings;
import dev.qmt4j.host.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who {@code update --watch} follows and how often: --every, the [providers.follow] tables, the 6h default. */
class UpdateWatchPlanTest {
    @TempDir
    Path tmp;

    private PluginRegistry registry(String toml) throws Exception {
        Path cfg = tmp.resolve("p.toml");
        Files.writeString(cfg, toml);
        return PluginRegistry.builder().config(cfg).env(Map.of()).home(tmp).cacheDir(tmp.resolve("c")).build();
    }

    private static FollowSettings f(Duration every, Duration jitter) {
        return new FollowSettings(every, jitter);
    }

    @Test
    void withoutEveryOnlyTheProvidersWithAFollowTableEachAtItsOwnInterval() throws Exception {
        try (PluginRegistry r = registry("""
                [[providers]]
                name = "a"
                path = "oci://r.example/a:1"
                [providers.follow]
                every = "30m"
                jitter = 0
                [[providers]]
                name = "b"
                path = "oci://r.example/b:1"
                [[providers]]
                name = "c"
                path = "oci://r.example/c:1"
                [providers.follow]
                every = "2h"
                """)) {
            List<String> all = List.of("a", "b", "c");
            Duration m30 = Duration.ofMinutes(30);
            Duration h2 = Duration.ofHours(2);
            assertEquals(Map.of("a", f(m30, Duration.ZERO), "c", f(h2, Duration.ofMinutes(12))),
                    UpdateWatch.plan(r, List.of(), all, null, null));
            assertEquals(Map.of("a", f(m30, Duration.ofSeconds(5)), "c", f(h2, Duration.ofSeconds(5))),
                    UpdateWatch.plan(r, List.of(), all, null, "5s"), "--jitter overrides the tables' jitter");
            Duration h1 = Duration.ofHours(1);
            assertEquals(Map.of("a", f(h1, Duration.ofMinutes(6)), "b", f(h1, Duration.ofMinutes(6)), "c", f(h1, Duration.ofMinutes(6))),
                    UpdateWatch.plan(r, List.of(), all, "1h", null), "--every follows every OCI provider at that interval");
            assertEquals(Map.of("a", f(m30, Duration.ZERO), "b", f(Duration.ofHours(6), Duration.ofMinutes(36))),
                    UpdateWatch.plan(r, List.of("a", "b"), all, null, null), "named: each at its table's interval, else 6h");
        }
    }

    @Test
    void withoutAnyFollowTableEveryOciProviderAtSixHours() throws Exception {
        try (PluginRegistry r = registry("[[providers]]\nname = \"x\"\npath = \"oci://r.example/x:1\"\n")) {
            assertEquals(Map.of("x", f(Duration.ofHours(6), Duration.ofMinutes(36))),
                    UpdateWatch.plan(r, List.of(), List.of("x"), null, null));
        }
    }
}
