;; user-host-fn.wat: calls a user host function extism:host/user.hello_world(i64) -> i64 with
;; the input as its argument block, and outputs the returned block (length(h) bytes).
;; Without a registered hello_world the module does not link.
(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/user" "hello_world" (func $hello (param i64) (result i64)))
  (memory (export "memory") 1)
  (func (export "call_hello") (result i32) (local $n i64) (local $h i64) (local $i i64) (local $r i64)
    (local.set $n (call $input_length))
    (local.set $h (call $alloc (local.get $n)))
    (block $done (loop $l
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $h) (local.get $i)) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l)))
    (local.set $r (call $hello (local.get $h)))
    (call $output_set (local.get $r) (call $length (local.get $r)))
    (i32.const 0))
)
