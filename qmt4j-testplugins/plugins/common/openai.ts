// openai.ts: the OpenAI-compatible chat API logic shared by qmt-openai (HTTP-adapter ABI) and
// qmt-legacy (legacy ABI). Wire formats: docs/wasm.md "Sources" and the module README
// ("QueryMT wire formats").
import { JValue, Kind, parseBytes, jsonError, bytesToJsonArray, jsonArrayToBytes } from "./json";

export const DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** A QueryMT LLMErrorPayload wrapped as PluginError: {"payload":{"type":..., ...}}. */
export function pluginError(type: string, message: string): JValue {
  const p = JValue.object().set("type", JValue.str(type)).set("message", JValue.str(message));
  return JValue.object().set("payload", p);
}

export function configError(message: string): JValue {
  return pluginError("invalid_request", message);
}

/** Validates a config object; returns null when valid, else the PluginError. */
export function validateConfig(cfg: JValue | null): JValue | null {
  if (cfg === null || !cfg.isObj()) return configError("config must be a JSON object");
  const c = cfg!;
  const model = c.get("model");
  if (model === null || !model.isStr() || model.s.length == 0) return configError("model is required");
  const base = c.get("base_url");
  if (base !== null && !base.isNull()) {
    if (!base.isStr() || !(base.s.startsWith("http://") || base.s.startsWith("https://"))) {
      return pluginError("invalid_url", "base_url must be an http(s) URL");
    }
  }
  return null;
}

export function baseUrl(cfg: JValue): string {
  let b = cfg.getStr("base_url", DEFAULT_BASE_URL);
  while (b.endsWith("/")) b = b.substring(0, b.length - 1);
  return b;
}

export function configSchema(): string {
  const props = JValue.object()
    .set("base_url", JValue.object().set("type", JValue.str("string")).set("format", JValue.str("uri"))
      .set("default", JValue.str(DEFAULT_BASE_URL)))
    .set("model", JValue.object().set("type", JValue.str("string")))
    .set("api_key", JValue.object().set("type", JValue.str("string")))
    .set("temperature", JValue.object().set("type", JValue.str("number")))
    .set("max_tokens", JValue.object().set("type", JValue.str("integer")).set("minimum", JValue.int(1)))
    // QueryMT's providers read system as a string or an array of parts (deserialize_system_vec).
    .set("system", JValue.object().set("type", JValue.array().push(JValue.str("string")).push(JValue.str("array")))
      .set("items", JValue.object().set("type", JValue.str("string"))))
    .set("top_p", JValue.object().set("type", JValue.str("number")))
    .set("top_k", JValue.object().set("type", JValue.str("integer")).set("minimum", JValue.int(0)))
    .set("reasoning_effort", JValue.object().set("type", JValue.str("string")))
    .set("stop", JValue.object().set("type", JValue.str("array")).set("items", JValue.object().set("type", JValue.str("string"))))
    .set("embedding_model", JValue.object().set("type", JValue.str("string")));
  return JValue.object()
    .set("$schema", JValue.str("http://json-schema.org/draft-07/schema#"))
    .set("title", JValue.str("QmtOpenAIConfig"))
    .set("type", JValue.str("object"))
    .set("properties", props)
    .set("required", JValue.array().push(JValue.str("model")))
    .stringify();
}

// ---- http-serde-ext request / response ---------------------------------------------------------

/** {"req":{"head":{"method","uri","headers","version"},"body":[...]}} */
export function httpRequest(method: string, uri: string, cfg: JValue, body: Uint8Array | null): JValue {
  const headers = JValue.object();
  const key = cfg.getStr("api_key", "");
  if (key.length > 0) headers.set("authorization", JValue.str("Bearer " + key));
  if (body !== null) headers.set("content-type", JValue.str("application/json"));
  const head = JValue.object()
    .set("method", JValue.str(method))
    .set("uri", JValue.str(uri))
    .set("headers", headers)
    .set("version", JValue.str("HTTP/1.1"));
  const req = JValue.object()
    .set("head", head)
    .set("body", bytesToJsonArray(body === null ? new Uint8Array(0) : body!));
  return JValue.object().set("req", req);
}

