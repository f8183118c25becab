#!/usr/bin/env node
// call.mjs: runs one export of an Extism plugin through Extism's JS SDK (@extism/extism), so
// qmt4j's Java host can be cross-checked against it on the same .wasm.
//
//   node call.mjs --wasm FILE --func F [--input-file F | --input STR] [--config JSON]
//                 [--allowed-hosts JSON] [--wasi] [--loop N] [--worker] [--bench N]
//
// Default mode: N calls (--loop, default 1) on one plugin instance; one JSON line per call on
// stdout:  {"ok":true,"output_base64":"...","logs":[...]}  or  {"ok":false,"error":"...","logs":[...]}
// --bench N: N calls, prints one line {"ok":true,"calls":N,"seconds":S,"calls_per_second":R}
// (first call excluded from the timing as warm-up). Exit code 0 unless the harness itself fails
// (bad arguments, module does not load: then one {"ok":false,"error":...,"load":true} line, exit 2).
import { readFileSync } from "node:fs";
import createPlugin from "@extism/extism";

function parseArgs(argv) {
  const a = { loop: 1, wasi: false, worker: false, config: {}, allowedHosts: undefined, bench: 0 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${k}`);
      return argv[++i];
    };
    switch (k) {
      case "--wasm": a.wasm = next(); break;
      case "--func": a.func = next(); break;
      case "--input-file": a.inputFile = next(); break;
      case "--input": a.input = next(); break;
      case "--config": a.config = JSON.parse(next()); break;
      case "--allowed-hosts": a.allowedHosts = JSON.parse(next()); break;
      case "--wasi": a.wasi = true; break;
      case "--worker": a.worker = true; break;
      case "--loop": a.loop = parseInt(next(), 10); break;
      case "--bench": a.bench = parseInt(next(), 10); break;
      default: throw new Error(`unknown argument ${k}`);
    }
  }
  if (!a.wasm || !a.func) throw new Error("--wasm and --func are required");
  return a;
}

const out = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

let args;
try {
  args = parseArgs(process.argv.slice(2));
} catch (e) {
  out({ ok: false, error: String(e.message ?? e), usage: true });
  process.exit(2);
}

// A fresh Uint8Array: a Node Buffer may be a view into a larger shared pool, and the JS SDK
// reads the view's whole underlying ArrayBuffer.
const input = args.inputFile !== undefined ? new Uint8Array(readFileSync(args.inputFile))
  : new TextEncoder().encode(args.input ?? "");

// Log lines of the current call, captured instead of printed (stdout carries only JSON lines).
let logs = [];
const capture = (level) => (...parts) => { logs.push({ level, message: parts.map(String).join(" ") }); };
const logger = {
  trace: capture("trace"), debug: capture("debug"), info: capture("info"),
  warn: capture("warn"), error: capture("error"), log: capture("info"),
};

let plugin;
try {
  plugin = await createPlugin(
    { wasm: [{ data: readFileSync(args.wasm) }], config: args.config },
    {
      useWasi: args.wasi,
      // HTTP from a plugin needs the worker (synchronous fetch); use it when hosts are allowed.
      runInWorker: args.worker || (Array.isArray(args.allowedHosts) && args.allowedHosts.length > 0),
      allowedHosts: args.allowedHosts ?? [],
      config: args.config,
      logger,
      enableWasiOutput: false,
    });
} catch (e) {
  out({ ok: false, error: String(e?.message ?? e), load: true });
  process.exit(2);
}

async function callOnce() {
  logs = [];
  try {
    const res = await plugin.call(args.func, input);
    const bytes = res === null ? new Uint8Array(0)
      : new Uint8Array(res.buffer, res.byteOffset, res.byteLength);
    return { ok: true, output_base64: Buffer.from(bytes).toString("base64"), logs };
  } catch (e) {
    return { ok: false, error: String(e?.message ?? e), logs };
  }
}

try {
  if (args.bench > 0) {
    await callOnce(); // warm-up
    const t0 = process.hrtime.bigint();
    let failures = 0;
    for (let i = 0; i < args.bench; i++) {
      // @extism/extism 1.0.3 never reuses block indices within an instance and breaks after
      // ~16k calls (handles overflow); reset() clears its block table.
      if (i % 4096 === 4095) await plugin.reset();
      try { await plugin.call(args.func, input); } catch { failures++; }
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    out({ ok: failures === 0, calls: args.bench, failures, seconds: s, calls_per_second: args.bench / s });
  } else {
    for (let i = 0; i < args.loop; i++) out(await callOnce());
  }
} finally {
  await plugin.close();
}
