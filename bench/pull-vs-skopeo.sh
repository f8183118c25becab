#!/usr/bin/env bash
# bench/pull-vs-skopeo.sh — times `qmt4j pull` of a 128 MiB Wasm plugin against
# `skopeo copy docker://... dir:...`, both against the same local registry, in one run.
#
#   1. starts Debian's docker-registry (CNCF Distribution) on 127.0.0.1:<free port>, temp storage
#   2. makes a 128 MiB plugin.wasm (a valid module: one custom section of random bytes)
#   3. publishes it as bench/big:1 with `bin/qmt4j push` (or skopeo from an OCI layout if that fails)
#   4. hyperfine, each command >= RUNS times (default 5):
#        qmt4j pull (cold)   cache dir wiped before every run (--prepare)
#        skopeo copy         destination dir wiped before every run
#        qmt4j pull (hit)    same reference, cache already populated (one warm-up run: the first
#                            load after a pull re-hashes once to settle the file stamps)
#        qmt4j pull --key (signed hit)  the image signed with a fresh key pair, pulled once with
#                            --key into its own cache; a hit re-verifies the stored signature offline
#        qmt4j --version     JVM + CLI start-up only (what a cache hit cannot go below)
#        java -jar ... --version   the same without bin/qmt4j and its CDS archive
#   5. prints the markdown table and the machine facts (also written to $BENCH_OUT if set)
#
# Needs: docker-registry skopeo hyperfine curl (as root with apt-get, missing ones are installed).
# Environment: RUNS (default 5), SIZE_MIB (default 128), BENCH_OUT (file for the report),
#              BASELINE (another checkout's bin/qmt4j, built: also timed, for before/after).
set -euo pipefail

ROOT="$(cd -P "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
RUNS="${RUNS:-5}"
SIZE_MIB="${SIZE_MIB:-128}"
QMT4J="$ROOT/bin/qmt4j"

say() { printf 'bench: %s\n' "$*" >&2; }

# ---- tools ------------------------------------------------------------------------------------
missing=()
for pair in docker-registry:docker-registry skopeo:skopeo hyperfine:hyperfine curl:curl; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    say "missing: ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}"; exit 1
  fi
fi

# ---- workspace and registry -------------------------------------------------------------------
W="$(mktemp -d "${TMPDIR:-/tmp}/qmt4j-bench.XXXXXX")"
REG_PID=""
cleanup() {
  if [ -n "$REG_PID" ]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; fi
  rm -rf "$W"
}
trap cleanup EXIT

. "$ROOT/bench/lib.sh"
start_registry

# ---- the plugin: a valid wasm module of exactly SIZE_MIB MiB ------------------------------------
make_big_wasm "$W/plugin.wasm" "$SIZE_MIB"
LAYER_DIGEST="sha256:$(sha256sum "$W/plugin.wasm" | cut -d' ' -f1)"
say "plugin.wasm: $(wc -c <"$W/plugin.wasm") bytes, $LAYER_DIGEST"

# ---- build the CLI once (not timed) and publish ----------------------------------------------
"$QMT4J" --version >/dev/null
REF="oci://$REG/bench/big:1"
publish_wasm "$QMT4J" "$W/plugin.wasm" "$REF"
say "published $REF with $PUSHED_WITH"

