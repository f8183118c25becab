/*
 * extism_adapter.c -- runs a qmt4j native provider (include/qmt4j_plugin.h) as a QueryMT Wasm
 * provider plugin: link it with the provider's unchanged C source and minilibc.c into a
 * freestanding wasm32 module (build-wasm.sh). The result speaks QueryMT's legacy "guest does HTTP"
 * Extism ABI (docs/wasm.md "Sources"), which qmt4j's WasmProvider and QueryMT's host load.
 *
 * Every export has the Extism type () -> i32. It reads its input from Extism memory, calls
 * qmt4j_call (or qmt4j_chat_stream) with it, and hands the output back:
 *   QMT4J_OK                 -> output_set(output), return 0
 *   QMT4J_STRUCTURED_ERROR   -> error_set({"payload":...}), return 1 (QueryMT's error_codes::STRUCTURED)
 *   other positive code      -> error_set(message), return that code (a plain plugin error)
 *   QMT4J_UNKNOWN_FUNCTION   -> the QueryMT default: "" for api_key_name/base_url, {} for
 *                               config_schema, the input for from_config, else a structured
 *                               not_implemented error
 * A JSON null from api_key_name / base_url becomes "" (QueryMT's "none" for those exports).
 * chat_stream passes each StreamChunk to the host as an ExtismChatChunk {"chunk": ...} through
 * qmt_yield_chunk, as QueryMT's legacy streaming does.
 *
 * Exports: name, api_key_name, base_url, config_schema, from_config, list_models, chat,
 * chat_stream; build with -DQMT4J_WASM_EMBED / _COMPLETE / _TRANSCRIBE / _SPEECH to add those
 * operations (the host reads a Wasm plugin's capabilities from its exports, so export only what
 * the provider implements).
 */
#include <stddef.h>
#include <stdint.h>

#include "qmt4j_plugin.h"
#include "stdlib.h"
#include "string.h"

/* ---- the Extism kernel ("extism:host/env") and QueryMT's host functions ("extism:host/user") ---- */

#define EXTISM_IMPORT(n) __attribute__((import_module("extism:host/env"), import_name(n)))
#define QMT_IMPORT(n) __attribute__((import_module("extism:host/user"), import_name(n)))
#define EXPORT(n) __attribute__((export_name(n)))

EXTISM_IMPORT("input_length") extern uint64_t extism_input_length(void);
EXTISM_IMPORT("input_load_u8") extern uint32_t extism_input_load_u8(uint64_t offset);
EXTISM_IMPORT("input_load_u64") extern uint64_t extism_input_load_u64(uint64_t offset);
EXTISM_IMPORT("alloc") extern uint64_t extism_alloc(uint64_t n);
EXTISM_IMPORT("store_u8") extern void extism_store_u8(uint64_t addr, uint32_t byte);
EXTISM_IMPORT("store_u64") extern void extism_store_u64(uint64_t addr, uint64_t value);
EXTISM_IMPORT("output_set") extern void extism_output_set(uint64_t addr, uint64_t len);
EXTISM_IMPORT("error_set") extern void extism_error_set(uint64_t handle);
QMT_IMPORT("qmt_yield_chunk") extern void qmt_yield_chunk(uint64_t handle);

/* ---- moving bytes between linear memory and Extism memory ---- */

/* The call's input, copied into linear memory (NUL-terminated for convenience); NULL if out of memory. */
static uint8_t *read_input(size_t *len) {
    uint64_t n = extism_input_length();
    uint8_t *buf = malloc((size_t)n + 1);
    if (!buf) return NULL;
    uint64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v = extism_input_load_u64(i);
        memcpy(buf + i, &v, 8); /* wasm is little-endian, as Extism's byte order */
    }
    for (; i < n; i++) buf[i] = (uint8_t)extism_input_load_u8(i);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

/* A new Extism memory block holding p[0..n) (0 when n is 0). */
static uint64_t to_extism(const uint8_t *p, size_t n) {
    if (n == 0) return 0;
    uint64_t h = extism_alloc(n);
    if (h == 0) return 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        extism_store_u64(h + i, v);
    }
    for (; i < n; i++) extism_store_u8(h + i, p[i]);
    return h;
}

static void set_output(const uint8_t *p, size_t n) {
    uint64_t h = to_extism(p, n);
    if (h) extism_output_set(h, n);
}

static int32_t fail(int32_t code, const uint8_t *msg, size_t n) {
    uint64_t h = to_extism(msg, n);
    if (h) extism_error_set(h);
    return code;
}

static int32_t fail_str(int32_t code, const char *msg) {
    return fail(code, (const uint8_t *)msg, strlen(msg));
}

static int is_null(const uint8_t *p, size_t n) {
    while (n && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == '\t')) n--;
    return n == 4 && memcmp(p, "null", 4) == 0;
}

/* ---- forwarding one export to qmt4j_call ---- */

enum missing { NOT_IMPLEMENTED, EMPTY, EMPTY_OBJECT, ECHO_INPUT };

