/*
 * The few <string.h> functions a qmt4j native provider may use when built for Wasm with
 * wasm-adapter/ (no libc on wasm32-unknown-unknown). Implemented in minilibc.c.
 */
#ifndef QMT4J_WASM_STRING_H
#define QMT4J_WASM_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif
