;; kernel-edge.wat: raw Extism kernel calls at their edges (conformance items of qmt4j-wasm/README.md).
;; Imports ALL 20 kernel functions and the built-ins with the exact types of Extism's kernel/runtime.
;; Most exports output their results as an array of little-endian u64 values (8 bytes each),
;; listed in the comment above each export as [r0, r1, ...] with the reference's expected values.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "free" (func $free (param i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "length_unsafe" (func $length_unsafe (param i64) (result i64)))
  (import "extism:host/env" "load_u8" (func $load_u8 (param i64) (result i32)))
  (import "extism:host/env" "load_u64" (func $load_u64 (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_offset" (func $input_offset (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "input_set" (func $input_set (param i64 i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "output_length" (func $output_length (result i64)))
  (import "extism:host/env" "output_offset" (func $output_offset (result i64)))
  (import "extism:host/env" "error_set" (func $error_set (param i64)))
  (import "extism:host/env" "error_get" (func $error_get (result i64)))
  (import "extism:host/env" "reset" (func $reset))
  (import "extism:host/env" "memory_bytes" (func $memory_bytes (result i64)))
  (import "extism:host/env" "config_get" (func $config_get (param i64) (result i64)))
  (import "extism:host/env" "var_get" (func $var_get (param i64) (result i64)))
  (import "extism:host/env" "var_set" (func $var_set (param i64 i64)))
  (import "extism:host/env" "http_status_code" (func $http_status_code (result i32)))
  (import "extism:host/env" "http_headers" (func $http_headers (result i64)))
  (import "extism:host/env" "log_trace" (func $log_trace (param i64)))
  (import "extism:host/env" "get_log_level" (func $get_log_level (result i32)))

  (memory (export "memory") 1)
  ;; linear memory: 0..255 constant strings, 1024.. result slots (u64 each)
  (data (i32.const 0) "0123456789")          ;; 10 bytes
  (data (i32.const 16) "freed")              ;; 5
  (data (i32.const 32) "freed error")        ;; 11
  (data (i32.const 48) "keep")               ;; 4
  (data (i32.const 64) "k")                  ;; 1
  (data (i32.const 72) "v")                  ;; 1
  (data (i32.const 80) "trace message")      ;; 13
  (data (i32.const 96) "ok!!")               ;; 4
  (data (i32.const 112) "missing-key")       ;; 11

  ;; result slot i := v
  (func $r (param $i i32) (param $v i64)
    (i64.store (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 3))) (local.get $v)))
  (func $b2i (param $b i32) (result i64) (i64.extend_i32_u (local.get $b)))
  ;; outputs result slots 0..n-1
  (func $emit (param $n i32) (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (i32.shl (local.get $n) (i32.const 3)))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $store_u64
        (i64.add (local.get $h) (i64.extend_i32_u (i32.shl (local.get $i) (i32.const 3))))
        (i64.load (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (call $output_set (local.get $h) (i64.extend_i32_u (i32.shl (local.get $n) (i32.const 3)))))
  ;; copies linear memory [ptr, ptr+len) into a fresh block
  (func $str (param $ptr i32) (param $len i32) (result i64) (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
        (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $h))

  ;; [alloc(0)] = [0]
  (func (export "alloc_zero") (result i32)
    (call $r (i32.const 0) (call $alloc (i64.const 0)))
    (call $emit (i32.const 1)) (i32.const 0))

  ;; h = alloc(16): [length(0), length_unsafe(0), length(h), length_unsafe(h), length(h+1),
  ;;  length(h+15), length(0xffffffffffff), length(0x8000000000000000)] = [0,0,16,16,0,0,0,0]
  (func (export "length_edges") (result i32) (local $h i64)
    (local.set $h (call $alloc (i64.const 16)))
    (call $r (i32.const 0) (call $length (i64.const 0)))
    (call $r (i32.const 1) (call $length_unsafe (i64.const 0)))
    (call $r (i32.const 2) (call $length (local.get $h)))
    (call $r (i32.const 3) (call $length_unsafe (local.get $h)))
    (call $r (i32.const 4) (call $length (i64.add (local.get $h) (i64.const 1))))
    (call $r (i32.const 5) (call $length (i64.add (local.get $h) (i64.const 15))))
    (call $r (i32.const 6) (call $length (i64.const 0xffffffffffff)))
    (call $r (i32.const 7) (call $length (i64.const 0x8000000000000000)))
    (call $emit (i32.const 8)) (i32.const 0))

  ;; h = alloc(16); store_u64(h+3, 0x0102030405060708) (unaligned); store_u8(h, 0x1ff) (low 8 bits);
  ;; out-of-range stores must be ignored, not trap:
  ;; [load_u64(h+3), load_u8(h+3), load_u8(h+10), load_u8(h), load_u64(0xffffffffffff),
  ;;  load_u8(0xffffffffffff), load_u64(0x8000000000000000), load_u8(h+15)]
  ;; = [0x0102030405060708, 8, 1, 255, 0, 0, 0, 0]
  (func (export "load_store_edges") (result i32) (local $h i64)
    (local.set $h (call $alloc (i64.const 16)))
    (call $store_u64 (i64.add (local.get $h) (i64.const 3)) (i64.const 0x0102030405060708))
    (call $store_u8 (local.get $h) (i32.const 0x1ff))
    (call $store_u64 (i64.const 0xffffffffffff) (i64.const 42))
    (call $store_u8 (i64.const 0xffffffffffff) (i32.const 42))
    (call $store_u64 (i64.const 0x8000000000000000) (i64.const 42))
    (call $r (i32.const 0) (call $load_u64 (i64.add (local.get $h) (i64.const 3))))
    (call $r (i32.const 1) (i64.extend_i32_u (call $load_u8 (i64.add (local.get $h) (i64.const 3)))))
    (call $r (i32.const 2) (i64.extend_i32_u (call $load_u8 (i64.add (local.get $h) (i64.const 10)))))
    (call $r (i32.const 3) (i64.extend_i32_u (call $load_u8 (local.get $h))))
    (call $r (i32.const 4) (call $load_u64 (i64.const 0xffffffffffff)))
    (call $r (i32.const 5) (i64.extend_i32_u (call $load_u8 (i64.const 0xffffffffffff))))
    (call $r (i32.const 6) (call $load_u64 (i64.const 0x8000000000000000)))
    (call $r (i32.const 7) (i64.extend_i32_u (call $load_u8 (i64.add (local.get $h) (i64.const 15)))))
    (call $emit (i32.const 8)) (i32.const 0))

  ;; call with input "abcdefghij" (10 bytes), len = input_length():
  ;; [len, input_load_u8(0), input_load_u8(len-1), input_load_u8(len), input_load_u64(0),
  ;;  input_load_u64(len-8), input_load_u64(len-7), length(input_offset()),
  ;;  load_u8(input_offset()+1)]
  ;; = [10, 'a', 'j', 0, LE "abcdefgh", LE "cdefghij", 0, 10, 'b']
  (func (export "input_edges") (result i32) (local $len i64)
    (local.set $len (call $input_length))
    (call $r (i32.const 0) (local.get $len))
    (call $r (i32.const 1) (i64.extend_i32_u (call $input_load_u8 (i64.const 0))))
    (call $r (i32.const 2) (i64.extend_i32_u (call $input_load_u8 (i64.sub (local.get $len) (i64.const 1)))))
    (call $r (i32.const 3) (i64.extend_i32_u (call $input_load_u8 (local.get $len))))
    (call $r (i32.const 4) (call $input_load_u64 (i64.const 0)))
    (call $r (i32.const 5) (call $input_load_u64 (i64.sub (local.get $len) (i64.const 8))))
    (call $r (i32.const 6) (call $input_load_u64 (i64.sub (local.get $len) (i64.const 7))))
    (call $r (i32.const 7) (call $length (call $input_offset)))
    (call $r (i32.const 8) (i64.extend_i32_u (call $load_u8 (i64.add (call $input_offset) (i64.const 1)))))
    (call $emit (i32.const 9)) (i32.const 0))

  ;; free(input_offset()) then: [input_length(), input_load_u8(0)] = [0, 0]  (any non-empty input)
  (func (export "free_input") (result i32)
    (call $free (call $input_offset))
    (call $r (i32.const 0) (call $input_length))
    (call $r (i32.const 1) (i64.extend_i32_u (call $input_load_u8 (i64.const 0))))
    (call $emit (i32.const 2)) (i32.const 0))

  ;; output_set at an interior address: output = "23456"
  (func (export "output_interior") (result i32) (local $h i64)
    (local.set $h (call $str (i32.const 0) (i32.const 10)))
    (call $output_set (i64.add (local.get $h) (i64.const 2)) (i64.const 5))
    (i32.const 0))

  ;; output_set(h, 4) then the ignored output_set(0, 0) and output_set(0xffffffffffff, 10):
  ;; output = "keep"
  (func (export "output_keep") (result i32)
    (call $output_set (call $str (i32.const 48) (i32.const 4)) (i64.const 4))
    (call $output_set (i64.const 0) (i64.const 0))
    (call $output_set (i64.const 0xffffffffffff) (i64.const 10))
    (i32.const 0))

  ;; only an out-of-range output_set: output is empty
  (func (export "output_out_of_range") (result i32)
    (call $output_set (i64.const 0x7fffffff) (i64.const 10))
    (i32.const 0))

  ;; output block freed before returning: output = "freed" (freed memory stays readable until reset)
  (func (export "output_freed") (result i32) (local $h i64)
    (local.set $h (call $str (i32.const 16) (i32.const 5)))
    (call $output_set (local.get $h) (i64.const 5))
    (call $free (local.get $h))
    (i32.const 0))

  ;; h=alloc(4); free(h) twice, free(0), free(12345), free(h+1); h2=alloc(4) <- "ok!!";
  ;; output = "ok!!" and length(h) must be 0 (else the call fails with rc 2)
  (func (export "double_free") (result i32) (local $h i64) (local $h2 i64)
    (local.set $h (call $alloc (i64.const 4)))
    (call $free (local.get $h))
    (call $free (local.get $h))
    (call $free (i64.const 0))
    (call $free (i64.const 12345))
    (call $free (i64.add (local.get $h) (i64.const 1)))
    (local.set $h2 (call $str (i32.const 96) (i32.const 4)))
    (call $output_set (local.get $h2) (i64.const 4))
    (if (i64.ne (call $length (local.get $h)) (i64.const 0)) (then (return (i32.const 2))))
    (i32.const 0))

  ;; error_set(h "freed error"); free(h); return 1. Reference: "Returned non-zero exit code: 1"
  ;; (the freed message is lost); a host that captures the length at error_set reports "freed error".
  (func (export "error_freed") (result i32) (local $h i64)
    (local.set $h (call $str (i32.const 32) (i32.const 11)))
    (call $error_set (local.get $h))
    (call $free (local.get $h))
    (i32.const 1))

  ;; error_set(h) then error_set(0): success with output "ok!!"
  (func (export "error_cleared") (result i32)
    (call $error_set (call $str (i32.const 32) (i32.const 11)))
    (call $error_set (i64.const 0))
    (call $output_set (call $str (i32.const 96) (i32.const 4)) (i64.const 4))
    (i32.const 0))

  ;; [error_get() == h (1/0), error_get() after error_set(0)] = [1, 0]; success
  (func (export "error_get_probe") (result i32) (local $h i64)
    (local.set $h (call $str (i32.const 32) (i32.const 11)))
    (call $error_set (local.get $h))
    (call $r (i32.const 0) (call $b2i (i64.eq (call $error_get) (local.get $h))))
    (call $error_set (i64.const 0))
    (call $r (i32.const 1) (call $error_get))
    (call $emit (i32.const 2)) (i32.const 0))

  ;; h="0123456789"; output_set(h+1, 3): [output_length(), output_offset() == h+1 (1/0)] = [3, 1]
  (func (export "output_registers") (result i32) (local $h i64)
    (local.set $h (call $str (i32.const 0) (i32.const 10)))
    (call $output_set (i64.add (local.get $h) (i64.const 1)) (i64.const 3))
    (call $r (i32.const 0) (call $output_length))
    (call $r (i32.const 1) (call $b2i (i64.eq (call $output_offset) (i64.add (local.get $h) (i64.const 1)))))
    (call $emit (i32.const 2)) (i32.const 0))

  ;; h=alloc(8); reset(): [length(h), input_length()] = [0, 0]
  (func (export "reset_probe") (result i32) (local $h i64)
    (local.set $h (call $alloc (i64.const 8)))
    (call $reset)
    (call $r (i32.const 0) (call $length (local.get $h)))
    (call $r (i32.const 1) (call $input_length))
    (call $emit (i32.const 2)) (i32.const 0))

  ;; a=alloc(1), b=alloc(1), h=input_set(a, 1) with a := 'z':
  ;; [a != 0, b != 0, a != b, memory_bytes() > 0, input_length(), input_load_u8(0)] = [1,1,1,1,1,'z']
  (func (export "alloc_input_set") (result i32) (local $a i64) (local $b i64)
    (local.set $a (call $alloc (i64.const 1)))
    (local.set $b (call $alloc (i64.const 1)))
    (call $store_u8 (local.get $a) (i32.const 0x7a))
    (call $input_set (local.get $a) (i64.const 1))
    (call $r (i32.const 0) (call $b2i (i64.ne (local.get $a) (i64.const 0))))
    (call $r (i32.const 1) (call $b2i (i64.ne (local.get $b) (i64.const 0))))
    (call $r (i32.const 2) (call $b2i (i64.ne (local.get $a) (local.get $b))))
    (call $r (i32.const 3) (call $b2i (i64.gt_u (call $memory_bytes) (i64.const 0))))
    (call $r (i32.const 4) (call $input_length))
    (call $r (i32.const 5) (i64.extend_i32_u (call $input_load_u8 (i64.const 0))))
    (call $emit (i32.const 6)) (i32.const 0))

  ;; [config_get(0), var_get(0), config_get("missing-key"), http_status_code(), http_headers()]
  ;; = [0, 0, 0, 0, 0]  (http_headers is 0 while header capture is off, the default)
  (func (export "builtin_edges") (result i32)
    (call $r (i32.const 0) (call $config_get (i64.const 0)))
    (call $r (i32.const 1) (call $var_get (i64.const 0)))
    (call $r (i32.const 2) (call $config_get (call $str (i32.const 112) (i32.const 11))))
    (call $r (i32.const 3) (i64.extend_i32_u (call $http_status_code)))
    (call $r (i32.const 4) (call $http_headers))
    (call $emit (i32.const 5)) (i32.const 0))

  ;; config_get on an interior handle: fails with "invalid handle offset for config key: N"
  (func (export "config_bad_handle") (result i32)
    (drop (call $config_get (i64.add (call $str (i32.const 0) (i32.const 10)) (i64.const 1))))
    (i32.const 0))

  ;; var_set("k","v"); [length(var_get("k"))]; var_set("k", 0) deletes; [.., var_get("k")] = [1, 0]
  (func (export "var_delete") (result i32)
    (call $var_set (call $str (i32.const 64) (i32.const 1)) (call $str (i32.const 72) (i32.const 1)))
    (call $r (i32.const 0) (call $length (call $var_get (call $str (i32.const 64) (i32.const 1)))))
    (call $var_set (call $str (i32.const 64) (i32.const 1)) (i64.const 0))
    (call $r (i32.const 1) (call $var_get (call $str (i32.const 64) (i32.const 1))))
    (call $emit (i32.const 2)) (i32.const 0))

  ;; log_trace("trace message"); [get_log_level()] (trace=0 ... error=4, off=2147483647)
  (func (export "log_level") (result i32)
    (call $log_trace (call $str (i32.const 80) (i32.const 13)))
    (call $r (i32.const 0) (i64.extend_i32_u (call $get_log_level)))
    (call $emit (i32.const 1)) (i32.const 0))

  ;; a () -> () export: success, output "ok!!"
  (func (export "void_export")
    (call $output_set (call $str (i32.const 96) (i32.const 4)) (i64.const 4)))

  ;; an export with two results: "Function two_results has 2 results, expected 0 or 1"
  (func (export "two_results") (result i32 i32) (i32.const 0) (i32.const 0))

  ;; an export with a parameter (not callable as an Extism function)
  (func (export "with_param") (param i32) (result i32) (i32.const 0))
)
