;; legacy-env.wat: a pre-1.0 Extism plugin (docs/wasm.md "Sources"): every kernel and built-in
;; function comes from module "env" with the prefix "extism_".
;; Exports: echo (output = input), greeting (output = config "greeting", or "<missing>"),
;; fail (error "legacy failure", rc 1).
(module
  (import "env" "extism_alloc" (func $alloc (param i64) (result i64)))
  (import "env" "extism_length" (func $length (param i64) (result i64)))
  (import "env" "extism_load_u8" (func $load_u8 (param i64) (result i32)))
  (import "env" "extism_store_u8" (func $store_u8 (param i64 i32)))
  (import "env" "extism_input_length" (func $input_length (result i64)))
  (import "env" "extism_input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "env" "extism_output_set" (func $output_set (param i64 i64)))
  (import "env" "extism_error_set" (func $error_set (param i64)))
  (import "env" "extism_config_get" (func $config_get (param i64) (result i64)))
  (import "env" "extism_log_info" (func $log_info (param i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "greeting")        ;; 8
  (data (i32.const 16) "<missing>")      ;; 9
  (data (i32.const 32) "legacy failure") ;; 14
  (data (i32.const 48) "legacy echo")    ;; 11
  (func $str (param $ptr i32) (param $len i32) (result i64) (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
        (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $h))
  (func (export "echo") (result i32) (local $n i64) (local $h i64) (local $i i64)
    (call $log_info (call $str (i32.const 48) (i32.const 11)))
    (local.set $n (call $input_length))
    (local.set $h (call $alloc (local.get $n)))
    (block $done (loop $l
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $h) (local.get $i)) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l)))
    (call $output_set (local.get $h) (local.get $n))
    (i32.const 0))
  (func (export "greeting") (result i32) (local $v i64)
    (local.set $v (call $config_get (call $str (i32.const 0) (i32.const 8))))
    (if (i64.eqz (local.get $v))
      (then (local.set $v (call $str (i32.const 16) (i32.const 9)))))
    (call $output_set (local.get $v) (call $length (local.get $v)))
    (i32.const 0))
  (func (export "fail") (result i32)
    (call $error_set (call $str (i32.const 32) (i32.const 14)))
    (i32.const 1))
)
