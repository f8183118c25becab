/*
 * Test fixture: a plugin exercising the host's edge cases. It lists every capability (plus an
 * unknown one) and chat_stream without exporting qmt4j_chat_stream; "name" is a bare (non-JSON)
 * string; "embed" works; "complete" returns invalid JSON; "transcribe" returns code 1 with a body
 * that is not a PluginError; "speech" returns code 5 with no output; chat returns an empty output.
 */
#include "qmt4j_plugin.h"
#include <stdlib.h>
#include <string.h>

static int32_t out(const char *s, int32_t code, uint8_t **o, size_t *n) {
    size_t len = strlen(s);
    *o = malloc(len);
    if (!*o) return QMT4J_ERROR;
    memcpy(*o, s, len);
    *n = len;
    return code;
}

QMT4J_EXPORT uint32_t qmt4j_abi_version(void) { return QMT4J_ABI_VERSION; }

QMT4J_EXPORT int32_t qmt4j_call(const char *f, const uint8_t *input, size_t input_len, uint8_t **o, size_t *n) {
    (void)input; (void)input_len;
    if (!strcmp(f, "capabilities"))
        return out("[\"chat\",\"chat_stream\",\"list_models\",\"embed\",\"complete\",\"transcribe\",\"speech\",\"teleport\"]", QMT4J_OK, o, n);
    if (!strcmp(f, "name")) return out("odd", QMT4J_OK, o, n);
    if (!strcmp(f, "api_key_name")) return out("\"ODD_API_KEY\"", QMT4J_OK, o, n);
    if (!strcmp(f, "config_schema")) return out("\"{\\\"type\\\":\\\"object\\\"}\"", QMT4J_OK, o, n);
    if (!strcmp(f, "list_models")) return out("[{\"id\":\"m1\"},\"m2\"]", QMT4J_OK, o, n);
    if (!strcmp(f, "embed")) return out("[[1.5,2],[3]]", QMT4J_OK, o, n);
    if (!strcmp(f, "complete")) return out("{not json", QMT4J_OK, o, n);
    if (!strcmp(f, "transcribe")) return out("{\"oops\":true}", QMT4J_STRUCTURED_ERROR, o, n);
    if (!strcmp(f, "speech")) return 5;
    if (!strcmp(f, "chat")) return QMT4J_OK;
    return QMT4J_UNKNOWN_FUNCTION;
}

QMT4J_EXPORT void qmt4j_free(uint8_t *ptr, size_t len) { (void)len; free(ptr); }
