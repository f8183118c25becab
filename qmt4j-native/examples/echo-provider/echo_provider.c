/*
 * echo-native: an example qmt4j native provider plugin (ABI version 1, see include/qmt4j_plugin.h).
 *
 * An OpenAI-compatible-ish provider that needs no network: "chat" answers "Echo: <last user
 * message>" (QueryMT's ChatMessage: role "User", content an array of {"type":"text","text"} blocks;
 * role "user" and a plain-string content are tolerated), "chat_stream" sends the same reply word by
 * word, then usage and done chunks.
 * "from_config" requires a string "model". For tests, a last user message of
 *   "fail:rate_limited" gives a structured rate_limited error (retry_after_secs 7),
 *   "fail:auth"         gives a structured auth_error,
 *   "fail:plain"        gives a plain error message (return code 2).
 *
 * Stateless, so thread-safe. Build: cc -shared -fPIC -O2 -I../../include echo_provider.c
 */
#include "qmt4j_plugin.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ growable byte buffer */

typedef struct {
    uint8_t *data;
    size_t len, cap;
    int oom;
} buf_t;

static void buf_put(buf_t *b, const void *p, size_t n) {
    if (b->oom) return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n) cap *= 2;
        uint8_t *d = realloc(b->data, cap);
        if (!d) { b->oom = 1; return; }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void buf_str(buf_t *b, const char *s) { buf_put(b, s, strlen(s)); }

/* Appends s[0..n) as a JSON string literal. */
static void buf_json_string(buf_t *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    buf_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            buf_put(b, e, 2);
        } else if (c == '\n') {
            buf_put(b, "\\n", 2);
        } else if (c == '\r') {
            buf_put(b, "\\r", 2);
        } else if (c == '\t') {
            buf_put(b, "\\t", 2);
        } else if (c < 0x20) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_put(b, e, 6);
        } else {
            buf_put(b, &s[i], 1);
        }
    }
    buf_put(b, "\"", 1);
}

