#!/usr/bin/env bash
# bench/targets.sh — every start-up and in-process target of docs/benchmarks.md ("Provider start-up"),
# each beside its peer or bound, in one run: runs bench/startup.sh (whole process: chat, providers,
# cache-hit pull, cold 128 MiB pull against skopeo copy, one-shot wasm call against node), then
# bench/jmh.sh (PullBench interleaved with skopeo copy, then ProviderLoadBench, ChatOverheadBench and
# PoolThroughputBench), and prints their tables followed by one summary table: target, figure, peer
# or bound, and whether it is met. The load average is printed before and after each part.
#
# Environment: RUNS (startup.sh and PullBench rounds, default 5), SIZE_MIB (128), JMH_OPTS (extra
# options for the second JMH run, e.g. "-f 1 -wi 2 -i 3" for a quicker pass), OUT (also write the
# whole report to this file).
# Needs what bench/startup.sh and bench/jmh.sh need: docker-registry, skopeo, node, curl,
# /usr/bin/time, mvn, and the test plugins built (mvn -pl qmt4j-testplugins -am package, or bin/test).
set -euo pipefail
ROOT="$(cd -P "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
W="$(mktemp -d "${TMPDIR:-/tmp}/qmt4j-targets.XXXXXX")"
trap 'rm -rf "$W"' EXIT
say() { printf 'targets: %s\n' "$*" >&2; }

say "part 1 of 2: bench/startup.sh (whole process), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/bench/startup.sh" | tee "$W/startup.md"
say "part 2 of 2: bench/jmh.sh (in process), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/bench/jmh.sh" Pull | tee "$W/pull.md"
# shellcheck disable=SC2086 # JMH_OPTS is a list of options
"$ROOT/bench/jmh.sh" 'ProviderLoadBench|ChatOverheadBench|PoolThroughputBench' ${JMH_OPTS:-} -rf csv -rff "$W/jmh.csv" \
  | tee "$W/jmh.log"
say "done, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the summary -------------------------------------------------------------------------------
# startup.sh rows: | case | wall [s] | CPU [s] | target | wall per run |
wall() { awk -F'|' -v c="$1" '{ gsub(/^ +| +$/, "", $2) } $2 == c { gsub(/ /, "", $3); print $3; exit }' "$W/startup.md"; }
wall_like() { awk -F'|' -v c="$1" '{ gsub(/^ +| +$/, "", $2) } index($2, c) == 1 { gsub(/ /, "", $3); print $3; exit }' "$W/startup.md"; }
# jmh.csv: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"
score() { awk -F',' -v b="\"dev.qmt4j.bench.$1\"" '$1 == b { printf "%.3g %.2g", $5, $6; exit }' "$W/jmh.csv"; }
pullrow() { awk -F'|' -v c="$1" 'index($2, c) { gsub(/ /, "", $3); print $3; exit }' "$W/pull.md"; }
verdict() { awk -v v="$1" -v bound="$2" 'BEGIN { print (v + 0 <= bound + 0) ? "yes" : "no" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

chat="$(wall "chat one-shot")"; providers="$(wall "providers")"; hit="$(wall "pull, cache hit (registry)")"
cold="$(awk -F'|' '$2 ~ /\(cold cache\)/ { gsub(/ /, "", $3); print $3; exit }' "$W/startup.md")"
skopeo="$(wall_like "skopeo copy")"; call="$(wall "wasm call (one-shot)")"; node="$(wall_like "node + ")"
read -r load_ms load_err <<<"$(score ProviderLoadBench.wasmProvider)"
read -r reg_ms reg_err <<<"$(score ProviderLoadBench.registryOciLayout)"
read -r chat_us chat_err <<<"$(score ChatOverheadBench.chat)"
read -r http_us http_err <<<"$(score ChatOverheadBench.httpOnly)"
read -r guest_us guest_err <<<"$(score ChatOverheadBench.guestOnly)"
overhead_ms="$(awk -v c="$chat_us" -v h="$http_us" 'BEGIN { printf "%.2f", (c - h) / 1000 }')"
host_ms="$(awk -v c="$chat_us" -v h="$http_us" -v g="$guest_us" 'BEGIN { printf "%.2f", (c - h - g) / 1000 }')"
calls=""
for t in echo1Thread echo2Threads echo8Threads; do
  read -r s _ <<<"$(score "PoolThroughputBench.$t")"
  calls="$calls$(awk -v s="$s" 'BEGIN { printf "%dk", s / 1000 }') / "
done
pull_ms="$(pullrow "PullBench.coldPull")"; skopeo_ms="$(pullrow "skopeo copy")"

{
  echo
  echo "Summary ($(nproc) cores, $(java -version 2>&1 | head -1); load average at the end $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "| target | figure | peer or bound | met? |"
  echo "|---|---:|---|---|"
  echo "| chat one-shot <= 0.6 s | ${chat} s | 0.6 s | $(verdict "$chat" 0.6) |"
  echo "| providers <= 0.5 s | ${providers} s | 0.5 s | $(verdict "$providers" 0.5) |"
  echo "| cache-hit pull <= 0.45 s | ${hit} s | 0.45 s | $(verdict "$hit" 0.45) |"
  echo "| cold ${SIZE_MIB:-128} MiB pull <= 1.2x skopeo | ${cold} s (x$(ratio "$cold" "$skopeo")) | skopeo ${skopeo} s | $(verdict "$(ratio "$cold" "$skopeo")" 1.2) |"
  echo "| one-shot wasm call <= 3x node | ${call} s (x$(ratio "$call" "$node")) | node ${node} s | $(verdict "$(ratio "$call" "$node")" 3) |"
  echo "| JMH provider load < 5 ms | ${load_ms} ± ${load_err} ms (registry ${reg_ms} ± ${reg_err} ms) | 5 ms | $(verdict "$load_ms" 5) |"
  echo "| JMH chat overhead over the HTTP round trip < 0.5 ms | ${overhead_ms} ms (chat ${chat_us} ± ${chat_err} us - HTTP ${http_us} ± ${http_err} us) | 0.5 ms | $(verdict "$overhead_ms" 0.5) |"
  echo "| ... of which the host's own (without the plugin's Wasm, guestOnly ${guest_us} ± ${guest_err} us) | ${host_ms} ms | 0.5 ms | $(verdict "$host_ms" 0.5) |"
  echo "| JMH Extism calls/s at 1 / 2 / 8 threads | ${calls% / } | (no bound) | - |"
  echo "| JMH cold pull in process, no slower than skopeo | ${pull_ms} ms (x$(ratio "$pull_ms" "$skopeo_ms")) | skopeo ${skopeo_ms} ms, interleaved | $(verdict "$(ratio "$pull_ms" "$skopeo_ms")" 1.0) |"
} | tee "$W/summary.md"
if [ -n "${OUT:-}" ]; then
  cat "$W/startup.md" "$W/pull.md" "$W/jmh.log" "$W/summary.md" >"$OUT"
fi
