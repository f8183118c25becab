# bench/lib.sh — set-up shared by the bench/ scripts (sourced, not run): a docker-registry on
# loopback and a large valid Wasm module. Callers set W (a temporary directory they clean up) and
# define say(); start_registry sets REG (host:port) and REG_PID (the caller kills it on exit).

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_registry: Debian's docker-registry (CNCF Distribution) on 127.0.0.1:<free port>, storage under $W.
start_registry() {
  local p
  PORT=""
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    if port_free "$p"; then PORT="$p"; break; fi
  done
  [ -n "$PORT" ] || { say "no free port found"; return 1; }
  REG="127.0.0.1:$PORT"
  mkdir -p "$W/storage"
  cat >"$W/registry.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $W/storage
  delete:
    enabled: true
http:
  addr: $REG
YML
  docker-registry serve "$W/registry.yml" >"$W/registry.log" 2>&1 &
  REG_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://$REG/v2/" >/dev/null 2>&1 && break
    kill -0 "$REG_PID" 2>/dev/null || { cat "$W/registry.log" >&2; say "registry died"; return 1; }
    sleep 0.1
  done
  curl -fsS "http://$REG/v2/" >/dev/null || { say "registry did not come up on $REG"; return 1; }
  say "registry: docker-registry on $REG (storage $W/storage)"
}

# make_big_wasm FILE SIZE_MIB: a valid wasm module of exactly SIZE_MIB MiB (one custom section of
# random bytes): header (8) + section id (1) + 4-byte LEB128 size + name length (1) + "bench" (5).
make_big_wasm() {
  local out="$1" mib="$2" total payload secsize leb
  total=$(( mib * 1024 * 1024 ))
  payload=$(( total - 8 - 1 - 4 - 6 ))
  secsize=$(( payload + 6 ))
  (( secsize < 268435456 )) || { say "SIZE_MIB too large for a 4-byte LEB128"; return 1; }
  leb=$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' \
    $(( (secsize & 127) | 128 )) $(( ((secsize >> 7) & 127) | 128 )) \
    $(( ((secsize >> 14) & 127) | 128 )) $(( (secsize >> 21) & 127 )))
  {
    printf '\x00asm\x01\x00\x00\x00\x00'
    printf "$leb"
    printf '\x05bench'
    head -c "$payload" /dev/urandom
  } >"$out"
  [ "$(wc -c <"$out")" -eq "$total" ] || { say "$out has the wrong size"; return 1; }
}

# publish_wasm QMT4J FILE REF: pushes FILE as REF with `qmt4j push`, or with skopeo from an OCI
# layout (examples/make-layout.sh) if that fails; sets PUSHED_WITH.
publish_wasm() {
  local q="$1" file="$2" ref="$3" root
  root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if "$q" push "$ref" --wasm "$file" >"$W/push.log" 2>&1; then
    PUSHED_WITH="bin/qmt4j push"
  else
    say "bin/qmt4j push failed (see below); publishing with skopeo from an OCI layout instead"
    sed 's/^/  push: /' "$W/push.log" >&2 || true
    "$root/examples/make-layout.sh" "$file" "$W/layout" 1 >/dev/null
    skopeo copy -q --dest-tls-verify=false "oci:$W/layout:1" "docker://${ref#oci://}"
    PUSHED_WITH="skopeo copy from an OCI layout (examples/make-layout.sh)"
  fi
}