/** A decoded HttpResponse (http-serde-ext). */
export class HttpResp {
  status: i32 = 0;
  headers: JValue = JValue.object(); // name -> string | [string]
  body: Uint8Array = new Uint8Array(0);
  header(name: string): string {
    const lower = name.toLowerCase();
    for (let i = 0; i < this.headers.keys.length; i++) {
      if (this.headers.keys[i].toLowerCase() == lower) {
        const v = this.headers.vals[i];
        if (v.isStr()) return v.s;
        if (v.isArr() && v.arr.length > 0 && v.arr[0].isStr()) return v.arr[0].s;
      }
    }
    return "";
  }
}

export let httpError: string = "";

/**
 * Decodes an http-serde-ext response. `v` may be {"head","body"} itself, or wrapped once or
 * twice in {"resp": ...} (QueryMT's parse_* inputs carry {"resp":{"resp":{head, body}}}).
 */
export function decodeResponse(v: JValue | null): HttpResp | null {
  let cur = v;
  for (let i = 0; i < 3 && cur !== null && cur.isObj() && !cur.has("head"); i++) cur = cur.get("resp");
  if (cur === null || !cur.isObj()) { httpError = "missing response"; return null; }
  const head = cur.get("head");
  if (head === null || !head.isObj()) { httpError = "missing head"; return null; }
  const r = new HttpResp();
  const st = head.get("status");
  if (st === null || !st.isNum()) { httpError = "missing status"; return null; }
  r.status = <i32>st.asI64();
  const h = head.get("headers");
  if (h !== null && h.isObj()) r.headers = h;
  const b = cur.get("body");
  if (b !== null && !b.isNull()) {
    const bytes = jsonArrayToBytes(b);
    if (bytes === null) { httpError = "body must be an array of bytes"; return null; }
    r.body = bytes!;
  }
  return r;
}

/** PluginError for a non-2xx response (auth 401/403, rate limit 429, else http_status). */
export function statusError(r: HttpResp): JValue {
  let msg = String.UTF8.decode(r.body.buffer);
  const parsed = parseBytes(r.body);
  if (parsed !== null) {
    const e = parsed.get("error");
    if (e !== null) {
      if (e.isStr()) msg = e.s;
      else if (e.isObj()) msg = e.getStr("message", msg);
    }
  }
  let retry: JValue = JValue.nul();
  const ra = r.header("retry-after");
  if (ra.length > 0) retry = JValue.num(I64.parseInt(ra).toString());
  if (r.status == 401 || r.status == 403) return pluginError("auth_error", msg);
  if (r.status == 429) {
    const p = pluginError("rate_limited", msg);
    p.get("payload")!.set("retry_after_secs", retry);
    return p;
  }
  const p = pluginError("http_status", msg);
  p.get("payload")!.set("status_code", JValue.int(r.status)).set("retry_after_secs", retry);
  return p;
}

// ---- requests ------------------------------------------------------------------------------------

export function listModelsRequest(cfg: JValue): JValue {
  return httpRequest("GET", baseUrl(cfg) + "/models", cfg, null);
}

/** data[].id -> [string]; null (with httpError) if the body is not the expected JSON. */
export function parseModels(r: HttpResp): JValue | null {
  const body = parseBytes(r.body);
  if (body === null) { httpError = "invalid JSON: " + jsonError; return null; }
  const data = body.get("data");
  if (data === null || !data.isArr()) { httpError = "missing data[]"; return null; }
  const out = JValue.array();
  for (let i = 0; i < data.arr.length; i++) {
    const id = data.arr[i].get("id");
    if (id !== null && id.isStr()) out.push(JValue.str(id.s));
  }
  return out;
}

function textOf(content: JValue): string {
  let s = "";
  for (let i = 0; i < content.arr.length; i++) {
    const c = content.arr[i];
    const t = c.getStr("type", "");
    if (t == "text" || t == "thinking") s += c.getStr("text", "");
  }
  return s;
}

