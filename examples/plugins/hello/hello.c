/*
 * hello.c — a tiny but real Extism plugin, written against the raw Extism 1.x ABI
 * (no PDK, no libc), that looks like a QueryMT provider from the outside.
 *
 * How Extism plugins talk to the host (see docs/wasm.md "Sources" for Extism's kernel):
 *   - every export has the wasm type () -> i32; 0 means success, anything else failure;
 *   - the input and the output live in *Extism memory*, a byte store owned by the host,
 *     reached only through functions imported from the module "extism:host/env";
 *   - a block of Extism memory is named by an i64 handle; byte i of block h is at h + i;
 *   - the output is registered with output_set(addr, len), an error message with error_set(h).
 *
 * Exports (the first ones are the QueryMT provider basics, docs/wasm.md "Sources"):
 *   name               -> "hello"                         (plain string)
 *   api_key_name       -> ""                              (empty: no API key needed)
 *   base_url           -> "http://localhost"              (plain string)
 *   config_schema      -> a JSON schema for the config    (JSON text)
 *   from_config        -> echoes its config JSON back     (validation that accepts anything)
 *   supports_streaming -> true                            (JSON bool: chat_stream may be used)
 *   greet              -> {"greeting":"Hello, <input>!"}  (input: any UTF-8 text)
 *   chat               -> ExtismChatResponse {"text":"Hello from the hello plugin! You said: <m>",
 *                         "finish_reason":"Stop"}, <m> being the text of the last text block of the
 *                         request: QueryMT's ChatMessage is {"role":"User","content":[{"type":"text",
 *                         "text":"<m>"}]}
 *   chat_stream        -> the same text in three chunks through qmt_yield_chunk
 *                         ({"chunk":{"text":..}}), then {"chunk":{"done":{"finish_reason":"Stop"}}}
 * chat and chat_stream are QueryMT's legacy ("guest does HTTP") ABI (docs/wasm.md "Sources");
 * this plugin needs no HTTP. greet, chat and chat_stream fail with an Extism error (return 1) when
 * the input is empty.
 *
 * Build: ./build.sh (clang --target=wasm32-unknown-unknown, linked by wasm-ld).
 */

#include <stdint.h>

/* ---- the Extism kernel, imported from "extism:host/env" (extism/extism kernel/src/lib.rs) --- */
/* All handles, addresses and lengths are unsigned 64-bit; single bytes travel as i32.         */

#define EXTISM_IMPORT(n) __attribute__((import_module("extism:host/env"), import_name(n)))
#define EXPORT(n)        __attribute__((export_name(n)))

EXTISM_IMPORT("input_length")  extern uint64_t extism_input_length(void);
EXTISM_IMPORT("input_load_u8") extern uint32_t extism_input_load_u8(uint64_t offset);
EXTISM_IMPORT("alloc")         extern uint64_t extism_alloc(uint64_t n);
EXTISM_IMPORT("store_u8")      extern void     extism_store_u8(uint64_t addr, uint32_t byte);
EXTISM_IMPORT("output_set")    extern void     extism_output_set(uint64_t addr, uint64_t len);
EXTISM_IMPORT("error_set")     extern void     extism_error_set(uint64_t handle);

/* QueryMT's host function for streamed chunks (namespace "extism:host/user", docs/wasm.md "Sources"). */
__attribute__((import_module("extism:host/user"), import_name("qmt_yield_chunk")))
extern void qmt_yield_chunk(uint64_t handle);

/* ---- a two-pass writer into Extism memory ---------------------------------------------------
 * Pass 1 runs with base == 0 and only counts bytes; then we alloc exactly that many bytes and
 * pass 2 stores them. This keeps the plugin free of any buffer in its own linear memory, so an
 * input of any size works.                                                                    */

typedef struct { uint64_t base; uint64_t pos; } writer;

static void put(writer *w, uint32_t c) {
    if (w->base) extism_store_u8(w->base + w->pos, c & 0xff);
    w->pos++;
}

static void put_str(writer *w, const char *s) {
    while (*s) put(w, (uint8_t)*s++);
}

/* The input bytes as the contents of a JSON string: escapes '"', '\\' and control characters;
 * other bytes (UTF-8 sequences included) are copied as they are.                             */
static void put_input_escaped(writer *w) {
    static const char hex[] = "0123456789abcdef";
    uint64_t n = extism_input_length();
    for (uint64_t i = 0; i < n; i++) {
        uint32_t b = extism_input_load_u8(i);
        if (b == '"' || b == '\\') { put(w, '\\'); put(w, b); }
        else if (b == '\n') { put(w, '\\'); put(w, 'n'); }
        else if (b < 0x20) { put_str(w, "\\u00"); put(w, hex[b >> 4]); put(w, hex[b & 15]); }
        else put(w, b);
    }
}

/* Where the value of the last "text":" in the input starts, or 0 if there is none. In a chat
 * request ({"cfg","messages":[{"role","content":[{"type":"text","text":"..."}]}],"tools"}) the cfg
 * comes first, so that is the last message's last text block. Its bytes are JSON string contents
 * already, so they are copied as they are, up to the unescaped closing quote.                  */
