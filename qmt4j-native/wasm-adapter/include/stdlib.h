/*
 * The few <stdlib.h> functions a qmt4j native provider may use when built for Wasm with
 * wasm-adapter/ (no libc on wasm32-unknown-unknown). Implemented in minilibc.c.
 */
#ifndef QMT4J_WASM_STDLIB_H
#define QMT4J_WASM_STDLIB_H

#include <stddef.h>

void *malloc(size_t n);
void *calloc(size_t count, size_t n);
void *realloc(void *p, size_t n);
void free(void *p);

#endif
