#!/usr/bin/env bash
# bench/fleet-mirror.sh — a fleet pulling signed plugins through a warm pull-through cache.
#
#   1. starts Debian's docker-registry twice on 127.0.0.1: the upstream, and a pull-through cache of it
#      (Distribution's proxy mode, proxy.remoteurl), both with access logs (one line per request)
#   2. pushes PLUGINS (default 3) small Wasm plugins to the upstream and signs each (cosign keyed, .sig)
#   3. a config whose [[oci.registry]] sends the upstream's references through the cache, with the public key
#   4. warms the cache: one pull of each plugin by digest
#   5. the fleet: WORKERS (default 20) processes at once, each with its own cache directory, each pulling
#      every plugin by digest (verified); wall time, requests seen by the cache and by the upstream
#   6. the same fleet again with the upstream stopped
#
# Needs: docker-registry, a built CLI (bin/qmt4j builds it). Environment: WORKERS, PLUGINS, BENCH_OUT.
set -euo pipefail

src="${BASH_SOURCE[0]}"
ROOT="$(cd -P "$(dirname "$src")/.." && pwd)"
WORKERS="${WORKERS:-20}"
PLUGINS="${PLUGINS:-3}"
QMT4J="$ROOT/bin/qmt4j"
say() { printf 'bench: %s\n' "$*" >&2; }

command -v docker-registry >/dev/null || { say "docker-registry is missing (apt-get install docker-registry)"; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UP_PORT="$(free_port)"; CACHE_PORT="$(free_port)"

registry_config() { # name port [remoteurl]
  cat >"$work/$1.yml" <<EOF
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $work/$1-data
http:
  addr: 127.0.0.1:$2
  secret: bench-$1
EOF
  if [ -n "${3:-}" ]; then printf 'proxy:\n  remoteurl: %s\n' "$3" >>"$work/$1.yml"; fi
}
start_registry() { # name port -> pid in REG_PID
  docker-registry serve "$work/$1.yml" >>"$work/$1.log" 2>&1 &
  REG_PID=$!
  pids+=("$REG_PID")
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$2/v2/" >/dev/null 2>&1 && return 0; sleep 0.1; done
  say "registry $1 did not start"; cat "$work/$1.log" >&2; exit 1
}
requests() { grep -cE '"(GET|HEAD|POST|PUT|PATCH) /v2/' "$work/$1.log" || true; }

registry_config upstream "$UP_PORT"
registry_config cache "$CACHE_PORT" "http://127.0.0.1:$UP_PORT"
start_registry upstream "$UP_PORT"; UP_PID=$REG_PID
start_registry cache "$CACHE_PORT"

"$QMT4J" --version >/dev/null
export COSIGN_PASSWORD=bench
(cd "$work" && "$QMT4J" -q generate-key-pair --output-key-prefix bench >/dev/null)

refs=()
for i in $(seq "$PLUGINS"); do
  python3 -c "import os,sys; sys.stdout.buffer.write(b'\x00asm\x01\x00\x00\x00' + os.urandom(200000))" >"$work/p$i.wasm"
  ref="oci://127.0.0.1:$UP_PORT/fleet/plugin$i:1.0"
  digest="$("$QMT4J" -q --cache-dir "$work/push" push "$ref" --wasm "$work/p$i.wasm")"
  "$QMT4J" -q --cache-dir "$work/push" sign --key "$work/bench.key" "oci://127.0.0.1:$UP_PORT/fleet/plugin$i@$digest" >/dev/null
  refs+=("oci://127.0.0.1:$UP_PORT/fleet/plugin$i@$digest")
done

cat >"$work/fleet.toml" <<EOF
[oci]
public_key = "$work/bench.pub"

[[oci.registry]]
prefix = "127.0.0.1:$UP_PORT"
[[oci.registry.mirror]]
location = "127.0.0.1:$CACHE_PORT"
EOF

for ref in "${refs[@]}"; do "$QMT4J" -q --config "$work/fleet.toml" --cache-dir "$work/warm" pull "$ref" >/dev/null; done
say "cache warm: $(requests cache) requests to the cache, $(requests upstream) to the upstream so far"

fleet() { # label
  local up0 cache0 t0 t1 failed=0 lines0
  up0="$(requests upstream)"; cache0="$(requests cache)"; lines0="$(wc -l <"$work/upstream.log")"
  t0="$(date +%s.%N)"
  local workers=()
  for w in $(seq "$WORKERS"); do
    ( for ref in "${refs[@]}"; do
        "$QMT4J" -q --config "$work/fleet.toml" --cache-dir "$work/$1-$w" pull "$ref" >/dev/null 2>>"$work/$1-errors.log" || exit 1
      done ) &
    workers+=("$!")
  done
  for p in "${workers[@]}"; do wait "$p" || failed=$((failed + 1)); done
  t1="$(date +%s.%N)"
  local up=$(( $(requests upstream) - up0 )) cache=$(( $(requests cache) - cache0 ))
  tail -n +"$((lines0 + 1))" "$work/upstream.log" | grep -E '"(GET|HEAD) /v2/' >"$work/$1-upstream-requests" || true
  local manifests_blobs
  manifests_blobs="$(grep -cE '/(blobs/sha256:|manifests/sha256:)' "$work/$1-upstream-requests" || true)"
  printf '| %s | %d x %d | %.1f | %d | %d | %d | %d |\n' "$1" "$WORKERS" "$PLUGINS" "$(echo "$t1 - $t0" | bc)" \
      "$failed" "$cache" "$up" "$manifests_blobs"
}

{
  echo "| fleet | workers x plugins | wall [s] | failed workers | requests to the cache | requests to the upstream | of which manifests/blobs by digest |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  fleet up
  kill "$UP_PID"; wait "$UP_PID" 2>/dev/null || true
  fleet upstream-stopped
  echo
  echo "upstream requests during the first fleet, by path (counts):"
  grep -oE '"(GET|HEAD) /v2/[^ ]*' "$work/up-upstream-requests" | sed -E 's#/v2/fleet/plugin[0-9]+/#/v2/fleet/pluginN/#; s#sha256[:-][0-9a-f]{64}#<digest>#g' \
      | sort | uniq -c | sort -rn | head -12
  echo
  echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
} | tee "${BENCH_OUT:-/dev/null}"
