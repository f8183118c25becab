;; start-only.wat: initialisation order (conformance item 9, qmt4j-wasm/README.md). Exports _initialize (must run once
;; right after instantiation) and _start (must NOT run implicitly).
;; probe outputs two little-endian u64 values: [times _initialize ran, times _start ran]
;; on this instance. Expected on a fresh instance: [1, 0]. After an explicit call of "_start"
;; the reference re-instantiates before the next call, so probe again gives [1, 0].
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (global $inits (mut i64) (i64.const 0))
  (global $starts (mut i64) (i64.const 0))
  (func (export "_initialize") (global.set $inits (i64.add (global.get $inits) (i64.const 1))))
  (func (export "_start") (global.set $starts (i64.add (global.get $starts) (i64.const 1))))
  (func (export "probe") (result i32) (local $h i64)
    (local.set $h (call $alloc (i64.const 16)))
    (call $store_u64 (local.get $h) (global.get $inits))
    (call $store_u64 (i64.add (local.get $h) (i64.const 8)) (global.get $starts))
    (call $output_set (local.get $h) (i64.const 16))
    (i32.const 0))
)
