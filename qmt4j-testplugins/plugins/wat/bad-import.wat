;; bad-import.wat: imports a name extism:host/env does not define. Loading must fail with
;; "Invalid function import from extism:host/env: not_a_kernel_function ..." (the reference runtime's message).
(module
  (import "extism:host/env" "not_a_kernel_function" (func $nope (param i64) (result i64)))
  (memory (export "memory") 1)
  (func (export "run") (result i32) (drop (call $nope (i64.const 0))) (i32.const 0))
)
