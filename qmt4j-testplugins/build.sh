#!/usr/bin/env bash
# build.sh OUTDIR: builds every test plugin from source into OUTDIR/<name>.wasm, and installs the
# JS-SDK cross-check harness (js/node_modules). Run by Maven (generate-resources) with
# OUTDIR = target/classes/testplugins; can be run by hand too.
#
# Toolchains (the build fails with an install hint when one is missing):
#   node + npm   AssemblyScript plugins (assemblyscript 0.27.9, @extism/as-pdk 1.0.0, from npm)
#                and the JS SDK harness (@extism/extism 1.0.3). `npm ci` from the committed
#                package-lock.json files; the npm cache (~/.npm or $npm_config_cache) makes later
#                installs offline. Set QMT4J_NPM_OFFLINE=1 to forbid network access.
#   wat2wasm     WAT plugins              (Debian/Ubuntu: apt-get install wabt)
#   clang, wasm-ld  the C plugin          (apt-get install clang lld)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh OUTDIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

say() { printf 'testplugins: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
need() { # need CMD HINT
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found. Install it: $2"
}

need node "apt-get install nodejs npm (Node 18+; tested with Node 20)"
need npm "apt-get install npm"
need wat2wasm "apt-get install wabt"
need clang "apt-get install clang lld"
WASM_LD=""
if command -v wasm-ld >/dev/null 2>&1; then WASM_LD=wasm-ld; else
  for c in /usr/bin/wasm-ld-*; do [ -x "$c" ] && WASM_LD="$c"; done
fi
[ -n "$WASM_LD" ] || die "'wasm-ld' not found. Install it: apt-get install lld"
LD_FLAG=""
[ "$WASM_LD" != wasm-ld ] && LD_FLAG="-fuse-ld=$WASM_LD"

# up_to_date OUT SRC...: OUT exists and is newer than every file under the SRC paths
up_to_date() {
  local o="$1"; shift
  [ -f "$o" ] || return 1
  [ -z "$(find "$@" -newer "$o" -type f -print -quit 2>/dev/null)" ]
}

# ---- npm installs (only when package-lock.json changed since the last install) ----------------
npm_install() { # npm_install DIR
  local dir="$1" stamp="$1/node_modules/.qmt4j-lock-stamp"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then return 0; fi
  local flags=(ci --no-audit --no-fund --loglevel=error --prefer-offline)
  [ "${QMT4J_NPM_OFFLINE:-}" = 1 ] && flags+=(--offline)
  say "npm ci in ${dir#"$here"/}"
  (cd "$dir" && npm "${flags[@]}" >&2) || die "npm ci failed in $dir (network? try once online; the npm cache then serves offline builds)"
  cp "$dir/package-lock.json" "$stamp"
}
npm_install "$here"
npm_install "$here/js"

# ---- AssemblyScript plugins ------------------------------------------------------------------
asc="$here/node_modules/.bin/asc"
build_as() { # build_as NAME
  local name="$1" dir="$here/plugins/$1"
  if up_to_date "$out/$name.wasm" "$dir" "$here/plugins/common" "$here/package-lock.json" "$here/build.sh"; then
    return 0
  fi
  say "asc $name"
  # --use abort=...: AssemblyScript's abort() reports through Extism error_set and traps,
  # instead of importing env.abort (which Extism hosts do not provide).
  (cd "$dir" && "$asc" index.ts --outFile "$out/$name.wasm.tmp" -O3 --noColors \
      --use abort=index/pluginAbort --disableWarning 210) \
    || die "asc failed for $name"
  mv -f "$out/$name.wasm.tmp" "$out/$name.wasm"
}
# in parallel: each asc run takes a few seconds, mostly optimisation
pids=()
for p in kitchen-sink qmt-openai qmt-legacy qmt-strict qmt-hostile qmt-strict-schema; do build_as "$p" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid" || die "AssemblyScript build failed"; done

# ---- WAT plugins -----------------------------------------------------------------------------
for f in "$here"/plugins/wat/*.wat; do
  name="$(basename "$f" .wat)"
  wat2wasm "$f" -o "$out/$name.wasm" || die "wat2wasm failed for $f"
done

# ---- C plugin (no libc; WASI and Extism imports declared by hand) -----------------------------
clang --target=wasm32-unknown-unknown -mcpu=mvp -O2 -nostdlib -ffreestanding -Wall -Wextra -Werror \
  ${LD_FLAG:+"$LD_FLAG"} -Wl,--no-entry -Wl,--strip-all \
  -o "$out/wasi-env.wasm.tmp" "$here/plugins/wasi-env/wasi_env.c" || die "clang failed for wasi-env"
mv -f "$out/wasi-env.wasm.tmp" "$out/wasi-env.wasm"

# ---- index -----------------------------------------------------------------------------------
(cd "$out" && ls -1 *.wasm | sed 's/\.wasm$//' | sort > index.txt)
# where the JS harness lives (for dev.qmt4j.testplugins.JsSdk)
printf '%s\n' "$here/js" > "$out/js-harness-dir.txt"
say "built $(wc -l < "$out/index.txt") plugins into $out"
