// run.mjs — a minimal Extism host in Node (kernel functions only) to try plugin.wasm:
//   node run.mjs [export] [input]        e.g.  node run.mjs greet world
// Extism memory is a JS byte array; handles are offsets into it, starting at 1 (0 is null).
import { readFileSync } from "node:fs";

const [fn = "greet", input = "world"] = process.argv.slice(2);
let mem = new Uint8Array(1 << 16), top = 1;
const lengths = new Map();
const inp = new TextEncoder().encode(input);
let output = null, error = null;

const env = {
  input_length: () => BigInt(inp.length),
  input_load_u8: (i) => (i < BigInt(inp.length) ? inp[Number(i)] : 0),
  input_load_u64: (i) => {
    let v = 0n;
    for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(inp[Number(i) + k] ?? 0);
    return v;
  },
  alloc: (n) => {
    if (n === 0n) return 0n;
    const h = top; top += Number(n);
    if (top > mem.length) { const m = new Uint8Array(top * 2); m.set(mem); mem = m; }
    lengths.set(h, Number(n));
    return BigInt(h);
  },
  store_u8: (a, b) => { mem[Number(a)] = b & 0xff; },
  load_u8: (a) => mem[Number(a)] ?? 0,
  length: (h) => BigInt(lengths.get(Number(h)) ?? 0),
  output_set: (a, n) => { output = mem.slice(Number(a), Number(a + n)); },
  error_set: (h) => { error = mem.slice(Number(h), Number(h) + (lengths.get(Number(h)) ?? 0)); },
};

const url = new URL("plugin.wasm", import.meta.url);
const { instance } = await WebAssembly.instantiate(readFileSync(url), { "extism:host/env": env });
const rc = instance.exports[fn]();
const text = (b) => (b ? new TextDecoder().decode(b) : "");
if (rc !== 0) { console.error(`${fn} failed (rc=${rc}): ${text(error)}`); process.exit(1); }
console.log(text(output));
