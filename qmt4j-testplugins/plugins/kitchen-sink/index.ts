// kitchen-sink: an Extism plugin written with @extism/as-pdk 1.0.0 whose exports exercise the
// whole Extism ABI. Built by ../../build.sh (asc, --use abort=index/pluginAbort).
// Every export is `() -> i32`; 0 = success. See ../../README.md for the exact contract of each.
import { Config, Var, Host, LogLevel } from "@extism/as-pdk";
import { http_request, free, alloc } from "@extism/as-pdk/lib/env";
import {
  inputBytes, inputString, outputBytes, outputString, setError, abortWithError, strBlock,
  fromBlock, http_status_code,
} from "../common/extism";
import { JValue, parseBytes, jsonError, writeString, ByteWriter } from "../common/json";

function pluginAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  abortWithError(message, fileName, line, column);
}

const MISSING = "<missing>";

/** output = input, byte for byte. */
export function echo(): i32 {
  outputBytes(inputBytes());
  return 0;
}

/** output = the input text reversed by code point. */
export function reverse(): i32 {
  const s = inputString();
  const out = new Array<string>();
  let i = s.length - 1;
  while (i >= 0) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const h = s.charCodeAt(i - 1);
      if (h >= 0xd800 && h <= 0xdbff) { out.push(s.substring(i - 1, i + 1)); i -= 2; continue; }
    }
    out.push(s.charAt(i));
    i--;
  }
  outputString(out.join(""));
  return 0;
}

/**
 * The classic Extism count_vowels: counts the characters of the input that occur in the config
 * value "vowels" (default "aeiouAEIOU"), adds the count to the var "total" (decimal text) and
 * outputs {"count":N,"total":T,"vowels":"..."} (serde_json layout: no spaces).
 */
export function count_vowels(): i32 {
  const s = inputString();
  let vowels = Config.get("vowels");
  if (vowels === null) vowels = "aeiouAEIOU";
  const v = vowels!;
  let count: i32 = 0;
  for (let i = 0; i < s.length; i++) {
    if (v.indexOf(s.charAt(i)) >= 0) count++;
  }
  const prev = Var.getString("total");
  let total: i64 = prev === null ? 0 : I64.parseInt(prev!);
  total += count;
  Var.set("total", Uint8Array.wrap(String.UTF8.encode(total.toString())));
  const w = new ByteWriter(64);
  w.ascii("{\"count\":" + count.toString() + ",\"total\":" + total.toString() + ",\"vowels\":");
  writeString(w, v);
  w.byte(0x7d);
  outputBytes(w.toBytes());
  return 0;
}

/** input: a config key; output: its value, or "<missing>" when absent (or empty). */
export function config_get(): i32 {
  const v = Config.get(inputString());
  outputString(v === null ? MISSING : v!);
  return 0;
}

/** Increments the var "count" (decimal text, starts at 0) and outputs the new value. */
export function var_counter(): i32 {
  const prev = Var.getString("count");
  const n: i64 = (prev === null ? 0 : I64.parseInt(prev!)) + 1;
  Var.set("count", Uint8Array.wrap(String.UTF8.encode(n.toString())));
  outputString(n.toString());
  return 0;
}

/** input "key=value": sets the var (empty value removes it); outputs nothing. */
export function var_set(): i32 {
  const s = inputString();
  const eq = s.indexOf("=");
  if (eq < 0) { setError("var_set: input must be key=value"); return 1; }
  const key = s.substring(0, eq);
  const value = s.substring(eq + 1);
  if (value.length == 0) Var.remove(key);
  else Var.set(key, Uint8Array.wrap(String.UTF8.encode(value)));
  return 0;
}

/** input "key=N": sets the var to N bytes of 'x' (for max_var_bytes tests). */
export function var_fill(): i32 {
  const s = inputString();
  const eq = s.indexOf("=");
  if (eq < 0) { setError("var_fill: input must be key=N"); return 1; }
  const n = I32.parseInt(s.substring(eq + 1));
  const b = new Uint8Array(n);
  b.fill(0x78);
  Var.set(s.substring(0, eq), b);
  outputString(n.toString());
  return 0;
}

/** input: a var key; output: its value, or "<missing>". */
export function var_get(): i32 {
  const v = Var.get(inputString());
  if (v === null) outputString(MISSING); else outputBytes(v!);
  return 0;
}

/** Sets the error "kitchen-sink: deliberate failure" and returns 1. */
export function fail(): i32 {
  setError("kitchen-sink: deliberate failure");
  return 1;
}

/** Sets the error and still returns 0: the call must fail anyway (error wins over rc). */
export function fail_rc0(): i32 {
  setError("kitchen-sink: error with rc 0");
  return 0;
}

/** Returns the input parsed as an integer, without an error message ("Returned non-zero exit code: N"). */
export function rc(): i32 {
  return I32.parseInt(inputString());
}

