#!/usr/bin/env bash
# Rebuilds plugin.wasm from hello.c: a freestanding wasm32 module (no libc, no WASI) that
# imports only the Extism kernel from "extism:host/env".
# Needs clang and wasm-ld:  apt-get install -y --no-install-recommends clang lld
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

CC="${CC:-clang}"
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "build.sh: $CC not found; install it with: apt-get install -y --no-install-recommends clang lld" >&2
  exit 1
fi
if ! command -v wasm-ld >/dev/null 2>&1 && ! compgen -G '/usr/bin/wasm-ld-*' >/dev/null; then
  echo "build.sh: wasm-ld not found; install it with: apt-get install -y --no-install-recommends lld" >&2
  exit 1
fi

# -mcpu=mvp: plain WebAssembly 1.0 (no bulk-memory, sign-ext, ...), loadable by any runtime.
# --no-entry: a library, no _start. Exports come from export_name attributes in hello.c.
# --strip-all: no debug info or name section, so the output is small and reproducible.
"$CC" --target=wasm32-unknown-unknown -mcpu=mvp -O2 -nostdlib -ffreestanding \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--strip-all \
  -o plugin.wasm.tmp hello.c
mv -f plugin.wasm.tmp plugin.wasm
echo "built $(pwd)/plugin.wasm ($(wc -c <plugin.wasm) bytes, sha256 $(sha256sum plugin.wasm | cut -d' ' -f1))"
