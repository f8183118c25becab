// qmt-strict: a QueryMT provider plugin (legacy "guest does HTTP" ABI, docs/wasm.md "Sources")
// that reads its input the way a Rust plugin deserialising QueryMT's types with serde and
// #[serde(deny_unknown_fields)] does: ChatRole is "User" or "Assistant" (serde's variant names, not
// "user"), content is an array of internally tagged blocks, and every object (request, message,
// block, config) refuses keys it does not know. Errors are QueryMT's structured PluginError
// ({"payload":{"type":"json_error","message":"<serde-like message>"}}, return code 1).
// It needs no network: chat answers "strict: <last user text>".
//
// Exports: name, config_schema (additionalProperties false), init_logging, from_config(cfg) -> cfg,
// supports_streaming(cfg) -> false when cfg.streaming is false, else true, list_models(cfg) ->
// ["strict-small","strict-large"], chat({"cfg","messages","tools"}) -> ExtismChatResponse,
// chat_stream (same input, cfg.stream injected by the host) -> chunks through qmt_yield_chunk;
// chat_stream fails when cfg.streaming is false (as a plugin that cannot stream that config would).
import { inputBytes, outputBytes, outputString, setError, abortWithError, strBlock } from "../common/extism";
import { JValue, Kind, parseBytes, jsonError } from "../common/json";
import { pluginError } from "../common/openai";

@external("extism:host/user", "qmt_yield_chunk")
declare function qmt_yield_chunk(chunk: u64): void;

function pluginAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  abortWithError(message, fileName, line, column);
}

const CONFIG_KEYS: string[] = ["model", "system", "api_key", "stream", "streaming"];
const REQUEST_KEYS: string[] = ["cfg", "messages", "tools"];
const MESSAGE_KEYS: string[] = ["role", "content", "cache"];

/** The first problem found, serde-style; "" when none. */
let problem: string = "";

function bad(message: string): bool {
  if (problem.length == 0) problem = message;
  return false;
}

function expected(keys: string[]): string {
  let s = "";
  for (let i = 0; i < keys.length; i++) s += (i > 0 ? ", `" : "`") + keys[i] + "`";
  return s;
}

/** Every key of obj is one of keys (serde's deny_unknown_fields). */
function onlyKeys(obj: JValue, keys: string[], what: string): bool {
  for (let i = 0; i < obj.keys.length; i++) {
    if (!keys.includes(obj.keys[i])) {
      return bad(what + ": unknown field `" + obj.keys[i] + "`, expected one of " + expected(keys));
    }
  }
  return true;
}

function needKey(obj: JValue, key: string, what: string): bool {
  return obj.get(key) === null ? bad(what + ": missing field `" + key + "`") : true;
}

function typeName(v: JValue): string {
  if (v.isStr()) return "string \"" + v.s + "\"";
  if (v.isArr()) return "a sequence";
  if (v.isObj()) return "a map";
  if (v.isNum()) return "a number";
  if (v.isNull()) return "null";
  return "a boolean";
}

function checkConfig(cfg: JValue | null): bool {
  if (cfg === null) return bad("missing field `cfg`");
  if (!cfg.isObj()) return bad("cfg: invalid type: " + typeName(cfg) + ", expected struct StrictConfig");
  if (!onlyKeys(cfg, CONFIG_KEYS, "cfg")) return false;
  const model = cfg.get("model");
  if (model === null) return bad("cfg: missing field `model`");
  if (!model.isStr()) return bad("cfg.model: invalid type: " + typeName(model) + ", expected a string");
  return true;
}

function blockKeys(type: string): string[] | null {
  if (type == "text") return ["type", "text"];
  if (type == "thinking") return ["type", "text", "signature"];
  if (type == "image") return ["type", "mime_type", "data"];
  if (type == "audio") return ["type", "mime_type", "data"];
  if (type == "image_url") return ["type", "url"];
  if (type == "pdf") return ["type", "data"];
  if (type == "tool_use") return ["type", "id", "name", "arguments"];
  if (type == "tool_result") return ["type", "id", "name", "is_error", "content"];
  if (type == "resource_link") return ["type", "uri", "name", "description", "mime_type"];
  return null;
}

function checkContent(content: JValue, what: string): bool {
  if (!content.isArr()) return bad(what + ": invalid type: " + typeName(content) + ", expected a sequence");
  for (let i = 0; i < content.arr.length; i++) {
    const b = content.arr[i];
    const at = what + "[" + i.toString() + "]";
    if (!b.isObj()) return bad(at + ": invalid type: " + typeName(b) + ", expected internally tagged enum Content");
    const t = b.get("type");
    if (t === null) return bad(at + ": missing field `type`");
    const keys = blockKeys(t.isStr() ? t.s : "");
    if (keys === null) {
      return bad(at + ": unknown variant `" + (t.isStr() ? t.s : "?") + "`, expected one of `text`, `thinking`, `image`, "
        + "`audio`, `image_url`, `pdf`, `tool_use`, `tool_result`, `resource_link`");
    }
    if (!onlyKeys(b, keys!, at)) return false;
    if (t.s == "text" || t.s == "thinking") {
      const text = b.get("text");
      if (text === null) return bad(at + ": missing field `text`");
      if (!text.isStr()) return bad(at + ".text: invalid type: " + typeName(text) + ", expected a string");
    }
    if (t.s == "tool_result") {
      const inner = b.get("content");
      if (inner === null) return bad(at + ": missing field `content`");
      if (!checkContent(inner!, at + ".content")) return false;
    }
  }
  return true;
}

