#!/usr/bin/env bash
# bench/jmh.sh — the in-process JMH benchmarks of qmt4j-bench (results: docs/benchmarks.md):
#   ProviderLoadBench    loading a provider from warm caches in a running JVM (target < 5 ms)
#   ChatOverheadBench    a chat call against its bare HTTP round trip on loopback (overhead target < 0.5 ms)
#   PoolThroughputBench  Extism calls/s on one plugin's instance pool from 1, 2 and 8 threads
#   PullBench            a cold pull of a SIZE_MIB (128) MiB plugin through PluginPuller, against
#                        `skopeo copy` of the same image timed here first (target: no slower); the
#                        registry on loopback and the plugin come from bench/lib.sh
# Builds qmt4j-bench with -Pbench (never part of bin/test), then runs JMH from the repository root.
# Arguments go to JMH (e.g. `bench/jmh.sh ChatOverhead -f 1 -wi 2 -i 3`). Load average printed before and after.
set -euo pipefail
src="${BASH_SOURCE[0]}"
while [ -L "$src" ]; do
  dir="$(cd -P "$(dirname "$src")" && pwd)"; src="$(readlink "$src")"
  case "$src" in /*) ;; *) src="$dir/$src" ;; esac
done
ROOT="$(cd -P "$(dirname "$src")/.." && pwd)"
RUNS="${RUNS:-5}"
SIZE_MIB="${SIZE_MIB:-128}"
say() { printf 'jmh: %s\n' "$*" >&2; }
W="$(mktemp -d "${TMPDIR:-/tmp}/qmt4j-jmh.XXXXXX")"
REG_PID=""
cleanup() { if [ -n "$REG_PID" ]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; fi; rm -rf "$W"; }
trap cleanup EXIT
echo "jmh: building qmt4j-bench (mvn -Pbench -pl qmt4j-bench -am package, tests skipped)" >&2
(cd "$ROOT" && mvn -q -B -ntp -Pbench -pl qmt4j-bench -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile="$W/cp.txt" -Dmdep.includeScope=runtime >&2)
CP="$ROOT/qmt4j-bench/target/classes:$(cat "$W/cp.txt")"
# PullBench needs a registry with the big plugin (when no filter is given, or one naming Pull).
JVM_PROPS=()
if [ "$#" -eq 0 ] || [[ " $* " == *Pull* ]]; then
  for tool in docker-registry skopeo curl; do command -v "$tool" >/dev/null || { say "missing $tool"; exit 1; }; done
  . "$ROOT/bench/lib.sh"
  start_registry
  make_big_wasm "$W/big.wasm" "$SIZE_MIB"
  "$ROOT/bin/qmt4j" --version >/dev/null   # builds the CLI once (not timed)
  publish_wasm "$ROOT/bin/qmt4j" "$W/big.wasm" "oci://$REG/bench/big:1"
  say "published a $SIZE_MIB MiB plugin as $REG/bench/big:1 with $PUSHED_WITH"
  JVM_PROPS=("-Dqmt4j.bench.pullRef=$REG/bench/big:1")
  # The peer, same image and registry: skopeo copy into an empty directory, RUNS times after one warm-up.
  sk() { rm -rf "$W/skopeo-dir"; skopeo copy -q --src-tls-verify=false "docker://$REG/bench/big:1" "dir:$W/skopeo-dir"; }
  sk
  say "load average before skopeo: $(cut -d' ' -f1-3 /proc/loadavg)"
  for _ in $(seq 1 "$RUNS"); do
    rm -rf "$W/skopeo-dir"
    s0=$(date +%s%N); sk; s1=$(date +%s%N)
    echo $(( (s1 - s0) / 1000000 )) >>"$W/skopeo.ms"
  done
  echo "jmh: skopeo copy $SIZE_MIB MiB docker:// dir: (peer of PullBench.coldPull), ms per run: $(tr '\n' ' ' <"$W/skopeo.ms")median $(sort -n "$W/skopeo.ms" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
fi
echo "jmh: load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(java -version 2>&1 | head -1)"
cd "$ROOT"
java "${JVM_PROPS[@]}" -cp "$CP" org.openjdk.jmh.Main "$@"
echo "jmh: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
