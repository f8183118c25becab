#!/usr/bin/env bash
# bench/jmh.sh — the in-process JMH benchmarks of qmt4j-bench (results: docs/benchmarks.md):
#   ProviderLoadBench    loading a provider from warm caches in a running JVM (target < 5 ms)
#   ChatOverheadBench    a chat call against its bare HTTP round trip on loopback (overhead target < 0.5 ms)
#   PoolThroughputBench  Extism calls/s on one plugin's instance pool from 1, 2 and 8 threads
#   PullBench            a cold pull of a SIZE_MIB (128) MiB plugin through PluginPuller, against
#                        `skopeo copy` of the same image (target: no slower); the registry on loopback
#                        and the plugin come from bench/lib.sh. Interleaved: RUNS (5) rounds of {one
#                        `skopeo copy`; one JMH fork of PullBench with PULL_JMH_OPTS (default
#                        `-f 1 -wi 3 -i 1`: three warm-up pulls, then one timed single shot)}, so load
#                        from other processes hits both alike; medians side by side, with the load average.
# Builds qmt4j-bench with -Pbench (never part of bin/test), then runs JMH from the repository root.
# Arguments go to JMH (e.g. `bench/jmh.sh ChatOverhead -f 1 -wi 2 -i 3`). Without arguments: the
# interleaved PullBench rounds, then every other benchmark in one JMH run. Arguments naming Pull: the
# interleaved PullBench rounds only. Load average printed before and after.
set -euo pipefail
ROOT="$(cd -P "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
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
  median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  # The peer, same image and registry: skopeo copy into an empty directory (one untimed warm-up first).
  sk() { rm -rf "$W/skopeo-dir"; skopeo copy -q --src-tls-verify=false "docker://$REG/bench/big:1" "dir:$W/skopeo-dir"; }
  sk
  # shellcheck disable=SC2206  # PULL_JMH_OPTS is deliberately word-split
  PULL_OPTS=(${PULL_JMH_OPTS:--f 1 -wi 3 -i 1})
  PULL_LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
  say "load average before the PullBench rounds: $PULL_LOAD_BEFORE; $RUNS rounds of {skopeo copy; PullBench ${PULL_OPTS[*]}}"
  for r in $(seq 1 "$RUNS"); do
    s0=$(date +%s%N); sk; s1=$(date +%s%N)
    echo $(( (s1 - s0) / 1000000 )) >>"$W/skopeo.ms"
    (cd "$ROOT" && java "${JVM_PROPS[@]}" -cp "$CP" org.openjdk.jmh.Main PullBench "${PULL_OPTS[@]}" \
      -rf csv -rff "$W/pull.$r.csv" >"$W/pull.$r.log" 2>&1) || { cat "$W/pull.$r.log" >&2; say "PullBench failed"; exit 1; }
    # The score of the one measured single shot (ms/op), from JMH's CSV: "Benchmark","Mode",...,"Score",...
    awk -F, 'NR == 2 { gsub(/"/, "", $5); printf "%.0f\n", $5 }' "$W/pull.$r.csv" >>"$W/pull.ms"
    say "round $r: skopeo $(tail -n1 "$W/skopeo.ms") ms, PullBench $(tail -n1 "$W/pull.ms") ms (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  PULL_LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
  sm="$(median <"$W/skopeo.ms")"; pm="$(median <"$W/pull.ms")"
  echo "jmh: PullBench.coldPull against skopeo copy $SIZE_MIB MiB docker:// dir:, $RUNS interleaved rounds" \
    "(load average before $PULL_LOAD_BEFORE, after $PULL_LOAD_AFTER)"
  echo "| | median [ms] | per round [ms] |"
  echo "|---|---:|---|"
  echo "| skopeo copy (whole process) | $sm | $(tr '\n' ' ' <"$W/skopeo.ms")|"
  echo "| PullBench.coldPull (in process, ${PULL_OPTS[*]}) | $pm | $(tr '\n' ' ' <"$W/pull.ms")|"
  echo "| ratio PullBench / skopeo | $(awk -v p="$pm" -v s="$sm" 'BEGIN { printf "%.2f", p / s }') | |"
  # Every other benchmark: all of them when no filter was given; none when the filter named Pull.
  if [ "$#" -ne 0 ]; then
    exit 0
  fi
  set -- -e PullBench
fi
echo "jmh: load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(java -version 2>&1 | head -1)"
cd "$ROOT"
java "${JVM_PROPS[@]}" -cp "$CP" org.openjdk.jmh.Main "$@"
echo "jmh: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
