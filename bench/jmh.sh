#!/usr/bin/env bash
# bench/jmh.sh — the in-process JMH benchmarks of qmt4j-bench (results: docs/benchmarks.md):
#   ProviderLoadBench    loading a provider from warm caches in a running JVM (target < 5 ms)
#   ChatOverheadBench    a chat call against its bare HTTP round trip on loopback (overhead target < 0.5 ms)
#   PoolThroughputBench  Extism calls/s on one plugin's instance pool from 1, 2 and 8 threads
# Builds qmt4j-bench with -Pbench (never part of bin/test), then runs JMH from the repository root.
# Arguments go to JMH (e.g. `bench/jmh.sh ChatOverhead -f 1 -wi 2 -i 3`). Load average printed before and after.
set -euo pipefail
src="${BASH_SOURCE[0]}"
while [ -L "$src" ]; do
  dir="$(cd -P "$(dirname "$src")" && pwd)"; src="$(readlink "$src")"
  case "$src" in /*) ;; *) src="$dir/$src" ;; esac
done
ROOT="$(cd -P "$(dirname "$src")/.." && pwd)"
W="$(mktemp -d "${TMPDIR:-/tmp}/qmt4j-jmh.XXXXXX")"
trap 'rm -rf "$W"' EXIT
echo "jmh: building qmt4j-bench (mvn -Pbench -pl qmt4j-bench -am package, tests skipped)" >&2
(cd "$ROOT" && mvn -q -B -ntp -Pbench -pl qmt4j-bench -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile="$W/cp.txt" -Dmdep.includeScope=runtime >&2)
CP="$ROOT/qmt4j-bench/target/classes:$(cat "$W/cp.txt")"
echo "jmh: load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(java -version 2>&1 | head -1)"
cd "$ROOT"
java -cp "$CP" org.openjdk.jmh.Main "$@"
echo "jmh: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
