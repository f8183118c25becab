package dev.qmt4j.wasm.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.qmt4j.testplugins.JsSdk;
import dev.qmt4j.testplugins.TestPlugins;
import dev.qmt4j.wasm.ExtismPlugin;
import dev.qmt4j.wasm.PluginInstance;
import dev.qmt4j.wasm.WasmManifest;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * In-process call throughput of qmt4j's Extism host against Extism's JS SDK on the same kitchen-sink
 * .wasm (docs/benchmarks.md, "Wasm host"), plus heap before/after 1,000,000 calls on one instance. Not a test:
 * run it through bench/wasm-vs-js.sh (or {@code java -cp <test classpath> dev.qmt4j.wasm.bench.CallBench}).
 *
 * <p>System properties: {@code bench.seconds} (measurement per case, default 5), {@code bench.warmup}
 * (seconds, default 3), {@code bench.heapCalls} (default 1000000), {@code bench.jsEchoCalls} (default 200000),
 * {@code bench.jsJsonCalls} (default 500), {@code bench.rounds} (alternating qmt4j/JS rounds of the small
 * call, default 3). Prints a markdown table on stdout.
 */
public final class CallBench {
    static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "5"));
    static final double WARMUP = Double.parseDouble(System.getProperty("bench.warmup", "3"));
    static final int HEAP_CALLS = Integer.getInteger("bench.heapCalls", 1_000_000);
    static final int JS_ECHO_CALLS = Integer.getInteger("bench.jsEchoCalls", 200_000);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    static final int JS_JSON_CALLS = Integer.getInteger("bench.jsJsonCalls", 500);
    static volatile byte[] sink;

    private CallBench() {}

    /** Calls per second on one instance: warm-up, then {@link #SECONDS} of calls. */
    static double single(PluginInstance i, String func, byte[] input) {
        run(i, func, input, WARMUP);
        return run(i, func, input, SECONDS);
    }

    static double run(PluginInstance i, String func, byte[] input, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long n = 0;
        long t0 = System.nanoTime();
        long now;
        do {
            for (int k = 0; k < 64; k++) {
                sink = i.call(func, input);
            }
            n += 64;
            now = System.nanoTime();
        } while (now < end);
        return n / ((now - t0) / 1e9);
    }

    /** Calls per second through the pool from {@code threads} threads (pool size = threads). */
    static double pooled(ExtismPlugin p, String func, byte[] input, int threads) throws InterruptedException {
        pooledRun(p, func, input, threads, WARMUP);
        return pooledRun(p, func, input, threads, SECONDS);
    }

    static double pooledRun(ExtismPlugin p, String func, byte[] input, int threads, double seconds) throws InterruptedException {
        LongAdder calls = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                while (!stop.get()) {
                    for (int k = 0; k < 64; k++) {
                        sink = p.call(func, input);
                    }
                    calls.add(64);
                }
            });
            ts.add(th);
        }
        long t0 = System.nanoTime();
        ts.forEach(Thread::start);
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread th : ts) {
            th.join();
        }
        return calls.sum() / ((System.nanoTime() - t0) / 1e9);
    }

    static long usedHeapAfterGc() {
        for (int k = 0; k < 3; k++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    public static void main(String[] args) throws Exception {
        Path wasm = TestPlugins.path(TestPlugins.KITCHEN_SINK);
        byte[] small = "hello, wasm!".getBytes(UTF_8);
        byte[] json = TestPlugins.sampleJson(64 * 1024);
        if (!JsSdk.available()) {
            throw new IllegalStateException("node + @extism/extism are needed (see qmt4j-testplugins/README.md)");
        }
        System.err.printf("bench: %s, %d bytes; echo input %d bytes; json %d bytes; load %s%n", wasm, java.nio.file.Files.size(wasm),
                small.length, json.length, Arrays.toString(loadAverage()));
        WasmManifest m = WasmManifest.builder().module(wasm).build();
        if (args.length == 1) {
            // profiling aid: one case only, e.g. "echo" or "json_roundtrip", on one instance
            try (ExtismPlugin p = ExtismPlugin.builder(m).build(); PluginInstance i = p.instance()) {
                System.out.println(args[0] + " calls/s: " + fmt(single(i, args[0], args[0].equals("echo") ? small : json)));
            }
            return;
        }
        // The small call is measured in alternating rounds (qmt4j, then the JS SDK) so that load from
        // other processes hits both alike; the table shows the best round of each (least disturbed)
        // and the per-round ratios.
        double echo1 = 0;
        double jsEcho = 0;
        List<String> rounds = new ArrayList<>();
        double json1;
        double echo2;
        long heapBefore;
        long heapAfter;
        double heapSeconds;
        try (ExtismPlugin p = ExtismPlugin.builder(m).poolSize(2).build()) {
            System.err.println("bench: engine " + p.engine());
            try (PluginInstance i = p.instance()) {
                for (int r = 0; r < ROUNDS; r++) {
                    double q = r == 0 ? single(i, "echo", small) : run(i, "echo", small, SECONDS);
                    double j = JsSdk.benchCallsPerSecond(wasm, "echo", small, JS_ECHO_CALLS);
                    echo1 = Math.max(echo1, q);
                    jsEcho = Math.max(jsEcho, j);
                    String line = String.format(Locale.ROOT, "%s / %s = %.1fx (load %s)", fmt(q), fmt(j), q / j, loadAverage()[0]);
                    rounds.add(line);
                    System.err.println("bench: echo round " + (r + 1) + ": " + line);
                }
                json1 = single(i, "json_roundtrip", json);
                if (!Arrays.equals(json, sink)) {
                    throw new IllegalStateException("json_roundtrip output differs");
                }
                System.err.println("bench: qmt4j json 1 thread " + fmt(json1));
            }
            echo2 = pooled(p, "echo", small, 2);
            System.err.println("bench: qmt4j echo pooled 2 threads " + fmt(echo2));
            try (PluginInstance i = p.instance()) {
                for (int k = 0; k < 10_000; k++) {
                    sink = i.call("echo", small);
                }
                heapBefore = usedHeapAfterGc();
                long t0 = System.nanoTime();
                for (int k = 0; k < HEAP_CALLS; k++) {
                    sink = i.call("echo", small);
                }
                heapSeconds = (System.nanoTime() - t0) / 1e9;
                heapAfter = usedHeapAfterGc();
                if (!Arrays.equals(small, sink)) {
                    throw new IllegalStateException("echo output differs after " + HEAP_CALLS + " calls");
                }
            }
        }
        System.err.println("bench: heap " + heapBefore + " -> " + heapAfter);
        double jsJson = JsSdk.benchCallsPerSecond(wasm, "json_roundtrip", json, JS_JSON_CALLS);
        System.err.println("bench: JS json " + fmt(jsJson));

        System.out.println("| case | qmt4j calls/s | JS SDK calls/s | qmt4j / JS |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf(Locale.ROOT, "| `echo` %d B, one instance, 1 thread (best of %d rounds) | %s | %s | %.1fx |%n", small.length, ROUNDS, fmt(echo1), fmt(jsEcho),
                echo1 / jsEcho);
        System.out.printf(Locale.ROOT, "| `echo` %d B, pool of 2, 2 threads | %s | (single-threaded) | %.1fx |%n", small.length, fmt(echo2),
                echo2 / jsEcho);
        System.out.printf(Locale.ROOT, "| `json_roundtrip` %,d B, one instance | %s | %s | %.1fx |%n", json.length, fmt(json1), fmt(jsJson),
                json1 / jsJson);
        System.out.println();
        System.out.println("Small call, qmt4j / JS SDK calls/s per round: " + String.join("; ", rounds));
        System.out.println();
        System.out.printf(Locale.ROOT, "Heap used after System.gc(), one instance: before %,d calls %.1f MiB, after %.1f MiB "
                + "(%,d calls in %.1f s, %s calls/s); max heap %.0f MiB; load average at end %s%n", HEAP_CALLS, heapBefore / 1048576.0,
                heapAfter / 1048576.0, HEAP_CALLS, heapSeconds, fmt(HEAP_CALLS / heapSeconds), Runtime.getRuntime().maxMemory() / 1048576.0,
                Arrays.toString(loadAverage()));
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + ", "
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    static String[] loadAverage() {
        try {
            return Arrays.copyOf(java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3);
        } catch (java.io.IOException e) {
            return new String[] {"?"};
        }
    }
}