static void buf_num(buf_t *b, unsigned long v) {
    char t[24];
    int i = 23;
    t[i] = 0;
    do { t[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    buf_str(b, &t[i]);
}

/* Hands the buffer to the host; returns code, or QMT4J_ERROR if memory ran out. */
static int32_t give(buf_t *b, int32_t code, uint8_t **out, size_t *out_len) {
    if (b->oom) {
        free(b->data);
        return QMT4J_ERROR; /* NULL output: the host reports an error without a message */
    }
    *out = b->data;
    *out_len = b->len;
    return code;
}

static int32_t literal(const char *s, int32_t code, uint8_t **out, size_t *out_len) {
    buf_t b = {0};
    buf_str(&b, s);
    return give(&b, code, out, out_len);
}

/* ------------------------------------------------------------------ minimal JSON reader */

typedef struct {
    const char *p, *end;
} cur_t;

static void ws(cur_t *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t')) c->p++;
}

static int skip_value(cur_t *c, int depth);

static int skip_string(cur_t *c) {
    if (c->p >= c->end || *c->p != '"') return 0;
    for (c->p++; c->p < c->end; c->p++) {
        if (*c->p == '\\') { c->p++; continue; }
        if (*c->p == '"') { c->p++; return 1; }
    }
    return 0;
}

static int skip_value(cur_t *c, int depth) {
    if (depth > 64) return 0;
    ws(c);
    if (c->p >= c->end) return 0;
    char ch = *c->p;
    if (ch == '"') return skip_string(c);
    if (ch == '{' || ch == '[') {
        char close = ch == '{' ? '}' : ']';
        c->p++;
        ws(c);
        if (c->p < c->end && *c->p == close) { c->p++; return 1; }
        for (;;) {
            if (ch == '{') {
                ws(c);
                if (!skip_string(c)) return 0;
                ws(c);
                if (c->p >= c->end || *c->p != ':') return 0;
                c->p++;
            }
            if (!skip_value(c, depth + 1)) return 0;
            ws(c);
            if (c->p >= c->end) return 0;
            if (*c->p == ',') { c->p++; continue; }
            if (*c->p == close) { c->p++; return 1; }
            return 0;
        }
    }
    while (c->p < c->end && strchr(",}] \n\r\t", *c->p) == NULL) c->p++; /* number, true, false, null */
    return 1;
}

/* Finds `key` in the object at c; on success c points at its value. */
static int find_key(cur_t obj, const char *key, cur_t *val) {
    cur_t c = obj;
    ws(&c);
    if (c.p >= c.end || *c.p != '{') return 0;
    c.p++;
    size_t klen = strlen(key);
    for (;;) {
        ws(&c);
        if (c.p < c.end && *c.p == '}') return 0;
        const char *ks = c.p + 1;
        if (!skip_string(&c)) return 0;
        int match = (size_t)(c.p - 1 - ks) == klen && memcmp(ks, key, klen) == 0;
        ws(&c);
        if (c.p >= c.end || *c.p != ':') return 0;
        c.p++;
        ws(&c);
        if (match) { *val = c; return 1; }
        if (!skip_value(&c, 0)) return 0;
        ws(&c);
        if (c.p < c.end && *c.p == ',') { c.p++; continue; }
        return 0;
    }
}

static int hexval(char h) {
    if (h >= '0' && h <= '9') return h - '0';
    if (h >= 'a' && h <= 'f') return h - 'a' + 10;
    if (h >= 'A' && h <= 'F') return h - 'A' + 10;
    return -1;
}

/* Decodes the JSON string at c into b (UTF-8). Returns 0 if c is not a string. */
static int read_string(cur_t c, buf_t *b) {
    ws(&c);
    if (c.p >= c.end || *c.p != '"') return 0;
    for (c.p++; c.p < c.end; c.p++) {
        char ch = *c.p;
        if (ch == '"') return !b->oom;
        if (ch != '\\') { buf_put(b, &ch, 1); continue; }
        if (++c.p >= c.end) return 0;
        switch (*c.p) {
            case 'n': buf_put(b, "\n", 1); break;
            case 't': buf_put(b, "\t", 1); break;
            case 'r': buf_put(b, "\r", 1); break;
            case 'b': buf_put(b, "\b", 1); break;
            case 'f': buf_put(b, "\f", 1); break;
            case 'u': {
                if (c.end - c.p < 5) return 0;
                unsigned cp = 0;
                for (int i = 1; i <= 4; i++) {
                    int h = hexval(c.p[i]);
                    if (h < 0) return 0;
                    cp = cp * 16 + (unsigned)h;
                }
                c.p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && c.end - c.p >= 7 && c.p[1] == '\\' && c.p[2] == 'u') {
                    unsigned lo = 0;
                    for (int i = 3; i <= 6; i++) {
                        int h = hexval(c.p[i]);
                        if (h < 0) return 0;
                        lo = lo * 16 + (unsigned)h;
                    }
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        c.p += 6;
                    }
                }
                char u[4];
                size_t n;
                if (cp < 0x80) { u[0] = (char)cp; n = 1; }
                else if (cp < 0x800) { u[0] = (char)(0xC0 | cp >> 6); u[1] = (char)(0x80 | (cp & 63)); n = 2; }
                else if (cp < 0x10000) { u[0] = (char)(0xE0 | cp >> 12); u[1] = (char)(0x80 | (cp >> 6 & 63)); u[2] = (char)(0x80 | (cp & 63)); n = 3; }
                else { u[0] = (char)(0xF0 | cp >> 18); u[1] = (char)(0x80 | (cp >> 12 & 63)); u[2] = (char)(0x80 | (cp >> 6 & 63)); u[3] = (char)(0x80 | (cp & 63)); n = 4; }
                buf_put(b, u, n);
                break;
            }
            default: buf_put(b, c.p, 1); break; /* \" \\ \/ */
        }
    }
    return 0;
}

/* Decodes a ChatMessage's content into b: QueryMT's array of blocks, of which the text of the
 * {"type":"text","text":"..."} ones is concatenated, or (tolerated) a plain string. Returns 0 if it
 * is neither or has no text block. */
static int read_text_content(cur_t c, buf_t *b) {
    ws(&c);
    if (c.p < c.end && *c.p == '"') return read_string(c, b);
    if (c.p >= c.end || *c.p != '[') return 0;
    int found = 0;
    c.p++;
    for (;;) {
        ws(&c);
        if (c.p >= c.end || *c.p == ']') break;
        cur_t block = c, type, text;
        if (!skip_value(&c, 0)) return 0;
        block.end = c.p;
        buf_t t = {0};
        if (find_key(block, "type", &type) && read_string(type, &t) && t.len == 4 && memcmp(t.data, "text", 4) == 0 &&
            find_key(block, "text", &text) && read_string(text, b)) {
            found = 1;
        }
        free(t.data);
        ws(&c);
        if (c.p < c.end && *c.p == ',') c.p++;
    }
    return found;
}

