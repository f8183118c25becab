#!/usr/bin/env bash
# bench/startup.sh — the whole-process figures of docs/benchmarks.md ("Start-up"), side by side in
# one run, each with its target or peer:
#   chat one-shot      bin/qmt4j --config examples/providers.toml chat hello "Hello there"   (target 0.6 s wall)
#   providers          bin/qmt4j --config examples/providers.toml providers                  (target 0.5 s wall)
#   pull, cache hit    bin/qmt4j pull of a tag from docker-registry on loopback (one HEAD)    (target 0.45 s wall)
#   pull, cold         bin/qmt4j pull of a SIZE_MIB (128) MiB plugin into an empty cache, against
#                      skopeo copy docker:// dir: of the same image (registry set-up: bench/lib.sh,
#                      shared with bench/pull-vs-skopeo.sh)                                (target <= 1.2x skopeo)
#   wasm call          bin/qmt4j wasm call kitchen-sink.wasm echo, against node + @extism/extism
#                      (qmt4j-testplugins/js/call.mjs) on the same module                    (target <= 3x node)
# Every case runs RUNS times (default 5) after one warm-up, the cases interleaved run by run so that
# load from other processes hits all alike; medians of wall time and of CPU time (user+sys, the
# steadier figure on a shared machine) are printed, with the load average before and after.
# BASELINE=/path/to/other/bin/qmt4j adds the same qmt4j cases for another build (before/after);
# both use their own CDS archive and a cache of their own under a temporary directory.
# Needs: docker-registry, skopeo, node, /usr/bin/time; the test plugins built
# (mvn -pl qmt4j-testplugins -am package, or any build that ran bin/test).
set -euo pipefail
ROOT="$(cd -P "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
RUNS="${RUNS:-5}"
say() { printf 'bench: %s\n' "$*" >&2; }
for tool in docker-registry skopeo node curl /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { say "missing $tool"; exit 1; }
done
WASM="$ROOT/qmt4j-testplugins/target/classes/testplugins/kitchen-sink.wasm"
HARNESS_FILE="$ROOT/qmt4j-testplugins/target/classes/testplugins/js-harness-dir.txt"
[ -f "$WASM" ] && [ -f "$HARNESS_FILE" ] || { say "build the test plugins first: mvn -pl qmt4j-testplugins -am package"; exit 1; }
HARNESS="$(cat "$HARNESS_FILE")"

W="$(mktemp -d "${TMPDIR:-/tmp}/qmt4j-startup.XXXXXX")"
REG_PID=""
cleanup() { [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT

# ---- a registry on loopback with the example plugin --------------------------------------------
. "$ROOT/bench/lib.sh"
start_registry
skopeo copy -q --dest-tls-verify=false "oci:$ROOT/examples/layout:0.1.0" "docker://$REG/qmt4j/hello:0.1.0"
REF="oci://$REG/qmt4j/hello:0.1.0"
SIZE_MIB="${SIZE_MIB:-128}"
make_big_wasm "$W/big.wasm" "$SIZE_MIB"
BIG="oci://$REG/bench/big:1"
"$ROOT/bin/qmt4j" --version >/dev/null   # builds the jar and its CDS archive once (not timed)
publish_wasm "$ROOT/bin/qmt4j" "$W/big.wasm" "$BIG"
say "published a $SIZE_MIB MiB plugin as $BIG with $PUSHED_WITH"

# ---- the commands ------------------------------------------------------------------------------
export QMT4J_NO_BUILD=1
NAMES=(); CMDS=(); PREPS=()
add() { NAMES+=("$1"); CMDS+=("$2"); PREPS+=("${3:-true}"); }   # name, command, untimed preparation
qcases() { # label-prefix launcher cache
  local q="QMT4J_CACHE_DIR=$3 $2" c="$ROOT/examples/providers.toml"
  add "$1chat one-shot" "$q --config $c chat hello 'Hello there'"
  add "$1providers" "$q --config $c providers"
  add "$1pull, cache hit (registry)" "$q pull -q --insecure-skip-signature $REF"
  add "$1wasm call (one-shot)" "$q wasm call $WASM echo --input hi"
  add "$1pull $SIZE_MIB MiB (cold cache)" "QMT4J_CACHE_DIR=$3-big $2 pull -q --insecure-skip-signature $BIG" "rm -rf $3-big"
}
qcases "" "$ROOT/bin/qmt4j" "$W/cache"
if [ -n "${BASELINE:-}" ]; then
  "$BASELINE" --version >/dev/null
  qcases "baseline: " "$BASELINE" "$W/cache-baseline"
fi
add "skopeo copy $SIZE_MIB MiB docker:// dir:" "skopeo copy -q --src-tls-verify=false docker://${BIG#oci://} dir:$W/skopeo-dir" "rm -rf $W/skopeo-dir"
add "node + @extism/extism call" "node --no-warnings $HARNESS/call.mjs --wasm $WASM --func echo --input hi"

for i in "${!CMDS[@]}"; do   # warm-up: fills the plugin and compile caches; must succeed
  bash -c "${PREPS[$i]}"; bash -c "${CMDS[$i]}" >/dev/null 2>"$W/err" || { cat "$W/err" >&2; say "failed: ${NAMES[$i]}"; exit 1; }
done
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
say "load average before: $LOAD_BEFORE; $RUNS runs of ${#CMDS[@]} cases, interleaved"
for r in $(seq 1 "$RUNS"); do
  for i in "${!CMDS[@]}"; do
    bash -c "${PREPS[$i]}"
    /usr/bin/time -f '%e %U %S' -o "$W/t" bash -c "${CMDS[$i]}" >/dev/null 2>&1
    read -r e u s <"$W/t"
    awk -v e="$e" -v u="$u" -v s="$s" 'BEGIN { printf "%s %.2f\n", e, u + s }' >>"$W/case.$i"
  done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
target() {
  case "$1" in
    *"chat one-shot") echo "<= 0.6 s wall" ;;
    *providers) echo "<= 0.5 s wall" ;;
    *"cache hit (registry)") echo "<= 0.45 s wall" ;;
    *"wasm call (one-shot)") echo "<= 3x node" ;;
    *"(cold cache)") echo "<= 1.2x skopeo" ;;
    *) echo "peer" ;;
  esac
}
node_wall="$(cut -d' ' -f1 "$W/case.$(( ${#CMDS[@]} - 1 ))" | median)"
skopeo_wall="$(cut -d' ' -f1 "$W/case.$(( ${#CMDS[@]} - 2 ))" | median)"
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(java -version 2>&1 | head -1); node $(node --version)"
echo "Load average before $LOAD_BEFORE, after $LOAD_AFTER; medians of $RUNS interleaved runs after one warm-up"
echo
echo "| case | wall [s] | CPU user+sys [s] | target | wall per run [s] |"
echo "|---|---:|---:|---|---|"
for i in "${!CMDS[@]}"; do
  w="$(cut -d' ' -f1 "$W/case.$i" | median)"; c="$(cut -d' ' -f2 "$W/case.$i" | median)"
  t="$(target "${NAMES[$i]}")"
  case "${NAMES[$i]}" in
    *"wasm call"*) t="$t (x$(echo "scale=1; $w / $node_wall" | bc) now)" ;;
    *"(cold cache)") t="$t (x$(echo "scale=2; $w / $skopeo_wall" | bc) now)" ;;
  esac
  echo "| ${NAMES[$i]} | $w | $c | $t | $(cut -d' ' -f1 "$W/case.$i" | tr '\n' ' ')|"
done
