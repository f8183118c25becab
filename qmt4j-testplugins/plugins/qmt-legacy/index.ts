// qmt-legacy: a QueryMT provider plugin using the legacy "guest does HTTP" ABI
// (docs/wasm.md "Sources"): chat and list_models send their own requests through the
// host function extism:host/user.qmt_http_request ({"req":...} -> {"resp":...}).
// Exports: name, init_logging, list_models(cfg) -> [string], chat(ExtismChatRequest) ->
// ExtismChatResponse. Also logs through extism:host/user.qmt_log.
import { inputBytes, outputBytes, outputString, setError, abortWithError, strBlock, fromBlock } from "../common/extism";
import { JValue, parseBytes, jsonError } from "../common/json";
import {
  validateConfig, listModelsRequest, parseModels, chatRequest, parseChat, decodeResponse,
  statusError, httpError, pluginError,
} from "../common/openai";

@external("extism:host/user", "qmt_http_request")
declare function qmt_http_request(req: u64): u64;
@external("extism:host/user", "qmt_log")
declare function qmt_log(record: u64): void;

function pluginAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  abortWithError(message, fileName, line, column);
}

function fail(err: JValue): i32 {
  setError(err.stringify());
  return 1;
}
function out(v: JValue): i32 {
  outputBytes(v.toBytes());
  return 0;
}

let logLevel: i64 = 0;

/** QueryMT log levels: 1=error 2=warn 3=info 4=debug 5=trace; sent only if enabled by init_logging. */
function log(level: i64, message: string): void {
  if (level > logLevel) return;
  qmt_log(strBlock(JValue.object()
    .set("level", JValue.int(level))
    .set("target", JValue.str("qmt_legacy"))
    .set("message", JValue.str(message)).stringify()));
}

/** Sends {"req":...} through the host; returns the decoded response, or null (error set). */
function send(req: JValue): JValue | null {
  const h = qmt_http_request(strBlock(req.stringify()));
  const resp = parseBytes(fromBlock(h));
  if (resp === null) {
    setError(pluginError("json_error", "qmt_http_request returned invalid JSON: " + jsonError).stringify());
    return null;
  }
  return resp;
}

export function name(): i32 { outputString("qmt-legacy"); return 0; }

export function init_logging(): i32 {
  const v = parseBytes(inputBytes());
  if (v !== null && v.isNum()) logLevel = v.asI64();
  return 0;
}

/** cfg -> [model ids] via GET {base_url}/models */
export function list_models(): i32 {
  const cfg = parseBytes(inputBytes());
  if (cfg === null || !cfg.isObj()) return fail(pluginError("invalid_request", "cfg must be a JSON object"));
  log(3, "list_models");
  const resp = send(listModelsRequest(cfg!));
  if (resp === null) return 1;
  const r = decodeResponse(resp);
  if (r === null) return fail(pluginError("response_format_error", httpError));
  if (r.status < 200 || r.status > 299) return fail(statusError(r));
  const models = parseModels(r);
  if (models === null) return fail(pluginError("response_format_error", httpError));
  return out(models!);
}

/** {"cfg","messages","tools"?} -> {"text","tool_calls","thinking","usage","finish_reason"} */
export function chat(): i32 {
  const input = parseBytes(inputBytes());
  if (input === null) return fail(pluginError("json_error", "invalid input JSON: " + jsonError));
  const err = validateConfig(input.get("cfg"));
  if (err !== null) return fail(err!);
  log(3, "chat");
  const resp = send(chatRequest(input, false));
  if (resp === null) return 1;
  const r = decodeResponse(resp);
  if (r === null) return fail(pluginError("response_format_error", httpError));
  if (r.status < 200 || r.status > 299) return fail(statusError(r));
  const parsed = parseChat(r);
  if (parsed === null) return fail(pluginError("response_format_error", httpError));
  return out(parsed!);
}