/* ------------------------------------------------------------------ the provider */

static const char *MODELS = "[\"echo-1\",\"echo-mini\"]";

static int32_t structured(const char *type, const char *message, uint8_t **out, size_t *out_len) {
    buf_t b = {0};
    buf_str(&b, "{\"payload\":{\"type\":");
    buf_json_string(&b, type, strlen(type));
    buf_str(&b, ",\"message\":");
    buf_json_string(&b, message, strlen(message));
    if (strcmp(type, "rate_limited") == 0) buf_str(&b, ",\"retry_after_secs\":7");
    buf_str(&b, "}}");
    return give(&b, QMT4J_STRUCTURED_ERROR, out, out_len);
}

/* Checks cfg has a non-empty string "model"; else writes a structured error and returns its code. */
static int32_t check_model(cur_t cfg, uint8_t **out, size_t *out_len) {
    cur_t v;
    buf_t m = {0};
    int ok = find_key(cfg, "model", &v) && read_string(v, &m) && m.len > 0;
    free(m.data);
    if (ok) return QMT4J_OK;
    return structured("invalid_request", "config field 'model' is required and must be a non-empty string", out, out_len);
}

/* The reply to a chat input, or an error code (with *out set). */
static int32_t reply_for(cur_t in, buf_t *reply, uint8_t **out, size_t *out_len) {
    cur_t cfg, msgs;
    if (!find_key(in, "cfg", &cfg)) return structured("invalid_request", "input has no cfg", out, out_len);
    int32_t rc = check_model(cfg, out, out_len);
    if (rc != QMT4J_OK) return rc;
    if (!find_key(in, "messages", &msgs) || msgs.p >= msgs.end || *msgs.p != '[') {
        return structured("invalid_request", "input has no messages array", out, out_len);
    }
    buf_t last = {0};
    int found = 0;
    cur_t c = msgs;
    c.p++;
    for (;;) {
        ws(&c);
        if (c.p >= c.end || *c.p == ']') break;
        cur_t msg = c, role, content;
        if (!skip_value(&c, 0)) break;
        msg.end = c.p;
        buf_t r = {0};
        /* QueryMT's role is serde's variant name "User"; "user" is tolerated. */
        if (find_key(msg, "role", &role) && read_string(role, &r) && r.len == 4 &&
            (memcmp(r.data, "User", 4) == 0 || memcmp(r.data, "user", 4) == 0) && find_key(msg, "content", &content)) {
            last.len = 0;
            found = read_text_content(content, &last);
        }
        free(r.data);
        ws(&c);
        if (c.p < c.end && *c.p == ',') c.p++;
    }
    if (!found) {
        free(last.data);
        return structured("invalid_request", "no user message with text content", out, out_len);
    }
    if (last.len == 17 && memcmp(last.data, "fail:rate_limited", 17) == 0) {
        free(last.data);
        return structured("rate_limited", "echo is rate limited", out, out_len);
    }
    if (last.len == 9 && memcmp(last.data, "fail:auth", 9) == 0) {
        free(last.data);
        return structured("auth_error", "bad echo key", out, out_len);
    }
    if (last.len == 10 && memcmp(last.data, "fail:plain", 10) == 0) {
        free(last.data);
        return literal("echo failed on purpose", QMT4J_ERROR, out, out_len);
    }
    buf_str(reply, "Echo: ");
    buf_put(reply, last.data, last.len);
    free(last.data);
    return QMT4J_OK;
}

static size_t words(const uint8_t *s, size_t n) {
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && (i == 0 || s[i - 1] == ' ')) w++;
    return w;
}

