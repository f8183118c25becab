/* Test fixture: a qmt4j plugin built for a future ABI version (999). */
#include "qmt4j_plugin.h"
#include <stdlib.h>

QMT4J_EXPORT uint32_t qmt4j_abi_version(void) { return 999; }

QMT4J_EXPORT int32_t qmt4j_call(const char *function, const uint8_t *input, size_t input_len, uint8_t **output,
                                size_t *output_len) {
    (void)function; (void)input; (void)input_len; (void)output; (void)output_len;
    return QMT4J_UNKNOWN_FUNCTION;
}

QMT4J_EXPORT void qmt4j_free(uint8_t *ptr, size_t len) { (void)len; free(ptr); }