/** QueryMT ChatMessage list -> OpenAI messages. */
export function openaiMessages(cfg: JValue, messages: JValue | null): JValue {
  const out = JValue.array();
  const system = cfg.get("system");
  if (system !== null && system.isStr() && system.s.length > 0) {
    out.push(JValue.object().set("role", JValue.str("system")).set("content", JValue.str(system.s)));
  } else if (system !== null && system.isArr()) { // one system message per part, as QueryMT's OpenAI provider
    for (let i = 0; i < system.arr.length; i++) {
      const part = system.arr[i];
      if (part.isStr()) out.push(JValue.object().set("role", JValue.str("system")).set("content", JValue.str(part.s)));
    }
  }
  if (messages === null || !messages.isArr()) return out;
  for (let i = 0; i < messages.arr.length; i++) {
    const m = messages.arr[i];
    const roleIn = m.getStr("role", "User");
    const role = roleIn == "Assistant" ? "assistant" : (roleIn == "System" ? "system" : "user");
    let content = m.get("content");
    if (content === null) content = JValue.array();
    if (content.isStr()) { // tolerate plain-string content
      out.push(JValue.object().set("role", JValue.str(role)).set("content", JValue.str(content.s)));
      continue;
    }
    if (!content.isArr()) continue;
    const toolCalls = JValue.array();
    for (let k = 0; k < content.arr.length; k++) {
      const c = content.arr[k];
      const t = c.getStr("type", "");
      if (t == "tool_use") {
        const args = c.get("arguments");
        toolCalls.push(JValue.object()
          .set("id", JValue.str(c.getStr("id", "")))
          .set("type", JValue.str("function"))
          .set("function", JValue.object()
            .set("name", JValue.str(c.getStr("name", "")))
            .set("arguments", JValue.str(args === null ? "{}" : (args.isStr() ? args.s : args.stringify())))));
      } else if (t == "tool_result") {
        const inner = c.get("content");
        out.push(JValue.object()
          .set("role", JValue.str("tool"))
          .set("tool_call_id", JValue.str(c.getStr("id", "")))
          .set("content", JValue.str(inner !== null && inner.isArr() ? textOf(inner) : "")));
      }
    }
    const text = textOf(content);
    if (text.length > 0 || toolCalls.arr.length > 0) {
      const msg = JValue.object().set("role", JValue.str(role));
      msg.set("content", text.length > 0 ? JValue.str(text) : JValue.nul());
      if (toolCalls.arr.length > 0) msg.set("tool_calls", toolCalls);
      out.push(msg);
    }
  }
  return out;
}

/** {"cfg","messages","tools"?} -> {"req": POST {base}/chat/completions}. */
export function chatRequest(input: JValue, stream: bool): JValue {
  const cfg = input.get("cfg")!;
  const body = JValue.object()
    .set("model", JValue.str(cfg.getStr("model", "")))
    .set("messages", openaiMessages(cfg, input.get("messages")));
  const temp = cfg.get("temperature");
  if (temp !== null && temp.isNum()) body.set("temperature", temp);
  const mt = cfg.get("max_tokens");
  if (mt !== null && mt.isNum()) body.set("max_tokens", mt);
  const topP = cfg.get("top_p");
  if (topP !== null && topP.isNum()) body.set("top_p", topP);
  const topK = cfg.get("top_k");
  if (topK !== null && topK.isNum()) body.set("top_k", topK);
  // QueryMT's OpenAI provider sends its portable level "max" as OpenAI's "xhigh".
  const effort = cfg.get("reasoning_effort");
  if (effort !== null && effort.isStr()) body.set("reasoning_effort", JValue.str(effort.s == "max" ? "xhigh" : effort.s));
  const stop = cfg.get("stop");
  if (stop !== null && stop.isArr()) body.set("stop", stop);
  const tools = input.get("tools");
  if (tools !== null && tools.isArr() && tools.arr.length > 0) {
    const ot = JValue.array();
    for (let i = 0; i < tools.arr.length; i++) {
      const t = tools.arr[i];
      const f = t.get("function");
      if (f === null) continue;
      const fn = JValue.object().set("name", JValue.str(f.getStr("name", "")));
      if (f.has("description")) fn.set("description", f.get("description")!);
      if (f.has("parameters")) fn.set("parameters", f.get("parameters")!);
      ot.push(JValue.object().set("type", JValue.str(t.getStr("type", "function"))).set("function", fn));
    }
    body.set("tools", ot);
  }
  if (stream) {
    body.set("stream", JValue.bool(true));
    body.set("stream_options", JValue.object().set("include_usage", JValue.bool(true)));
  }
  return httpRequest("POST", baseUrl(cfg) + "/chat/completions", cfg, body.toBytes());
}

export function finishReason(s: string): string {
  if (s == "stop") return "Stop";
  if (s == "length") return "Length";
  if (s == "tool_calls" || s == "function_call") return "ToolCalls";
  if (s == "content_filter") return "ContentFilter";
  if (s == "error") return "Error";
  return "Other";
}

