;; A counter in var "n" whose key block is allocated once, first thing in the call, and passed to
;; both var_get and var_set. The reference's built-ins free their handle arguments, so by the time
;; var_set sees the key its block has been freed by var_get; Extism's JS SDK (1.0.3) does not free
;; them and counts 1, 2, 3 over three calls of one instance. Call it with empty input: the key is
;; then the arena's very first block. Output: the new count as a little-endian u64.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "load_u64" (func $load_u64 (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "var_get" (func $var_get (param i64) (result i64)))
  (import "extism:host/env" "var_set" (func $var_set (param i64 i64)))
  (memory (export "memory") 1)

  (func (export "count") (result i32)
    (local $key i64) (local $v i64) (local $n i64) (local $h i64)
    (local.set $key (call $alloc (i64.const 1)))
    (call $store_u8 (local.get $key) (i32.const 110)) ;; "n"
    (local.set $v (call $var_get (local.get $key)))
    (if (i64.ne (local.get $v) (i64.const 0))
      (then (local.set $n (call $load_u64 (local.get $v)))))
    (local.set $n (i64.add (local.get $n) (i64.const 1)))
    (local.set $h (call $alloc (i64.const 8)))
    (call $store_u64 (local.get $h) (local.get $n))
    (call $var_set (local.get $key) (local.get $h))
    (call $output_set (local.get $h) (i64.const 8))
    (i32.const 0))
)
