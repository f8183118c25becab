/*
 * qmt4j_plugin.h -- the qmt4j native provider plugin ABI, version 1.
 *
 * QueryMT's own native plugins export a Rust trait object (plugin_factory / plugin_http_factory),
 * which only a Rust host built with the same compiler can use. qmt4j defines this small C ABI
 * instead. A native provider plugin is a shared library (.so / .dylib / .dll) exporting the C
 * symbols below; qmt4j loads it with JNA. Full description: docs/native-abi.md.
 *
 * Design
 *   - Everything crosses the boundary as UTF-8 JSON bytes (no NUL terminator, length given), with
 *     the same shapes as the QueryMT Wasm exports (legacy "guest does HTTP" ABI): one entry point,
 *     qmt4j_call, takes the export name.
 *   - The plugin owns the memory it returns and frees it in qmt4j_free. The host owns its inputs;
 *     they are valid only for the duration of the call: copy what you keep.
 *   - There is NO sandbox. The plugin runs in the host process with the host's privileges; it does
 *     its own networking, and qmt4j cannot enforce the provider's network policy
 *     (base_url / allowed_hosts) on it.
 *
 * Threading
 *   The host calls qmt4j_call and qmt4j_chat_stream concurrently from many threads, with no lock.
 *   Every exported function must be thread-safe. A call must not keep pointers to its input after
 *   it returns. The library is never unloaded by the host while it runs.
 *
 * Versioning
 *   QMT4J_ABI_VERSION changes whenever a signature, a return code or a JSON shape changes
 *   incompatibly. The host refuses a library whose qmt4j_abi_version() differs from its own.
 *   New optional functions (for qmt4j_call) may be added without a version change: a plugin
 *   returns QMT4J_UNKNOWN_FUNCTION for names it does not know.
 */
#ifndef QMT4J_PLUGIN_H
#define QMT4J_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define QMT4J_EXPORT __declspec(dllexport)
#else
#define QMT4J_EXPORT __attribute__((visibility("default")))
#endif

/** The ABI version this header describes. qmt4j_abi_version() must return it. */
#define QMT4J_ABI_VERSION 1u

/* ---- return codes of qmt4j_call and qmt4j_chat_stream ---- */

/** Success; *output holds the JSON result. */
#define QMT4J_OK 0
/**
 * Structured error (QueryMT's error_codes::STRUCTURED): *output holds a PluginError JSON object
 * {"payload": LLMErrorPayload}, e.g. {"payload":{"type":"invalid_request","message":"model is required"}}.
 * The host maps it to a typed error (auth_error, rate_limited, invalid_request, provider_error, ...).
 */
#define QMT4J_STRUCTURED_ERROR 1
/** Any other positive value: plain error; *output holds a UTF-8 message (may be empty). */
#define QMT4J_ERROR 2
/** The function name is unknown: the capability is not supported. *output is ignored (leave it NULL). */
#define QMT4J_UNKNOWN_FUNCTION (-1)

/**
 * Returns QMT4J_ABI_VERSION. Required. Called once, first, right after the library is loaded;
 * must not have side effects.
 */
QMT4J_EXPORT uint32_t qmt4j_abi_version(void);

/**
 * Calls plugin function `function` (a NUL-terminated ASCII name) with JSON `input`. Required.
 *
 * input/input_len: UTF-8 JSON, owned by the host, valid during the call only; not NUL-terminated.
 * output/output_len: out-parameters, never NULL; the host sets *output = NULL and *output_len = 0
 *   before the call. The plugin may store a buffer it allocated (any allocator) there; the host
 *   copies it and then calls qmt4j_free(*output, *output_len) exactly once, whatever the return
 *   code. A NULL *output means an empty result.
 *
 * Functions (input -> output on QMT4J_OK; "cfg" is the provider config object):
 *   capabilities   null                       -> ["chat","chat_stream","list_models","embed",
 *                                                 "complete","transcribe","speech"]  [required]
 *                                                 (the subset offered; unknown names are ignored)
 *   name           null                       -> "plugin-name" (JSON string)          [required]
 *   api_key_name   null                       -> "ENV_VAR" or null
 *   base_url       null                       -> "https://..." or null
 *   config_schema  null                       -> JSON Schema object of cfg
 *   from_config    cfg                        -> accepted cfg (reject with QMT4J_STRUCTURED_ERROR)
 *   list_models    cfg                        -> ["model-id", ...]
 *   chat           {"cfg","messages":[ChatMessage],"tools":[Tool]|null}
 *                                             -> {"text","tool_calls","thinking","usage","finish_reason"}
 *   embed          {"cfg","inputs":[string]}  -> [[float, ...], ...]
 *   complete       {"cfg","req":CompletionRequest} -> CompletionResponse
 *   transcribe     {"cfg","audio_base64","filename"?,"mime_type"?,"model"?,"language"?} -> {"text"}
 *   speech         {"cfg","text","model"?,"voice_config"?,"format"?,"speed"?,"language"?}
 *                                             -> {"audio_base64","mime_type"?}
 * All but capabilities and name are optional: unknown names return QMT4J_UNKNOWN_FUNCTION (for
 * api_key_name / base_url the host then uses null, for config_schema {}, for from_config the cfg
 * unchanged; for an operation it reports "unsupported").
 *
 * Returns one of the QMT4J_* codes above. Thread-safe.
 */
QMT4J_EXPORT int32_t qmt4j_call(const char *function, const uint8_t *input, size_t input_len,
                                uint8_t **output, size_t *output_len);

/**
 * Frees a buffer this plugin returned through an output parameter (`ptr` as returned, `len` the
 * length it reported). Required. Called exactly once per non-NULL buffer; never with NULL.
 * Thread-safe.
 */
QMT4J_EXPORT void qmt4j_free(uint8_t *ptr, size_t len);

/**
 * Receives one StreamChunk JSON object (e.g. {"text":"Hel"}, {"tool_use_complete":{...}},
 * {"usage":{...}}, {"done":{"finish_reason":"Stop"}}). `chunk` is valid during the callback only.
 * Called on the thread that called qmt4j_chat_stream, before it returns, in stream order.
 * Returns 0 to continue; non-zero asks the plugin to stop: it must not call on_chunk again and
 * should return promptly (its return code is then ignored).
 */
typedef int32_t (*qmt4j_chunk_fn)(void *ctx, const uint8_t *chunk, size_t chunk_len);

/**
 * A streamed chat turn. Optional: a plugin that exports it must list "chat_stream" in its
 * capabilities. Input is the same as for "chat". Chunks go to on_chunk(ctx, ...) synchronously;
 * the call returns when the stream has ended. On error, the return code and *error / *error_len
 * follow the rules of qmt4j_call's output (host frees *error with qmt4j_free). Thread-safe.
 */
QMT4J_EXPORT int32_t qmt4j_chat_stream(const uint8_t *input, size_t input_len, qmt4j_chunk_fn on_chunk,
                                       void *ctx, uint8_t **error, size_t *error_len);

#ifdef __cplusplus
}
#endif

#endif /* QMT4J_PLUGIN_H */
