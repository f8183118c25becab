package dev.qmt4j.bench;

import dev.qmt4j.testplugins.TestPlugins;
import dev.qmt4j.wasm.ExtismPlugin;
import dev.qmt4j.wasm.WasmManifest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Extism calls per second on one {@link ExtismPlugin}'s instance pool from 1, 2 and 8 threads:
 * {@code echo} of a few bytes on kitchen-sink.wasm (AssemblyScript). The pool has {@code poolSize}
 * instances (default 2, the machine's cores in docs/benchmarks.md); with more threads than instances
 * the extra callers wait for one, so the figure shows the pool's hand-over cost, not more parallelism.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PoolThroughputBench {
    private static final byte[] INPUT = "hello, wasm!".getBytes(StandardCharsets.UTF_8);

    @Param("2")
    public int poolSize;

    private ExtismPlugin plugin;

    @Setup(Level.Trial)
    public void setUp() {
        plugin = ExtismPlugin.builder(WasmManifest.builder().module(TestPlugins.path(TestPlugins.KITCHEN_SINK)).build())
                .poolSize(poolSize).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plugin.close();
    }

    @Benchmark
    @Threads(1)
    public byte[] echo1Thread() {
        return plugin.call("echo", INPUT);
    }

    @Benchmark
    @Threads(2)
    public byte[] echo2Threads() {
        return plugin.call("echo", INPUT);
    }

    @Benchmark
    @Threads(8)
    public byte[] echo8Threads() {
        return plugin.call("echo", INPUT);
    }
}
