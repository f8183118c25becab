#!/usr/bin/env bash
# bench/wasm-vs-js.sh — qmt4j's Extism host (Chicory) against Extism's JS SDK (@extism/extism 1.0.3
# in Node) on the same kitchen-sink.wasm (AssemblyScript, built from source), in one run (results: docs/benchmarks.md):
#
#   1. in-process calls/second (dev.qmt4j.wasm.bench.CallBench, from qmt4j-wasm's test sources):
#        echo, a few bytes, one instance, 1 thread (warm-up, then BENCH_SECONDS)
#        echo, pool of 2 instances, 2 threads
#        json_roundtrip on a 64 KiB document, one instance
#        the JS SDK's numbers for the same two calls (harness --bench N, one instance, in Node)
#        1,000,000 echo calls on one instance: heap used after System.gc() before and after
#   2. one-shot whole process with hyperfine (--warmup 2 --runs 10):
#        bin/qmt4j wasm call kitchen-sink.wasm echo --input hi
#        node qmt4j-testplugins/js/call.mjs --wasm kitchen-sink.wasm --func echo --input hi
#   3. prints markdown tables and the machine facts (also to $BENCH_OUT if set)
#
# Needs: JDK 17+, mvn, node, hyperfine, wat2wasm/clang (the test-plugin toolchains).
# Environment: BENCH_SECONDS (default 5), BENCH_WARMUP (default 3), RUNS (default 10), BENCH_OUT.
# The load average is printed before and after: rerun when it is well above the core count.
set -euo pipefail

ROOT="$(cd -P "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
RUNS="${RUNS:-10}"
SECONDS_PER_CASE="${BENCH_SECONDS:-5}"
WARMUP="${BENCH_WARMUP:-3}"

say() { printf 'bench: %s\n' "$*" >&2; }
for tool in java mvn node hyperfine; do
  command -v "$tool" >/dev/null 2>&1 || { say "missing $tool (apt-get install hyperfine nodejs maven openjdk-17-jdk)"; exit 1; }
done

W="$(mktemp -d "${TMPDIR:-/tmp}/qmt4j-wasm-bench.XXXXXX")"
trap 'rm -rf "$W"' EXIT

say "building qmt4j-wasm test classes and the test plugins"
(cd "$ROOT" && mvn -q -B -ntp -pl qmt4j-wasm -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$W/cp.txt" -Dmdep.includeScope=test >&2)
CP="$ROOT/qmt4j-wasm/target/test-classes:$ROOT/qmt4j-wasm/target/classes:$(cat "$W/cp.txt")"
WASM="$ROOT/qmt4j-testplugins/target/classes/testplugins/kitchen-sink.wasm"
HARNESS="$(cat "$ROOT/qmt4j-testplugins/target/classes/testplugins/js-harness-dir.txt")"
[ -f "$WASM" ] || { say "no $WASM"; exit 1; }

say "building the CLI (bin/qmt4j)"
"$ROOT/bin/qmt4j" --version >/dev/null

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
say "load average before: $LOAD_BEFORE"

say "in-process: CallBench"
java -cp "$CP" -Dbench.seconds="$SECONDS_PER_CASE" -Dbench.warmup="$WARMUP" dev.qmt4j.wasm.bench.CallBench >"$W/inproc.md"

say "one-shot: hyperfine"
# sanity: both print the echo
"$ROOT/bin/qmt4j" wasm call "$WASM" echo --input hi | grep -qx hi
node --no-warnings "$HARNESS/call.mjs" --wasm "$WASM" --func echo --input hi | grep -q '"output_base64":"aGk="'
hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$W/oneshot.md" \
  -n "qmt4j wasm call (bin/qmt4j)" "$ROOT/bin/qmt4j wasm call $WASM echo --input hi" \
  -n "node call.mjs (@extism/extism)" "node --no-warnings $HARNESS/call.mjs --wasm $WASM --func echo --input hi" >&2

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), \
$(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo); $(java -version 2>&1 | head -1); \
node $(node --version); hyperfine $(hyperfine --version | cut -d' ' -f2); load average before $LOAD_BEFORE, after $LOAD_AFTER"
  echo
  echo "In-process (kitchen-sink.wasm, $(stat -c %s "$WASM") bytes; ${WARMUP} s warm-up, ${SECONDS_PER_CASE} s per case):"
  echo
  cat "$W/inproc.md"
  echo
  echo "One-shot whole process (hyperfine -N --warmup 2 --runs $RUNS):"
  echo
  cat "$W/oneshot.md"
} | tee "${BENCH_OUT:-/dev/null}"