function checkMessages(messages: JValue | null): bool {
  if (messages === null) return bad("missing field `messages`");
  if (!messages.isArr()) return bad("messages: invalid type: " + typeName(messages) + ", expected a sequence");
  for (let i = 0; i < messages.arr.length; i++) {
    const m = messages.arr[i];
    const at = "messages[" + i.toString() + "]";
    if (!m.isObj()) return bad(at + ": invalid type: " + typeName(m) + ", expected struct ChatMessage");
    if (!onlyKeys(m, MESSAGE_KEYS, at)) return false;
    if (!needKey(m, "role", at) || !needKey(m, "content", at)) return false;
    const role = m.get("role")!;
    if (!role.isStr() || (role.s != "User" && role.s != "Assistant")) {
      return bad(at + ".role: unknown variant `" + (role.isStr() ? role.s : typeName(role)) + "`, expected `User` or `Assistant`");
    }
    if (!checkContent(m.get("content")!, at + ".content")) return false;
  }
  return true;
}

/** Parses and checks a chat request; null (problem set) when it is not one. */
function chatInput(): JValue | null {
  problem = "";
  const input = parseBytes(inputBytes());
  if (input === null) { bad("invalid JSON: " + jsonError); return null; }
  if (!input.isObj()) { bad("invalid type: " + typeName(input) + ", expected struct ExtismChatRequest"); return null; }
  if (!onlyKeys(input, REQUEST_KEYS, "request")) return null;
  if (!checkConfig(input.get("cfg")) || !checkMessages(input.get("messages"))) return null;
  const tools = input.get("tools");
  if (tools !== null && !tools.isNull() && !tools.isArr()) {
    bad("tools: invalid type: " + typeName(tools) + ", expected a sequence");
    return null;
  }
  return input;
}

/** Parses and checks a bare config input; null (problem set) when it is not one. */
function configInput(): JValue | null {
  problem = "";
  const cfg = parseBytes(inputBytes());
  if (cfg === null) { bad("invalid JSON: " + jsonError); return null; }
  return checkConfig(cfg) ? cfg : null;
}

function refuse(): i32 {
  setError(pluginError("json_error", problem).stringify());
  return 1;
}

/** The text blocks of the last User message. */
function lastUserText(messages: JValue): string {
  for (let i = messages.arr.length - 1; i >= 0; i--) {
    const m = messages.arr[i];
    if (m.getStr("role", "") != "User") continue;
    const content = m.get("content")!;
    let s = "";
    for (let k = 0; k < content.arr.length; k++) {
      const b = content.arr[k];
      if (b.getStr("type", "") == "text") s += b.getStr("text", "");
    }
    return s;
  }
  return "";
}

function streamingOff(cfg: JValue): bool {
  const v = cfg.get("streaming");
  return v !== null && v.kind == Kind.Bool && !v.b;
}

export function name(): i32 { outputString("qmt-strict"); return 0; }

export function config_schema(): i32 {
  outputString("{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"model\"],\"properties\":{"
    + "\"model\":{\"type\":\"string\"},\"system\":{\"type\":\"string\"},\"api_key\":{\"type\":\"string\"},"
    + "\"stream\":{\"type\":\"boolean\"},\"streaming\":{\"type\":\"boolean\"}}}");
  return 0;
}

export function init_logging(): i32 { return 0; }

export function from_config(): i32 {
  const cfg = configInput();
  if (cfg === null) return refuse();
  outputBytes(cfg!.toBytes());
  return 0;
}

export function supports_streaming(): i32 {
  const cfg = configInput();
  if (cfg === null) return refuse();
  outputString(streamingOff(cfg!) ? "false" : "true");
  return 0;
}

export function list_models(): i32 {
  const cfg = configInput();
  if (cfg === null) return refuse();
  outputString("[\"strict-small\",\"strict-large\"]");
  return 0;
}

export function chat(): i32 {
  const input = chatInput();
  if (input === null) return refuse();
  const reply = JValue.object()
    .set("text", JValue.str("strict: " + lastUserText(input!.get("messages")!)))
    .set("tool_calls", JValue.nul()).set("thinking", JValue.nul()).set("usage", JValue.nul())
    .set("finish_reason", JValue.str("Stop"));
  outputBytes(reply.toBytes());
  return 0;
}

function yieldChunk(chunk: JValue): void {
  qmt_yield_chunk(strBlock(JValue.object().set("chunk", chunk).stringify()));
}

export function chat_stream(): i32 {
  const input = chatInput();
  if (input === null) return refuse();
  if (streamingOff(input!.get("cfg")!)) {
    setError(pluginError("invalid_request", "qmt-strict: streaming is off for this config (supports_streaming is false)").stringify());
    return 1;
  }
  yieldChunk(JValue.object().set("text", JValue.str("strict: ")));
  yieldChunk(JValue.object().set("text", JValue.str(lastUserText(input!.get("messages")!))));
  yieldChunk(JValue.object().set("done", JValue.object().set("finish_reason", JValue.str("Stop"))));
  return 0;
}
