package dev.qmt4j.provider.wasm.internal;

import dev.qmt4j.testkit.Wat2Wasm;
import java.nio.charset.StandardCharsets;

/**
 * A tiny legacy-ABI guest in WAT (compiled with wabt's wat2wasm) that forwards to the qmt_* host
 * functions: name, base_url (as given), chat (a fixed GET request), raw_http, stream_open,
 * stream_all (opens, reads stream 1 to the end, closes, outputs the bytes), chat_stream (yields its
 * input 3 times), env (config_get of the input key, "none" if absent), log, extism_http (Extism's
 * built-in http_request with the input as request JSON, no body; outputs the response body).
 */
public final class WatGuest {
    private WatGuest() {}

    public static byte[] build(String baseUrl, String chatRequestJson) {
        String wat = """
            (module
              (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
              (import "extism:host/env" "length" (func $length (param i64) (result i64)))
              (import "extism:host/env" "load_u8" (func $load_u8 (param i64) (result i32)))
              (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
              (import "extism:host/env" "input_length" (func $input_length (result i64)))
              (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
              (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
              (import "extism:host/env" "config_get" (func $config_get (param i64) (result i64)))
              (import "extism:host/env" "http_request" (func $ehttp (param i64 i64) (result i64)))
              (import "extism:host/user" "qmt_http_request" (func $http (param i64) (result i64)))
              (import "extism:host/user" "qmt_http_stream_open" (func $sopen (param i64) (result i64)))
              (import "extism:host/user" "qmt_http_stream_next" (func $snext (param i64) (result i64)))
              (import "extism:host/user" "qmt_http_stream_close" (func $sclose (param i64)))
              (import "extism:host/user" "qmt_yield_chunk" (func $yield (param i64)))
              (import "extism:host/user" "qmt_log" (func $log (param i64)))
              (memory (export "memory") 2)
              (data (i32.const 0) "wat-provider")
              (data (i32.const 16) "%BASE%")
              (data (i32.const 256) "%REQ%")
              (data (i32.const 2048) "1")
              (data (i32.const 2056) "none")
              (func $str (param $p i32) (param $n i32) (result i64) (local $h i64) (local $i i32)
                (local.set $h (call $alloc (i64.extend_i32_u (local.get $n))))
                (block $done (loop $l
                  (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                  (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                                  (i32.load8_u (i32.add (local.get $p) (local.get $i))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $l)))
                (local.get $h))
              (func $input (result i64) (local $n i64) (local $h i64) (local $i i64)
                (local.set $n (call $input_length))
                (local.set $h (call $alloc (local.get $n)))
                (block $done (loop $l
                  (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
                  (call $store_u8 (i64.add (local.get $h) (local.get $i)) (call $input_load_u8 (local.get $i)))
                  (local.set $i (i64.add (local.get $i) (i64.const 1)))
                  (br $l)))
                (local.get $h))
              (func $out (param $h i64) (call $output_set (local.get $h) (call $length (local.get $h))))
              (func (export "name") (result i32) (call $out (call $str (i32.const 0) (i32.const 12))) (i32.const 0))
              (func (export "base_url") (result i32) (call $out (call $str (i32.const 16) (i32.const %BASELEN%))) (i32.const 0))
              (func (export "chat") (result i32) (call $out (call $http (call $str (i32.const 256) (i32.const %REQLEN%)))) (i32.const 0))
              (func (export "raw_http") (result i32) (call $out (call $http (call $input))) (i32.const 0))
              (func (export "extism_http") (result i32) (call $out (call $ehttp (call $input) (i64.const 0))) (i32.const 0))
              (func (export "stream_open") (result i32) (call $out (call $sopen (call $input))) (i32.const 0))
              (func (export "chat_stream") (result i32) (local $h i64)
                (local.set $h (call $input))
                (call $yield (local.get $h)) (call $yield (local.get $h)) (call $yield (local.get $h))
                (i32.const 0))
              (func (export "env") (result i32) (local $v i64)
                (local.set $v (call $config_get (call $input)))
                (if (i64.eqz (local.get $v)) (then (local.set $v (call $str (i32.const 2056) (i32.const 4)))))
                (call $out (local.get $v)) (i32.const 0))
              (func (export "log") (result i32) (call $log (call $input)) (i32.const 0))
              (func (export "stream_all") (result i32) (local $c i64) (local $pos i32) (local $n i64) (local $i i64)
                (drop (call $sopen (call $input)))
                (local.set $pos (i32.const 4096))
                (block $eof (loop $next
                  (local.set $c (call $snext (call $str (i32.const 2048) (i32.const 1))))
                  (br_if $eof (i64.eqz (local.get $c)))
                  (local.set $n (call $length (local.get $c)))
                  (local.set $i (i64.const 0))
                  (block $d (loop $cp
                    (br_if $d (i64.ge_u (local.get $i) (local.get $n)))
                    (i32.store8 (local.get $pos) (call $load_u8 (i64.add (local.get $c) (local.get $i))))
                    (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
                    (local.set $i (i64.add (local.get $i) (i64.const 1)))
                    (br $cp)))
                  (br $next)))
                (call $sclose (call $str (i32.const 2048) (i32.const 1)))
                (call $out (call $str (i32.const 4096) (i32.sub (local.get $pos) (i32.const 4096))))
                (i32.const 0))
            )
            """
                .replace("%BASE%", esc(baseUrl)).replace("%BASELEN%", String.valueOf(baseUrl.getBytes(StandardCharsets.UTF_8).length))
                .replace("%REQ%", esc(chatRequestJson)).replace("%REQLEN%", String.valueOf(chatRequestJson.getBytes(StandardCharsets.UTF_8).length));
        return Wat2Wasm.compile(wat);
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** {"req": GET url} as the guest sends it. */
    public static String getRequest(String url, String bearer) {
        String headers = bearer == null ? "{}" : "{\"authorization\":\"Bearer " + bearer + "\"}";
        return "{\"req\":{\"head\":{\"method\":\"GET\",\"uri\":\"" + url + "\",\"headers\":" + headers + ",\"version\":\"HTTP/1.1\"},\"body\":[]}}";
    }
}