/** A wasm trap (unreachable), no error message. */
export function trap(): i32 {
  unreachable();
  return 0;
}

/** An AssemblyScript abort: error message "abort: kitchen-sink panic at index.ts:L:C", then a trap. */
export function panic(): i32 {
  assert(false, "kitchen-sink panic");
  return 0;
}

let spins: i64 = 0;

/** Never returns (stopped only by timeout_ms). */
export function infinite_loop(): i32 {
  while (true) {
    spins++;
  }
  return 0;
}

/**
 * Grows the plugin's linear memory one page at a time. Input: the maximum number of pages to
 * grow (decimal; empty = no limit). Outputs the number of pages grown if the limit is reached;
 * if memory.grow returns -1 it sets the error "memory.grow failed after N pages" and returns 1
 * (a host that traps on growth, like the reference with max_pages, fails with "oom" instead).
 */
export function memory_bomb(): i32 {
  const s = inputString();
  const limit: i32 = s.length == 0 ? i32.MAX_VALUE : I32.parseInt(s);
  let grown: i32 = 0;
  while (grown < limit) {
    if (memory.grow(1) < 0) {
      setError("memory.grow failed after " + grown.toString() + " pages");
      return 1;
    }
    grown++;
  }
  outputString(grown.toString());
  return 0;
}

/**
 * Allocates Extism memory in 1 MiB blocks until alloc returns 0 or the input limit (MiB,
 * decimal; empty = no limit) is reached. Outputs the number of MiB allocated; alloc returning 0
 * sets the error "alloc failed after N MiB" and returns 1.
 */
export function alloc_bomb(): i32 {
  const s = inputString();
  const limit: i32 = s.length == 0 ? i32.MAX_VALUE : I32.parseInt(s);
  let n: i32 = 0;
  while (n < limit) {
    const h = alloc(1 << 20);
    if (h == 0) {
      setError("alloc failed after " + n.toString() + " MiB");
      return 1;
    }
    n++;
  }
  outputString(n.toString());
  return 0;
}

/**
 * input: a URL. Performs an Extism http_request GET (no body) and outputs
 * {"status":N,"body":"<response body as text>"}. A host-side error (e.g. host not allowed)
 * fails the call with the host's message.
 */
export function http_get(): i32 {
  const req = JValue.object()
    .set("url", JValue.str(inputString()))
    .set("method", JValue.str("GET"))
    .set("headers", JValue.object());
  return doHttp(req.stringify(), 0);
}

/** input: an Extism HttpRequest JSON ({url, method?, headers?}); no body. Output as http_get. */
export function http_raw(): i32 {
  return doHttp(inputString(), 0);
}

function doHttp(reqJson: string, body: u64): i32 {
  const resp = http_request(strBlock(reqJson), body);
  const status = http_status_code();
  const bytes = fromBlock(resp);
  if (resp != 0) free(resp);
  const w = new ByteWriter(bytes.length + 32);
  w.ascii("{\"status\":" + status.toString() + ",\"body\":");
  writeString(w, String.UTF8.decode(bytes.buffer));
  w.byte(0x7d);
  outputBytes(w.toBytes());
  return 0;
}

/** Logs "kitchen-sink <level>: <input>" at debug, info, warn and error (the levels as-pdk 1.0.0 has). */
export function log_all(): i32 {
  const s = inputString();
  Host.log(LogLevel.Debug, "kitchen-sink debug: " + s);
  Host.log(LogLevel.Info, "kitchen-sink info: " + s);
  Host.log(LogLevel.Warn, "kitchen-sink warn: " + s);
  Host.log(LogLevel.Error, "kitchen-sink error: " + s);
  outputString("logged");
  return 0;
}

/** input: N (decimal); output: N bytes, byte i = 'a' + i % 26. */
export function big_output(): i32 {
  const n = I32.parseInt(inputString());
  if (n < 0) { setError("big_output: negative size"); return 1; }
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) unchecked(b[i] = <u8>(0x61 + i % 26));
  outputBytes(b);
  return 0;
}

/** output: the input length in bytes (decimal), without touching the input bytes. */
export function input_size(): i32 {
  outputString(inputBytes().length.toString());
  return 0;
}

/** An export that produces no output at all (output must be empty). */
export function no_output(): i32 {
  return 0;
}

/**
 * input: JSON text; output: the same document re-serialised compactly (key order and number
 * text preserved, so compact input comes back byte-identical). Invalid JSON → error
 * "json_roundtrip: <parser message>", rc 1.
 */
export function json_roundtrip(): i32 {
  const v = parseBytes(inputBytes());
  if (v === null) {
    setError("json_roundtrip: " + jsonError);
    return 1;
  }
  outputBytes(v.toBytes());
  return 0;
}
