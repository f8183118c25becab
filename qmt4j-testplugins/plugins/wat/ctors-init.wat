;; ctors-init.wat: exports both __wasm_call_ctors and _initialize. The reference calls only
;; __wasm_call_ctors (conformance item 9, qmt4j-wasm/README.md). probe outputs two little-endian u64 values:
;; [times __wasm_call_ctors ran, times _initialize ran]; expected [1, 0].
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (global $ctors (mut i64) (i64.const 0))
  (global $inits (mut i64) (i64.const 0))
  (func (export "__wasm_call_ctors") (global.set $ctors (i64.add (global.get $ctors) (i64.const 1))))
  (func (export "_initialize") (global.set $inits (i64.add (global.get $inits) (i64.const 1))))
  (func (export "probe") (result i32) (local $h i64)
    (local.set $h (call $alloc (i64.const 16)))
    (call $store_u64 (local.get $h) (global.get $ctors))
    (call $store_u64 (i64.add (local.get $h) (i64.const 8)) (global.get $inits))
    (call $output_set (local.get $h) (i64.const 16))
    (i32.const 0))
)
