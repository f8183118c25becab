// extism.ts: helpers shared by the AssemblyScript test plugins, on top of @extism/as-pdk 1.0.0.
// The PDK's Host.outputString uses the UTF-16 length of the string as the byte length (wrong
// for non-ASCII text), so the plugins use these byte-exact helpers instead.
import { Host } from "@extism/as-pdk";
import { alloc, error_set, output_set, store_u8, store_u64, length, load_u8, load_u64 } from "@extism/as-pdk/lib/env";

// Not declared by as-pdk 1.0.0 but part of the Extism 1.x ABI (and provided by the JS SDK).
@external("extism:host/env", "http_status_code")
export declare function http_status_code(): i32;

/** Copies bytes into a fresh Extism block; 0 for empty data. */
export function toBlock(b: Uint8Array): u64 {
  const n = b.length;
  if (n == 0) return 0;
  const h = alloc(<u64>n);
  let i = 0;
  for (; i + 8 <= n; i += 8) store_u64(h + <u64>i, load<u64>(b.dataStart + <usize>i));
  for (; i < n; i++) store_u8(h + <u64>i, unchecked(b[i]));
  return h;
}

export function strBlock(s: string): u64 {
  return toBlock(Uint8Array.wrap(String.UTF8.encode(s)));
}

/** Reads a whole block (length(h) bytes). */
export function fromBlock(h: u64): Uint8Array {
  if (h == 0) return new Uint8Array(0);
  const n = <i32>length(h);
  const b = new Uint8Array(n);
  let i = 0;
  for (; i + 8 <= n; i += 8) store<u64>(b.dataStart + <usize>i, load_u64(h + <u64>i));
  for (; i < n; i++) unchecked(b[i] = load_u8(h + <u64>i));
  return b;
}

export function outputBytes(b: Uint8Array): void {
  const h = toBlock(b);
  output_set(h, <u64>b.length);
}

export function outputString(s: string): void {
  outputBytes(Uint8Array.wrap(String.UTF8.encode(s)));
}

export function inputBytes(): Uint8Array { return Host.input(); }
export function inputString(): string { return Host.inputString(); }

/** Registers an error message; the export should then return a non-zero code. */
export function setError(msg: string): void {
  error_set(strBlock(msg));
}

/** abort handler (asc --use abort=...): records the message as the Extism error, then traps. */
export function abortWithError(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const m = "abort: " + (message === null ? "(no message)" : message!) +
    " at " + (fileName === null ? "?" : fileName!) + ":" + line.toString() + ":" + column.toString();
  setError(m);
  unreachable();
}
