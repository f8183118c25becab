#!/bin/sh
# Builds a qmt4j native provider's C source, unchanged, as a QueryMT Wasm provider plugin:
# a freestanding wasm32 module (no libc, no WASI) made of the provider, extism_adapter.c (the
# Extism exports) and minilibc.c (malloc/free over memory.grow, memcpy, strlen, ...).
#   usage: build-wasm.sh OUT.wasm PROVIDER.c [more .c files or -D flags...]
# Needs clang and wasm-ld:  apt-get install -y --no-install-recommends clang lld
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { echo "usage: build-wasm.sh OUT.wasm PROVIDER.c [...]" >&2; exit 2; }
out=$1
shift
cc=${WASM_CC:-clang}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "build-wasm.sh: $cc not found; install it with: apt-get install -y --no-install-recommends clang lld" >&2
  exit 1
fi
if ! command -v wasm-ld >/dev/null 2>&1 && ! ls /usr/bin/wasm-ld-* >/dev/null 2>&1; then
  echo "build-wasm.sh: wasm-ld not found; install it with: apt-get install -y --no-install-recommends lld" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
# -mcpu=mvp: plain WebAssembly 1.0, loadable by any runtime. -ffreestanding: no libc, and no
# turning minilibc's loops into calls to itself. --no-entry: a library. Only export_name
# functions (and memory) are exported; --strip-all keeps the output small and reproducible.
"$cc" --target=wasm32-unknown-unknown -mcpu=mvp -O2 -nostdlib -ffreestanding \
  -Wall -Wextra -Werror -std=c11 \
  -I"$here/include" -I"$here/../include" \
  -Wl,--no-entry -Wl,--strip-all \
  -o "$out.tmp" "$here/extism_adapter.c" "$here/minilibc.c" "$@"
mv -f "$out.tmp" "$out"
echo "build-wasm.sh: built $out ($(wc -c <"$out") bytes)"