# ---- sanity: one pull, and the pulled file is byte-identical ---------------------------------
export QMT4J_CACHE_DIR="$W/cache"
"$QMT4J" pull --insecure-skip-signature --json "$REF" >"$W/pull.json"
say "pull: $(cat "$W/pull.json")"
pulled="$(sed -n 's/.*"path" *: *"\([^"]*\)".*/\1/p' "$W/pull.json")"
if [ -n "$pulled" ] && [ -f "$pulled" ]; then
  [ "sha256:$(sha256sum "$pulled" | cut -d' ' -f1)" = "$LAYER_DIGEST" ] \
    || { say "pulled file does not match the layer digest"; exit 1; }
  say "pulled file matches $LAYER_DIGEST"
fi

# ---- a signed copy for the signed cache hit: fresh key pair, cosign signature, one verified pull --
(cd "$W" && COSIGN_PASSWORD= "$QMT4J" generate-key-pair >/dev/null 2>&1)
COSIGN_PASSWORD= "$QMT4J" sign "$REF" --key "$W/cosign.key" >/dev/null
QMT4J_CACHE_DIR="$W/signed-cache" "$QMT4J" pull -q --key "$W/cosign.pub" "$REF" >/dev/null
say "signed $REF with a fresh key; a verified pull filled $W/signed-cache"

# ---- timings ----------------------------------------------------------------------------------
# QMT4J_NO_BUILD=1: the launcher skips its source-freshness check, so no build is ever timed.
export QMT4J_NO_BUILD=1
Q="QMT4J_CACHE_DIR='$W/cache' '$QMT4J'"
# BASELINE: optionally the bin/qmt4j of another checkout (e.g. the previous commit, built), timed
# the same way with its own cache, for before/after numbers from one run.
B=""
if [ -n "${BASELINE:-}" ]; then
  B="QMT4J_CACHE_DIR='$W/base-cache' '$BASELINE'"
  "$BASELINE" --version >/dev/null
fi
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# 1. Cold pulls and skopeo: the destination is wiped before every run.
cold=(--command-name "qmt4j pull (cold cache)" --prepare "rm -rf '$W/cache'" "$Q pull --insecure-skip-signature $REF"
  --command-name "skopeo copy docker:// dir:" --prepare "rm -rf '$W/skopeo-dir'"
  "skopeo copy -q --src-tls-verify=false docker://$REG/bench/big:1 dir:'$W/skopeo-dir'")
if [ -n "$B" ]; then
  cold+=(--command-name "baseline: qmt4j pull (cold cache)" --prepare "rm -rf '$W/base-cache'"
    "$B pull --insecure-skip-signature $REF")
fi
hyperfine --runs "$RUNS" --style basic --export-markdown "$W/cold.md" --export-json "$W/cold.json" "${cold[@]}" >&2
# 2. Cache hits and start-up. A pull records file stamps that are "racy" (as new as the record),
# so the first load after it re-hashes the plugin once and settles them (qmt4j-cache/README.md);
# the warm-up run, two seconds after the last cold pull, is that load. Later hits skip the re-hash.
sleep 2
hit=(--command-name "qmt4j pull (cache hit)" "$Q pull --insecure-skip-signature $REF"
  --command-name "qmt4j pull --key (signed cache hit)"
  "QMT4J_CACHE_DIR='$W/signed-cache' '$QMT4J' pull --key '$W/cosign.pub' $REF"
  --command-name "qmt4j --version (start-up only)" "'$QMT4J' --version"
  --command-name "java -jar qmt4j.jar --version (no launcher, no CDS)"
  "java -XX:+UseSerialGC -jar '$ROOT/qmt4j-cli/target/qmt4j.jar' --version")
if [ -n "$B" ]; then
  "$BASELINE" pull --insecure-skip-signature "$REF" >/dev/null 2>&1 || true
  QMT4J_CACHE_DIR="$W/base-signed-cache" "$BASELINE" pull -q --key "$W/cosign.pub" "$REF" >/dev/null 2>&1 || true
  hit+=(--command-name "baseline: qmt4j pull (cache hit)" "$B pull --insecure-skip-signature $REF"
    --command-name "baseline: qmt4j pull --key (signed cache hit)"
    "QMT4J_CACHE_DIR='$W/base-signed-cache' '$BASELINE' pull --key '$W/cosign.pub' $REF"
    --command-name "baseline: qmt4j --version" "'$BASELINE' --version")
fi
hyperfine --runs "$RUNS" --warmup 1 --style basic --export-markdown "$W/hit.md" --export-json "$W/hit.json" "${hit[@]}" >&2
{ cat "$W/cold.md"; tail -n +3 "$W/hit.md"; } >"$W/results.md"
# CPU per command (mean user and system seconds) from hyperfine's JSON.
cpu_table() {
  awk -F'[:,]' '/"command":/ { name=$0; sub(/.*"command": *"/, "", name); sub(/",? *$/, "", name) }
       /"user":/ { u=$2 } /"system":/ { printf "| `%s` | %.2f + %.2f |\n", name, u, $2 }' "$@"
}
{ echo "| Command | CPU user + sys [s] |"; echo "|:---|---:|"; cpu_table "$W/cold.json" "$W/hit.json"; } >"$W/cpu.md"

# ---- report -----------------------------------------------------------------------------------
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
mem="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
report() {
  echo "### qmt4j pull vs skopeo copy, $SIZE_MIB MiB Wasm plugin, local registry ($RUNS runs each)"
  echo
  cat "$W/results.md"
  echo
  cat "$W/cpu.md"
  echo
  echo "Machine: $(nproc) CPUs ($cpu), $mem RAM, $(uname -sr)"
  echo "Load average before / after the timings: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "JDK: $("$java_bin" -version 2>&1 | head -n 1)"
  echo "Tools: $(skopeo --version), $(docker-registry --version 2>&1 | head -n1), $(hyperfine --version)"
  echo "Published with: $PUSHED_WITH; registry storage and caches under ${TMPDIR:-/tmp}"
  echo "Date: $(date -u +%Y-%m-%dT%H:%MZ)"
}
report
if [ -n "${BENCH_OUT:-}" ]; then report >"$BENCH_OUT"; fi