/** OpenAI usage -> QueryMT Usage. */
export function usageOf(u: JValue): JValue {
  const inT = u.get("prompt_tokens");
  const outT = u.get("completion_tokens");
  let reasoning: JValue = JValue.int(0);
  const det = u.get("completion_tokens_details");
  if (det !== null && det.isObj() && det.has("reasoning_tokens")) reasoning = det.get("reasoning_tokens")!;
  let cached: JValue = JValue.int(0);
  const pdet = u.get("prompt_tokens_details");
  if (pdet !== null && pdet.isObj() && pdet.has("cached_tokens")) cached = pdet.get("cached_tokens")!;
  return JValue.object()
    .set("input_tokens", inT !== null && inT.isNum() ? inT : JValue.int(0))
    .set("output_tokens", outT !== null && outT.isNum() ? outT : JValue.int(0))
    .set("reasoning_tokens", reasoning)
    .set("cache_read", cached)
    .set("cache_write", JValue.int(0));
}

function toolCallOf(id: string, name: string, args: string): JValue {
  return JValue.object()
    .set("id", JValue.str(id))
    .set("type", JValue.str("function"))
    .set("function", JValue.object().set("name", JValue.str(name)).set("arguments", JValue.str(args)));
}

/** A 2xx chat completion body -> {"text","tool_calls","thinking","usage","finish_reason"}. */
export function parseChat(r: HttpResp): JValue | null {
  const body = parseBytes(r.body);
  if (body === null) { httpError = "invalid JSON: " + jsonError; return null; }
  const out = JValue.object()
    .set("text", JValue.nul()).set("tool_calls", JValue.nul()).set("thinking", JValue.nul())
    .set("usage", JValue.nul()).set("finish_reason", JValue.nul());
  const choices = body.get("choices");
  if (choices === null || !choices.isArr() || choices.arr.length == 0) { httpError = "missing choices[]"; return null; }
  const ch = choices.arr[0];
  const msg = ch.get("message");
  if (msg !== null && msg.isObj()) {
    const c = msg.get("content");
    if (c !== null && c.isStr()) out.set("text", c);
    const rc = msg.get("reasoning_content");
    if (rc !== null && rc.isStr()) out.set("thinking", rc);
    const tc = msg.get("tool_calls");
    if (tc !== null && tc.isArr()) {
      const calls = JValue.array();
      for (let i = 0; i < tc.arr.length; i++) {
        const t = tc.arr[i];
        const f = t.get("function");
        calls.push(toolCallOf(t.getStr("id", ""), f === null ? "" : f.getStr("name", ""),
          f === null ? "" : f.getStr("arguments", "")));
      }
      out.set("tool_calls", calls);
    }
  }
  const fr = ch.get("finish_reason");
  if (fr !== null && fr.isStr()) out.set("finish_reason", JValue.str(finishReason(fr.s)));
  const u = body.get("usage");
  if (u !== null && u.isObj()) out.set("usage", usageOf(u));
  return out;
}

// ---- SSE stream parser ---------------------------------------------------------------------------

class ToolAcc {
  index: i32 = 0;
  id: string = "";
  name: string = "";
  args: string = "";
}

export class StreamParser {
  pending: Array<u8> = [];
  tools: Array<ToolAcc> = [];
  finish: string = "";
  done: bool = false;