static int32_t forward(const char *function, enum missing when_missing, int null_is_empty) {
    size_t read_len = 0;
    uint8_t *read = read_input(&read_len);
    if (!read) return fail_str(QMT4J_ERROR, "out of memory reading the input");
    /* A call without input (name, base_url, ... from some hosts) is JSON null in the qmt4j ABI. */
    const uint8_t *in = read_len ? read : (const uint8_t *)"null";
    size_t in_len = read_len ? read_len : 4;
    uint8_t *out = NULL;
    size_t out_len = 0;
    int32_t rc = qmt4j_call(function, in, in_len, &out, &out_len);
    int32_t result = 0;
    if (rc == QMT4J_OK) {
        if (!(null_is_empty && is_null(out, out_len))) set_output(out, out_len);
    } else if (rc == QMT4J_UNKNOWN_FUNCTION) {
        switch (when_missing) {
            case EMPTY: break;
            case EMPTY_OBJECT: set_output((const uint8_t *)"{}", 2); break;
            case ECHO_INPUT: set_output(in, in_len); break;
            case NOT_IMPLEMENTED:
                result = fail_str(QMT4J_STRUCTURED_ERROR,
                        "{\"payload\":{\"type\":\"not_implemented\",\"message\":\"the provider does not implement this function\"}}");
                break;
        }
    } else {
        result = fail(rc, out, out_len);
    }
    if (out) qmt4j_free(out, out_len);
    free(read);
    return result;
}

EXPORT("name") int32_t export_name(void) { return forward("name", NOT_IMPLEMENTED, 0); }
EXPORT("api_key_name") int32_t export_api_key_name(void) { return forward("api_key_name", EMPTY, 1); }
EXPORT("base_url") int32_t export_base_url(void) { return forward("base_url", EMPTY, 1); }
EXPORT("config_schema") int32_t export_config_schema(void) { return forward("config_schema", EMPTY_OBJECT, 0); }
EXPORT("from_config") int32_t export_from_config(void) { return forward("from_config", ECHO_INPUT, 0); }
EXPORT("list_models") int32_t export_list_models(void) { return forward("list_models", NOT_IMPLEMENTED, 0); }
EXPORT("chat") int32_t export_chat(void) { return forward("chat", NOT_IMPLEMENTED, 0); }
#ifdef QMT4J_WASM_EMBED
EXPORT("embed") int32_t export_embed(void) { return forward("embed", NOT_IMPLEMENTED, 0); }
#endif
#ifdef QMT4J_WASM_COMPLETE
EXPORT("complete") int32_t export_complete(void) { return forward("complete", NOT_IMPLEMENTED, 0); }
#endif
#ifdef QMT4J_WASM_TRANSCRIBE
EXPORT("transcribe") int32_t export_transcribe(void) { return forward("transcribe", NOT_IMPLEMENTED, 0); }
#endif
#ifdef QMT4J_WASM_SPEECH
EXPORT("speech") int32_t export_speech(void) { return forward("speech", NOT_IMPLEMENTED, 0); }
#endif

/* ---- streaming ---- */

/* Wraps one StreamChunk as {"chunk": ...} and yields it to the host; *ctx (int) is set on failure. */
static int32_t yield_chunk(void *ctx, const uint8_t *chunk, size_t len) {
    int *failed = ctx;
    static const char head[] = "{\"chunk\":";
    size_t n = sizeof head - 1 + len + 1;
    uint8_t *wrapped = malloc(n);
    if (!wrapped) return *failed = 1; /* out of memory: ask the provider to stop */
    memcpy(wrapped, head, sizeof head - 1);
    memcpy(wrapped + sizeof head - 1, chunk, len);
    wrapped[n - 1] = '}';
    uint64_t h = to_extism(wrapped, n);
    free(wrapped);
    if (h == 0) return *failed = 1;
    qmt_yield_chunk(h);
    return 0;
}

EXPORT("chat_stream") int32_t export_chat_stream(void) {
    size_t in_len = 0;
    uint8_t *in = read_input(&in_len);
    if (!in) return fail_str(QMT4J_ERROR, "out of memory reading the input");
    uint8_t *err = NULL;
    size_t err_len = 0;
    int failed = 0;
    int32_t rc = qmt4j_chat_stream(in, in_len, yield_chunk, &failed, &err, &err_len);
    free(in);
    int32_t result = 0;
    if (failed) {
        result = fail_str(QMT4J_ERROR, "out of memory passing a stream chunk to the host");
    } else if (rc == QMT4J_UNKNOWN_FUNCTION) {
        result = fail_str(QMT4J_STRUCTURED_ERROR,
                "{\"payload\":{\"type\":\"not_implemented\",\"message\":\"the provider does not stream\"}}");
    } else if (rc != QMT4J_OK) {
        result = fail(rc, err, err_len);
    }
    if (err) qmt4j_free(err, err_len);
    return result;
}