static uint64_t last_text_start(void) {
    static const char key[] = "\"text\":\"";
    uint64_t n = extism_input_length(), found = 0;
    for (uint64_t i = 0; i + sizeof key - 1 <= n; i++) {
        uint64_t k = 0;
        while (k < sizeof key - 1 && extism_input_load_u8(i + k) == (uint8_t)key[k]) k++;
        if (k == sizeof key - 1) found = i + k;
    }
    return found;
}

static void put_last_text(writer *w) {
    uint64_t n = extism_input_length(), i = last_text_start();
    if (i == 0) return;
    for (; i < n; i++) {
        uint32_t b = extism_input_load_u8(i);
        if (b == '"') return;
        put(w, b);
        if (b == '\\' && i + 1 < n) put(w, extism_input_load_u8(++i));
    }
}

/* A template: every byte is copied, except '@', which becomes the escaped input, and '$', which
 * becomes the text of the last message's last text block. */
static void render(writer *w, const char *tmpl) {
    for (; *tmpl; tmpl++) {
        if (*tmpl == '@') put_input_escaped(w);
        else if (*tmpl == '$') put_last_text(w);
        else put(w, (uint8_t)*tmpl);
    }
}

/* Renders the template into a fresh block of Extism memory (count, then store); 0 if empty or
 * out of memory, else the handle, with its length in *len.                                   */
static uint64_t render_block(const char *tmpl, uint64_t *len) {
    writer w = { 0, 0 };
    render(&w, tmpl);
    if (w.pos == 0) return 0;
    uint64_t h = extism_alloc(w.pos);
    if (h == 0) return 0;
    *len = w.pos;
    w.base = h; w.pos = 0;
    render(&w, tmpl);
    return h;
}

/* Renders the template twice (count, then store) and registers the result as the output,
 * or as the error message when `is_error`. Returns the export's return code.               */
static int32_t emit(const char *tmpl, int is_error) {
    writer w = { 0, 0 };
    render(&w, tmpl);
    if (w.pos == 0) return 0;                    /* empty output: nothing to register */
    uint64_t h = extism_alloc(w.pos);
    if (h == 0) return 2;                        /* Extism memory exhausted */
    uint64_t len = w.pos;
    w.base = h; w.pos = 0;
    render(&w, tmpl);
    if (is_error) { extism_error_set(h); return 1; }
    extism_output_set(h, len);
    return 0;
}

/* Copies the input to the output unchanged. */
static int32_t echo_input(void) {
    uint64_t n = extism_input_length();
    if (n == 0) return 0;
    uint64_t h = extism_alloc(n);
    if (h == 0) return 2;
    for (uint64_t i = 0; i < n; i++) extism_store_u8(h + i, extism_input_load_u8(i));
    extism_output_set(h, n);
    return 0;
}

/* ---- exports ------------------------------------------------------------------------------ */

EXPORT("name")          int32_t name(void)          { return emit("hello", 0); }
EXPORT("api_key_name")  int32_t api_key_name(void)  { return 0; /* empty output: no key */ }
EXPORT("base_url")      int32_t base_url(void)      { return emit("http://localhost", 0); }
EXPORT("config_schema") int32_t config_schema(void) {
    return emit("{\"title\":\"hello\","
                "\"type\":\"object\",\"properties\":{\"model\":{\"type\":\"string\"}}}", 0);
}
EXPORT("from_config")        int32_t from_config(void)        { return echo_input(); }
EXPORT("supports_streaming") int32_t supports_streaming(void) { return emit("true", 0); }

EXPORT("greet") int32_t greet(void) {
    if (extism_input_length() == 0) return emit("greet: empty input", 1);
    return emit("{\"greeting\":\"Hello, @!\"}", 0);
}

EXPORT("chat") int32_t chat(void) {
    if (extism_input_length() == 0) return emit("chat: empty request", 1);
    return emit("{\"text\":\"Hello from the hello plugin! You said: $\",\"finish_reason\":\"Stop\"}", 0);
}

/* Hands one rendered chunk to the host; 0 on success. */
static int32_t yield(const char *tmpl) {
    uint64_t len = 0;
    uint64_t h = render_block(tmpl, &len);
    if (h == 0) return 2;
    qmt_yield_chunk(h);
    return 0;
}

EXPORT("chat_stream") int32_t chat_stream(void) {
    if (extism_input_length() == 0) return emit("chat_stream: empty request", 1);
    static const char *const chunks[] = {
        "{\"chunk\":{\"text\":\"Hello from\"}}",
        "{\"chunk\":{\"text\":\" the hello plugin!\"}}",
        "{\"chunk\":{\"text\":\" You said: $\"}}",
        "{\"chunk\":{\"done\":{\"finish_reason\":\"Stop\"}}}",
    };
    for (unsigned i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        int32_t rc = yield(chunks[i]);
        if (rc != 0) return rc;
    }
    return 0;
}