  private emit(out: JValue, chunk: JValue, usage: JValue): void {
    out.push(JValue.object().set("chunk", chunk).set("usage", usage));
  }
  private tool(index: i32): ToolAcc {
    for (let i = 0; i < this.tools.length; i++) if (this.tools[i].index == index) return this.tools[i];
    const t = new ToolAcc();
    t.index = index;
    this.tools.push(t);
    return t;
  }
  private complete(out: JValue): void {
    if (this.done) return;
    this.done = true;
    for (let i = 0; i < this.tools.length; i++) {
      const t = this.tools[i];
      this.emit(out, JValue.object().set("tool_use_complete", JValue.object()
        .set("index", JValue.int(t.index)).set("tool_call", toolCallOf(t.id, t.name, t.args))), JValue.nul());
    }
    const reason = this.finish.length > 0 ? finishReason(this.finish) : (this.tools.length > 0 ? "ToolCalls" : "Stop");
    this.emit(out, JValue.object().set("done", JValue.object().set("finish_reason", JValue.str(reason))), JValue.nul());
  }
  private line(raw: string, out: JValue): void {
    let l = raw;
    if (l.endsWith("\r")) l = l.substring(0, l.length - 1);
    if (!l.startsWith("data:")) return; // comments, event:, id:, blank separators
    const data = l.substring(5).trim();
    if (data == "[DONE]") { this.complete(out); return; }
    if (data.length == 0 || this.done) return;
    const ev = parseBytes(Uint8Array.wrap(String.UTF8.encode(data)));
    if (ev === null) return; // tolerate garbage lines
    const choices = ev.get("choices");
    if (choices !== null && choices.isArr() && choices.arr.length > 0) {
      const ch = choices.arr[0];
      const d = ch.get("delta");
      if (d !== null && d.isObj()) {
        const rc = d.get("reasoning_content");
        if (rc !== null && rc.isStr() && rc.s.length > 0) this.emit(out, JValue.object().set("thinking", rc), JValue.nul());
        const c = d.get("content");
        if (c !== null && c.isStr() && c.s.length > 0) this.emit(out, JValue.object().set("text", c), JValue.nul());
        const tcs = d.get("tool_calls");
        if (tcs !== null && tcs.isArr()) {
          for (let i = 0; i < tcs.arr.length; i++) {
            const tc = tcs.arr[i];
            const idxV = tc.get("index");
            const index = idxV !== null && idxV.isNum() ? <i32>idxV.asI64() : i;
            const acc = this.tool(index);
            const f = tc.get("function");
            const id = tc.getStr("id", "");
            const name = f === null ? "" : f.getStr("name", "");
            if (id.length > 0 && acc.id.length == 0) {
              acc.id = id;
              acc.name = name;
              this.emit(out, JValue.object().set("tool_use_start", JValue.object()
                .set("index", JValue.int(index)).set("id", JValue.str(id)).set("name", JValue.str(name))), JValue.nul());
            }
            const args = f === null ? "" : f.getStr("arguments", "");
            if (args.length > 0) {
              acc.args += args;
              this.emit(out, JValue.object().set("tool_use_input_delta", JValue.object()
                .set("index", JValue.int(index)).set("partial_json", JValue.str(args))), JValue.nul());
            }
          }
        }
      }
      const fr = ch.get("finish_reason");
      if (fr !== null && fr.isStr()) this.finish = fr.s;
    }
    const u = ev.get("usage");
    if (u !== null && u.isObj()) {
      const usage = usageOf(u);
      this.emit(out, JValue.object().set("usage", usage), usage);
    }
  }
  /** Feeds bytes; returns the [{"chunk","usage"}] items completed by them. */
  parse(bytes: Uint8Array): JValue {
    const out = JValue.array();
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b == 0x0a) {
        const lineBytes = new Uint8Array(this.pending.length);
        for (let k = 0; k < this.pending.length; k++) lineBytes[k] = this.pending[k];
        this.pending = [];
        this.line(String.UTF8.decode(lineBytes.buffer), out);
      } else {
        this.pending.push(b);
      }
    }
    return out;
  }
  finishStream(): JValue {
    const out = JValue.array();
    if (this.pending.length > 0) {
      const lineBytes = new Uint8Array(this.pending.length);
      for (let k = 0; k < this.pending.length; k++) lineBytes[k] = this.pending[k];
      this.pending = [];
      this.line(String.UTF8.decode(lineBytes.buffer), out);
    }
    this.complete(out);
    return out;
  }
}

// ---- embeddings ----------------------------------------------------------------------------------

export function embedRequest(input: JValue): JValue {
  const cfg = input.get("cfg")!;
  let inputs = input.get("inputs");
  if (inputs === null) inputs = JValue.array();
  let model = cfg.getStr("embedding_model", "");
  if (model.length == 0) model = cfg.getStr("model", "");
  const body = JValue.object().set("model", JValue.str(model)).set("input", inputs!);
  return httpRequest("POST", baseUrl(cfg) + "/embeddings", cfg, body.toBytes());
}

/** data[].embedding -> [[f32]] */
export function parseEmbed(r: HttpResp): JValue | null {
  const body = parseBytes(r.body);
  if (body === null) { httpError = "invalid JSON: " + jsonError; return null; }
  const data = body.get("data");
  if (data === null || !data.isArr()) { httpError = "missing data[]"; return null; }
  const out = JValue.array();
  for (let i = 0; i < data.arr.length; i++) {
    const e = data.arr[i].get("embedding");
    if (e === null || !e.isArr()) { httpError = "missing embedding"; return null; }
    out.push(e);
  }
  return out;
}

export function isKind(v: JValue | null, k: Kind): bool { return v !== null && v.kind == k; }
