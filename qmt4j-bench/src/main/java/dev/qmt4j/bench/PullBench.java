package dev.qmt4j.bench;

import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.config.ConfigFile;
import dev.qmt4j.host.OciConnections;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.pull.PluginPuller;
import dev.qmt4j.pull.PullListener;
import dev.qmt4j.pull.PullRequest;
import dev.qmt4j.pull.PullResult;
import dev.qmt4j.pull.SignatureVerifiers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cold pull of a large plugin through {@link PluginPuller} in a running JVM, as an embedding
 * application does it (docs/benchmarks.md, target: no slower than {@code skopeo copy} of the same
 * image). Each invocation starts from an empty cache directory; wiping it is not timed.
 *
 * <p>The image comes from outside: {@code -Dqmt4j.bench.pullRef=127.0.0.1:PORT/bench/big:1}, a
 * plain-HTTP registry on loopback. {@code bench/jmh.sh} starts one (bench/lib.sh), publishes a
 * 128 MiB plugin there and times {@code skopeo copy} of it next to this benchmark. Without the
 * property the benchmark is skipped with a message.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
@State(Scope.Benchmark)
public class PullBench {
    private Path tmp;
    private Path cacheDir;
    private ImageRef ref;
    private OciConnections oci;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String pullRef = System.getProperty("qmt4j.bench.pullRef");
        if (pullRef == null || pullRef.isBlank()) {
            throw new IllegalStateException("set -Dqmt4j.bench.pullRef=host:port/repo:tag (bench/jmh.sh does)");
        }
        ref = ImageRef.parse(pullRef);
        tmp = Files.createTempDirectory("qmt4j-bench-pull");
        Path config = tmp.resolve("qmt4j.toml");
        Files.writeString(config, "[oci]\n");
        oci = new OciConnections(ConfigFile.load(config).oci(), Map.of(), tmp);
        cacheDir = tmp.resolve("cache");
    }

    @Setup(Level.Invocation)
    public void emptyCache() {
        delete(cacheDir);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        delete(tmp);
    }

    @Benchmark
    public PullResult coldPull() {
        PluginPuller puller = oci.puller(PluginCache.open(cacheDir), SignatureVerifiers.unavailable()).build();
        PullResult r = puller.pull(new PullRequest(ref, Optional.empty(), Optional.empty(), false, true), PullListener.NONE);
        if (r.cached()) {
            throw new IllegalStateException("expected a cold pull, got a cache hit");
        }
        return r;
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
