#!/bin/sh
# Builds the example native provider (examples/echo-provider) and the test fixture libraries.
#   usage: build.sh [OUT_DIR]     (default: target/native)
# Writes OUT_DIR/<os>-<arch>/lib*.so for this machine's architecture (gcc), OUT_DIR/linux-arm64/
# libecho_provider.so too when the cross compiler aarch64-linux-gnu-gcc is installed, and
# OUT_DIR/wasi-wasm/echo_provider.wasm: the same unchanged C source as a Wasm provider plugin
# (clang + wasm-ld, through wasm-adapter/build-wasm.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/target/native"}
cc=${CC:-gcc}
flags="-shared -fPIC -O2 -Wall -Wextra -std=c11 -I$here/include"

case "$(uname -m)" in
  x86_64|amd64) arch=amd64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac
case "$(uname -s)" in
  Linux) os=linux; ext=so ;;
  Darwin) os=darwin; ext=dylib ;;
  *) echo "build.sh: unsupported OS $(uname -s)" >&2; exit 1 ;;
esac

dir="$out/$os-$arch"
mkdir -p "$dir"
$cc $flags -o "$dir/libecho_provider.$ext" "$here/examples/echo-provider/echo_provider.c"
for f in abi_999 querymt_style not_a_plugin odd_plugin; do
  $cc $flags -o "$dir/lib$f.$ext" "$here/src/test/c/$f.c"
done
echo "build.sh: built $dir/libecho_provider.$ext and test fixtures"

if [ "$os" = linux ] && [ "$arch" != arm64 ]; then
  # The cross compiler is optional, and present is not the same as working (without
  # libc6-dev-arm64-cross it stops at the first #include): try it, and skip with one line.
  mkdir -p "$out/linux-arm64"
  if ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
    echo "build.sh: aarch64-linux-gnu-gcc not found; skipping the linux/arm64 build (install it with:" \
      "apt-get install -y --no-install-recommends gcc-aarch64-linux-gnu libc6-dev-arm64-cross)"
  elif aarch64-linux-gnu-gcc $flags -o "$out/linux-arm64/libecho_provider.so.tmp" \
      "$here/examples/echo-provider/echo_provider.c" 2>"$out/cross-arm64.log"; then
    mv -f "$out/linux-arm64/libecho_provider.so.tmp" "$out/linux-arm64/libecho_provider.so"
    echo "build.sh: cross-built $out/linux-arm64/libecho_provider.so"
  else
    rm -f "$out/linux-arm64/libecho_provider.so.tmp" "$out/linux-arm64/libecho_provider.so"
    echo "build.sh: aarch64-linux-gnu-gcc cannot build ($(grep -m1 -i error "$out/cross-arm64.log" || true));" \
      "skipping the linux/arm64 build (install: apt-get install -y --no-install-recommends libc6-dev-arm64-cross)"
  fi
  rmdir "$out/linux-arm64" 2>/dev/null || true
fi

sh "$here/wasm-adapter/build-wasm.sh" "$out/wasi-wasm/echo_provider.wasm" "$here/examples/echo-provider/echo_provider.c"
