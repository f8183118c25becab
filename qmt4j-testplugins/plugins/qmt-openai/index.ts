// qmt-openai: a QueryMT provider plugin for an OpenAI-compatible chat API speaking the
// HTTP-adapter ABI (docs/wasm.md "Sources"): the plugin builds http-serde-ext requests,
// the host sends them and hands the responses back to parse_*. Errors are QueryMT
// PluginErrors ({"payload":{"type":...}}) with return code 1.
import { inputBytes, outputBytes, outputString, setError, abortWithError } from "../common/extism";
import { JValue, parseBytes, jsonError, jsonArrayToBytes } from "../common/json";
import {
  DEFAULT_BASE_URL, validateConfig, configSchema, listModelsRequest, parseModels, chatRequest,
  parseChat, decodeResponse, statusError, httpError, StreamParser, embedRequest, parseEmbed,
  pluginError,
} from "../common/openai";

function pluginAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  abortWithError(message, fileName, line, column);
}

const STRUCTURED: i32 = 1;

function fail(err: JValue): i32 {
  setError(err.stringify());
  return STRUCTURED;
}
function out(v: JValue): i32 {
  outputBytes(v.toBytes());
  return 0;
}
function inputJson(): JValue | null {
  return parseBytes(inputBytes());
}
function badInput(): i32 {
  return fail(pluginError("json_error", "invalid input JSON: " + jsonError));
}

export function name(): i32 { outputString("qmt-openai"); return 0; }
export function base_url(): i32 { outputString(DEFAULT_BASE_URL); return 0; }
export function api_key_name(): i32 { outputString("OPENAI_API_KEY"); return 0; }
export function config_schema(): i32 { outputString(configSchema()); return 0; }

let logLevel: i64 = 0;
/** input: the host's max level as JSON (0=off ... 5=trace); no output. */
export function init_logging(): i32 {
  const v = inputJson();
  if (v !== null && v.isNum()) logLevel = v.asI64();
  return 0;
}

/** input: cfg JSON; output: the same cfg when valid, else PluginError (code 1). */
export function from_config(): i32 {
  const cfg = inputJson();
  if (cfg === null) return badInput();
  const err = validateConfig(cfg);
  if (err !== null) return fail(err!);
  return out(cfg);
}

export function supports_streaming(): i32 { outputString("true"); return 0; }

function cfgOf(input: JValue | null): JValue | null {
  if (input === null) return null;
  const cfg = input.get("cfg");
  return cfg;
}

/** {"cfg"} -> {"req": GET {base_url}/models} */
export function list_models_request(): i32 {
  const input = inputJson();
  if (input === null) return badInput();
  const cfg = cfgOf(input);
  const err = validateListCfg(cfg);
  if (err !== null) return fail(err!);
  return out(listModelsRequest(cfg!));
}

function validateListCfg(cfg: JValue | null): JValue | null {
  if (cfg === null || !cfg.isObj()) return pluginError("invalid_request", "cfg must be a JSON object");
  return null;
}

/** {"resp":{"resp":{head, body}}} -> ["model-id", ...] */
export function parse_list_models_response(): i32 {
  const input = inputJson();
  if (input === null) return badInput();
  const r = decodeResponse(input.get("resp"));
  if (r === null) return fail(responseFormatError(httpError, new Uint8Array(0)));
  if (r.status < 200 || r.status > 299) return fail(statusError(r));
  const models = parseModels(r);
  if (models === null) return fail(responseFormatError(httpError, r.body));
  return out(models!);
}

function responseFormatError(msg: string, body: Uint8Array): JValue {
  const e = pluginError("response_format_error", msg);
  e.get("payload")!.set("raw_response", JValue.str(String.UTF8.decode(body.buffer)));
  return e;
}

function chatReq(stream: bool): i32 {
  const input = inputJson();
  if (input === null) return badInput();
  const err = validateConfig(cfgOf(input));
  if (err !== null) return fail(err!);
  return out(chatRequest(input, stream));
}

/** {"cfg","messages":[ChatMessage],"tools"?} -> {"req": POST {base_url}/chat/completions} */
export function chat_request(): i32 { return chatReq(false); }
/** Same, with "stream":true and stream_options.include_usage. */
export function chat_stream_request(): i32 { return chatReq(true); }

/** {"cfg","resp":{"resp":{head, body}}} -> {"text","tool_calls","thinking","usage","finish_reason"} */
export function parse_chat_response(): i32 {
  const input = inputJson();
  if (input === null) return badInput();
  const r = decodeResponse(input.get("resp"));
  if (r === null) return fail(responseFormatError(httpError, new Uint8Array(0)));
  if (r.status < 200 || r.status > 299) return fail(statusError(r));
  const parsed = parseChat(r);
  if (parsed === null) return fail(responseFormatError(httpError, r.body));
  return out(parsed!);
}

const parsers = new Map<i64, StreamParser>();
let nextParser: i64 = 1;

/** cfg -> parser id (JSON number) */
export function chat_stream_parser_start(): i32 {
  const id = nextParser++;
  parsers.set(id, new StreamParser());
  outputString(id.toString());
  return 0;
}

function parserId(v: JValue | null): i64 {
  if (v === null || !v.isNum()) return -1;
  return v.asI64();
}

function unknownParser(id: i64): i32 {
  return fail(pluginError("plugin_error", "Unknown parser id " + id.toString()));
}

/** {"parser_id","chunk":[bytes]} -> [{"chunk":StreamChunk,"usage":Usage|null}] */
export function chat_stream_parser_parse(): i32 {
  const input = inputJson();
  if (input === null) return badInput();
  const id = parserId(input.get("parser_id"));
  if (!parsers.has(id)) return unknownParser(id);
  const chunkV = input.get("chunk");
  if (chunkV === null) return fail(pluginError("json_error", "chunk must be an array of bytes"));
  const bytes = jsonArrayToBytes(chunkV!);
  if (bytes === null) return fail(pluginError("json_error", "chunk must be an array of bytes"));
  return out(parsers.get(id).parse(bytes!));
}

/** parser id -> the remaining chunks, ending with {"done":{"finish_reason":...}} */
export function chat_stream_parser_finish(): i32 {
  const id = parserId(inputJson());
  if (!parsers.has(id)) return unknownParser(id);
  return out(parsers.get(id).finishStream());
}

/** parser id -> (); unknown ids are ignored */
export function chat_stream_parser_close(): i32 {
  const id = parserId(inputJson());
  if (parsers.has(id)) parsers.delete(id);
  return 0;
}

/** {"cfg","inputs":[string]} -> {"req": POST {base_url}/embeddings} */
export function embed_request(): i32 {
  const input = inputJson();
  if (input === null) return badInput();
  const err = validateConfig(cfgOf(input));
  if (err !== null) return fail(err!);
  return out(embedRequest(input));
}

/** {"cfg","resp":{"resp":{head, body}}} -> [[f32]] */
export function parse_embed_response(): i32 {
  const input = inputJson();
  if (input === null) return badInput();
  const r = decodeResponse(input.get("resp"));
  if (r === null) return fail(responseFormatError(httpError, new Uint8Array(0)));
  if (r.status < 200 || r.status > 299) return fail(statusError(r));
  const e = parseEmbed(r);
  if (e === null) return fail(responseFormatError(httpError, r.body));
  return out(e!);
}

/** Number of live stream parsers (for leak tests). */
export function stream_parser_count(): i32 {
  outputString(parsers.size.toString());
  return 0;
}