static int32_t chat(cur_t in, uint8_t **out, size_t *out_len) {
    buf_t reply = {0};
    int32_t rc = reply_for(in, &reply, out, out_len);
    if (rc != QMT4J_OK) { free(reply.data); return rc; }
    buf_t b = {0};
    buf_str(&b, "{\"text\":");
    buf_json_string(&b, (const char *)reply.data, reply.len);
    buf_str(&b, ",\"tool_calls\":null,\"thinking\":null,\"usage\":{\"input_tokens\":");
    buf_num(&b, words(reply.data, reply.len) - 1);
    buf_str(&b, ",\"output_tokens\":");
    buf_num(&b, words(reply.data, reply.len));
    buf_str(&b, "},\"finish_reason\":\"Stop\"}");
    free(reply.data);
    return give(&b, QMT4J_OK, out, out_len);
}

static int32_t copy_input(const uint8_t *input, size_t len, uint8_t **out, size_t *out_len) {
    buf_t b = {0};
    buf_put(&b, input, len);
    return give(&b, QMT4J_OK, out, out_len);
}

QMT4J_EXPORT uint32_t qmt4j_abi_version(void) {
    return QMT4J_ABI_VERSION;
}

QMT4J_EXPORT int32_t qmt4j_call(const char *function, const uint8_t *input, size_t input_len, uint8_t **output,
                                size_t *output_len) {
    cur_t in = {(const char *)input, (const char *)input + input_len};
    if (strcmp(function, "capabilities") == 0) return literal("[\"chat\",\"chat_stream\",\"list_models\"]", QMT4J_OK, output, output_len);
    if (strcmp(function, "name") == 0) return literal("\"echo-native\"", QMT4J_OK, output, output_len);
    if (strcmp(function, "api_key_name") == 0) return literal("null", QMT4J_OK, output, output_len);
    if (strcmp(function, "base_url") == 0) return literal("null", QMT4J_OK, output, output_len);
    if (strcmp(function, "config_schema") == 0) {
        return literal("{\"type\":\"object\",\"properties\":{\"model\":{\"type\":\"string\",\"enum\":[\"echo-1\",\"echo-mini\"]}},"
                       "\"required\":[\"model\"]}", QMT4J_OK, output, output_len);
    }
    if (strcmp(function, "from_config") == 0) {
        int32_t rc = check_model(in, output, output_len);
        return rc != QMT4J_OK ? rc : copy_input(input, input_len, output, output_len);
    }
    if (strcmp(function, "list_models") == 0) return literal(MODELS, QMT4J_OK, output, output_len);
    if (strcmp(function, "chat") == 0) return chat(in, output, output_len);
    return QMT4J_UNKNOWN_FUNCTION;
}

QMT4J_EXPORT void qmt4j_free(uint8_t *ptr, size_t len) {
    (void)len;
    free(ptr);
}

static int emit(qmt4j_chunk_fn on_chunk, void *ctx, buf_t *b) {
    if (b->oom) return 1;
    int stop = on_chunk(ctx, b->data, b->len);
    b->len = 0;
    return stop;
}

QMT4J_EXPORT int32_t qmt4j_chat_stream(const uint8_t *input, size_t input_len, qmt4j_chunk_fn on_chunk, void *ctx,
                                       uint8_t **error, size_t *error_len) {
    cur_t in = {(const char *)input, (const char *)input + input_len};
    buf_t reply = {0};
    int32_t rc = reply_for(in, &reply, error, error_len);
    if (rc != QMT4J_OK) { free(reply.data); return rc; }
    buf_t b = {0};
    int stop = 0;
    /* one chunk per word, each carrying its leading space: concatenated they give the chat reply */
    size_t i = 0;
    while (!stop && i < reply.len) {
        size_t j = i + 1;
        while (j < reply.len && reply.data[j] != ' ') j++;
        buf_str(&b, "{\"text\":");
        buf_json_string(&b, (const char *)reply.data + i, j - i);
        buf_str(&b, "}");
        stop = emit(on_chunk, ctx, &b);
        i = j;
    }
    if (!stop) {
        buf_str(&b, "{\"usage\":{\"input_tokens\":");
        buf_num(&b, words(reply.data, reply.len) - 1);
        buf_str(&b, ",\"output_tokens\":");
        buf_num(&b, words(reply.data, reply.len));
        buf_str(&b, "}}");
        stop = emit(on_chunk, ctx, &b);
    }
    if (!stop) {
        buf_str(&b, "{\"done\":{\"finish_reason\":\"Stop\"}}");
        emit(on_chunk, ctx, &b);
    }
    free(b.data);
    free(reply.data);
    return QMT4J_OK;
}
