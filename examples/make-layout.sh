#!/usr/bin/env bash
# Writes examples/layout/: an OCI image layout (image-spec "image-layout.md") holding the hello
# Extism plugin as a QueryMT-style Wasm image tagged 0.1.0 — the same shape QueryMT's CI pushes
# with `oras push` (its .github/workflows/publish-providers.yml at github.com/querymt/querymt):
#   manifest  application/vnd.oci.image.manifest.v1+json, annotation mt.query.plugin.type=extism
#   config    application/vnd.wasm.v1.config+json, content "{}"
#   layer     application/vnd.wasm.v1.layer+wasm, annotation org.opencontainers.image.title=plugin.wasm
# Plain shell + sha256sum, no jq. The output is byte-for-byte reproducible from plugin.wasm.
# `bin/qmt4j push oci-layout://examples/layout:0.1.0 --wasm examples/plugins/hello/plugin.wasm`
# writes a byte-for-byte identical layout (checked); this script exists so the layout can be
# rebuilt, and the benchmark can publish, without building the CLI.
#
# usage: examples/make-layout.sh [PLUGIN_WASM] [LAYOUT_DIR] [TAG]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
wasm="${1:-$here/plugins/hello/plugin.wasm}"
out="${2:-$here/layout}"
tag="${3:-0.1.0}"

[ -f "$wasm" ] || { echo "make-layout.sh: $wasm not found (build it with examples/plugins/hello/build.sh)" >&2; exit 1; }

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { wc -c <"$1" | tr -d ' '; }

rm -rf "$out"
mkdir -p "$out/blobs/sha256"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

# blob helper: stores file $1 under its digest, prints the digest
put_blob() { local d; d="$(sha "$1")"; cp "$1" "$out/blobs/sha256/$d"; echo "$d"; }

printf '{}' >"$tmp/config"
cfg="$(put_blob "$tmp/config")"; cfg_size="$(size "$tmp/config")"
layer="$(put_blob "$wasm")"; layer_size="$(size "$wasm")"

printf '%s' \
'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'\
'"config":{"mediaType":"application/vnd.wasm.v1.config+json","digest":"sha256:'"$cfg"'","size":'"$cfg_size"'},'\
'"layers":[{"mediaType":"application/vnd.wasm.v1.layer+wasm","digest":"sha256:'"$layer"'","size":'"$layer_size"','\
'"annotations":{"org.opencontainers.image.title":"plugin.wasm"}}],'\
'"annotations":{"mt.query.plugin.type":"extism"}}' >"$tmp/manifest"
man="$(put_blob "$tmp/manifest")"; man_size="$(size "$tmp/manifest")"

printf '{"imageLayoutVersion":"1.0.0"}' >"$out/oci-layout"
printf '%s' \
'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":['\
'{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'"$man"'","size":'"$man_size"','\
'"annotations":{"org.opencontainers.image.ref.name":"'"$tag"'"}}]}' >"$out/index.json"

echo "wrote $out: tag $tag -> manifest sha256:$man (layer sha256:$layer, $layer_size bytes)"
