// qmt-strict-schema: qmt-openai (HTTP-adapter ABI) with a strict config_schema, as a QueryMT
// provider whose Rust config has #[serde(deny_unknown_fields)] produces: "additionalProperties": false.
// Every other export is qmt-openai's.
import { outputString, abortWithError } from "../common/extism";
import { JValue } from "../common/json";
import { DEFAULT_BASE_URL } from "../common/openai";
export {
  base_url, api_key_name, init_logging, from_config, supports_streaming, list_models_request,
  parse_list_models_response, chat_request, chat_stream_request, parse_chat_response,
  chat_stream_parser_start, chat_stream_parser_parse, chat_stream_parser_finish, chat_stream_parser_close,
} from "../qmt-openai/index";

function pluginAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  abortWithError(message, fileName, line, column);
}

export function name(): i32 { outputString("qmt-strict-schema"); return 0; }

function str(): JValue { return JValue.object().set("type", JValue.str("string")); }

export function config_schema(): i32 {
  const props = JValue.object()
    .set("base_url", str().set("default", JValue.str(DEFAULT_BASE_URL)))
    .set("model", str())
    .set("api_key", str())
    .set("temperature", JValue.object().set("type", JValue.str("number")))
    .set("max_tokens", JValue.object().set("type", JValue.str("integer")))
    .set("system", str());
  outputString(JValue.object()
    .set("$schema", JValue.str("http://json-schema.org/draft-07/schema#"))
    .set("title", JValue.str("StrictConfig"))
    .set("type", JValue.str("object"))
    .set("properties", props)
    .set("required", JValue.array().push(JValue.str("model")))
    .set("additionalProperties", JValue.bool(false))
    .stringify());
  return 0;
}
