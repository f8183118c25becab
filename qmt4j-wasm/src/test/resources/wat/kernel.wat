;; Exercises the Extism kernel and built-ins from the guest side; each export writes its findings
;; to the output so the Java tests can check them.
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
  (import "extism:host/env" "error_set" (func $error_set (param i64)))
  (import "extism:host/env" "config_get" (func $config_get (param i64) (result i64)))
  (import "extism:host/env" "var_get" (func $var_get (param i64) (result i64)))
  (import "extism:host/env" "var_set" (func $var_set (param i64 i64)))
  (import "extism:host/env" "http_request" (func $http_request (param i64 i64) (result i64)))
  (import "extism:host/env" "http_status_code" (func $http_status_code (result i32)))
  (import "extism:host/env" "http_headers" (func $http_headers (result i64)))
  (import "extism:host/env" "log_info" (func $log_info (param i64)))
  (import "extism:host/env" "log_debug" (func $log_debug (param i64)))
  (import "extism:host/env" "get_log_level" (func $get_log_level (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "boom")
  (data (i32.const 16) "n")

  ;; Copies plugin memory [ptr, ptr+len) into a new Extism block.
  (func $to_extism (param $ptr i32) (param $len i32) (result i64)
    (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                        (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $h))

  ;; Copies the input into a fresh block, byte by byte with input_load_u8 (as PDKs do for tails).
  (func $input_block (result i64)
    (local $h i64) (local $n i64) (local $i i64)
    (local.set $n (call $input_length))
    (local.set $h (call $alloc (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (call $store_u8 (i64.add (local.get $h) (local.get $i)) (call $input_load_u8 (local.get $i)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (local.get $h))

  ;; Appends u64 values to the output: writes them into a block of 8*n bytes.
  (func $out2 (param $a i64) (param $b i64)
    (local $h i64)
    (local.set $h (call $alloc (i64.const 16)))
    (call $store_u64 (local.get $h) (local.get $a))
    (call $store_u64 (i64.add (local.get $h) (i64.const 8)) (local.get $b))
    (call $output_set (local.get $h) (i64.const 16)))

  (func (export "echo") (result i32)
    (local $h i64)
    (local.set $h (call $input_block))
    (call $output_set (local.get $h) (call $length (local.get $h)))
    (i32.const 0))

  ;; C-PDK style: output straight from input_offset, interior pointer skipping the first byte.
  (func (export "echo_tail") (result i32)
    (call $output_set (i64.add (call $input_offset) (i64.const 1))
                      (i64.sub (call $input_length) (i64.const 1)))
    (i32.const 0))

  (func (export "alloc_zero") (result i32)
    (call $out2 (call $alloc (i64.const 0)) (call $length_unsafe (i64.const 0)))
    (i32.const 0))

  ;; [length(h), length(h+1)] for a 5-byte block, [length(unknown), length_unsafe(unknown)]
  (func (export "lengths") (result i32)
    (local $h i64)
    (local.set $h (call $alloc (i64.const 5)))
    (call $out2 (call $length (local.get $h)) (call $length (i64.add (local.get $h) (i64.const 1))))
    (i32.const 0))

  (func (export "length_unknown") (result i32)
    (call $out2 (call $length (i64.const 999999)) (call $length_unsafe (i64.const 999999)))
    (i32.const 0))

  ;; Freed data stays readable; double free is harmless; a freed block's length is 0.
  (func (export "free_twice") (result i32)
    (local $h i64) (local $g i64)
    (local.set $h (call $alloc (i64.const 8)))
    (call $store_u8 (local.get $h) (i32.const 42))
    (call $free (local.get $h))
    (call $free (local.get $h))
    (local.set $g (call $alloc (i64.const 8)))
    (call $free (i64.const 0))
    (call $free (i64.const 123456789))
    (call $out2 (i64.or (i64.shl (call $length (local.get $h)) (i64.const 32)) (i64.extend_i32_u (call $load_u8 (local.get $h))))
                (call $length (local.get $g)))
    (i32.const 0))

  ;; Out-of-range loads return 0 and out-of-range stores are ignored (no trap).
  (func (export "bounds") (result i32)
    (call $store_u64 (i64.const 0xffffffffffff) (i64.const 7))
    (call $store_u8 (i64.const -1) (i32.const 7))
    (call $out2 (call $load_u64 (i64.const 0xffffffffffff))
                (i64.add (i64.extend_i32_u (call $load_u8 (i64.const -1))) (call $load_u64 (i64.const 0))))
    (i32.const 0))

  ;; [input_load_u64(0), input_load_u64(input_length - 7)] : the second is out of range -> 0
  (func (export "input_u64") (result i32)
    (call $out2 (call $input_load_u64 (i64.const 0))
                (call $input_load_u64 (i64.sub (call $input_length) (i64.const 7))))
    (i32.const 0))

  (func (export "fail") (result i32)
    (call $error_set (call $to_extism (i32.const 0) (i32.const 4)))
    (i32.const 0))

  (func (export "fail_freed") (result i32)
    (local $h i64)
    (local.set $h (call $to_extism (i32.const 0) (i32.const 4)))
    (call $error_set (local.get $h))
    (call $free (local.get $h))
    (i32.const 1))

  (func (export "rc3") (result i32) (i32.const 3))

  (func (export "void_export"))

  ;; Output = config value for the key in the input, or "<none>" bytes absent -> empty output + rc 0,
  ;; and the key block is freed by the host.
  (func (export "config") (result i32)
    (local $k i64) (local $v i64)
    (local.set $k (call $input_block))
    (local.set $v (call $config_get (local.get $k)))
    (if (i64.eqz (local.get $v))
      (then (call $out2 (i64.const 0) (call $length (local.get $k))))
      (else (call $output_set (local.get $v) (call $length (local.get $v)))))
    (i32.const 0))

  ;; n := n + 1 in var "n"; output n.
  (func (export "count") (result i32)
    (local $v i64) (local $n i64) (local $h i64)
    (local.set $v (call $var_get (call $to_extism (i32.const 16) (i32.const 1))))
    (if (i64.ne (local.get $v) (i64.const 0))
      (then (local.set $n (call $load_u64 (local.get $v)))))
    (local.set $n (i64.add (local.get $n) (i64.const 1)))
    (local.set $h (call $alloc (i64.const 8)))
    (call $store_u64 (local.get $h) (local.get $n))
    (call $var_set (call $to_extism (i32.const 16) (i32.const 1)) (local.get $h))
    (call $out2 (local.get $n) (i64.const 0))
    (i32.const 0))

  ;; Stores the input as the value of var "n" (for the size cap).
  (func (export "set_big") (result i32)
    (call $var_set (call $to_extism (i32.const 16) (i32.const 1)) (call $input_block))
    (i32.const 0))

  (func (export "delete_var") (result i32)
    (call $var_set (call $to_extism (i32.const 16) (i32.const 1)) (i64.const 0))
    (i32.const 0))

  ;; Input: request JSON. Output: the response body; then status via "status".
  (func (export "http") (result i32)
    (local $r i64)
    (local.set $r (call $http_request (call $input_block) (i64.const 0)))
    (call $output_set (local.get $r) (call $length_unsafe (local.get $r)))
    (i32.const 0))

  ;; Input: request JSON. Output: [status, length of body]
  (func (export "http_status") (result i32)
    (local $r i64)
    (local.set $r (call $http_request (call $input_block) (i64.const 0)))
    (call $out2 (i64.extend_i32_u (call $http_status_code)) (call $length_unsafe (local.get $r)))
    (i32.const 0))

  (func (export "http_headers") (result i32)
    (local $h i64)
    (drop (call $http_request (call $input_block) (i64.const 0)))
    (local.set $h (call $http_headers))
    (call $output_set (local.get $h) (call $length (local.get $h)))
    (i32.const 0))

  (func (export "log") (result i32)
    (call $log_info (call $input_block))
    (call $log_debug (call $input_block))
    (call $out2 (i64.extend_i32_u (call $get_log_level)) (i64.const 0))
    (i32.const 0))

  (func (export "trap") (result i32) unreachable)

  (func (export "spin") (result i32)
    (loop $forever (br $forever))
    (i32.const 0))

  ;; Grows plugin memory a page at a time until it fails.
  (func (export "grow_forever") (result i32)
    (loop $more
      (br_if $more (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    unreachable)

  ;; Allocates 1 MiB Extism blocks until something gives.
  (func (export "alloc_forever") (result i32)
    (loop $more
      (br_if $more (i64.ne (call $alloc (i64.const 1048576)) (i64.const 0))))
    (i32.const 9))

  ;; A first block of 100001 bytes (empty input) grows the arena's buffer to exactly its end,
  ;; 100009, which is not a multiple of 8: the next block would start at 100016. These probe the
  ;; addresses between the block's end and that next start, which once indexed past the byte[].
  ;; Output: [load_u8(end + 1), load_u64(end - 1)] after store_u8(end - 1, 0x5a).
  (func (export "load_past_end") (result i32)
    (local $end i64)
    (local.set $end (i64.add (call $alloc (i64.const 100001)) (i64.const 100001)))
    (call $store_u8 (i64.sub (local.get $end) (i64.const 1)) (i32.const 0x5a))
    (call $out2 (i64.extend_i32_u (call $load_u8 (i64.add (local.get $end) (i64.const 1))))
                (call $load_u64 (i64.sub (local.get $end) (i64.const 1))))
    (i32.const 0))

  ;; Stores between the block's end and the next block start, then reads them back:
  ;; output [load_u8(end + 1), load_u64(end - 1)].
  (func (export "store_past_end") (result i32)
    (local $end i64)
    (local.set $end (i64.add (call $alloc (i64.const 100001)) (i64.const 100001)))
    (call $store_u8 (i64.add (local.get $end) (i64.const 1)) (i32.const 7))
    (call $store_u64 (i64.sub (local.get $end) (i64.const 1)) (i64.const 0x0102030405060708))
    (call $out2 (i64.extend_i32_u (call $load_u8 (i64.add (local.get $end) (i64.const 1))))
                (call $load_u64 (i64.sub (local.get $end) (i64.const 1))))
    (i32.const 0))

  ;; output_set(end + 1, 4): inside the arena's address range, past the block; the host reads it
  ;; after the call returns.
  (func (export "output_past_end") (result i32)
    (local $end i64)
    (local.set $end (i64.add (call $alloc (i64.const 100001)) (i64.const 100001)))
    (call $output_set (i64.add (local.get $end) (i64.const 1)) (i64.const 4))
    (i32.const 0))

  ;; input_set(end - 2, 8) then input_load_u64(0) and input_load_u8(7): [u64, u8].
  (func (export "input_past_end") (result i32)
    (local $end i64)
    (local.set $end (i64.add (call $alloc (i64.const 100001)) (i64.const 100001)))
    (call $store_u8 (i64.sub (local.get $end) (i64.const 2)) (i32.const 0x11))
    (call $input_set (i64.sub (local.get $end) (i64.const 2)) (i64.const 8))
    (call $out2 (call $input_load_u64 (i64.const 0)) (i64.extend_i32_u (call $input_load_u8 (i64.const 7))))
    (i32.const 0))

  (func (export "takes_params") (param i32) (result i32) (local.get 0))
)
