/*
 * minilibc.c -- the libc subset of include/stdlib.h and include/string.h for a qmt4j native
 * provider built as a freestanding wasm32 module (clang --target=wasm32-unknown-unknown, no libc).
 *
 * The allocator hands out power-of-two blocks (16 bytes .. 2 GiB, an 8-byte header included) from
 * the linear memory above __heap_base, growing it with memory.grow; a freed block goes on the free
 * list of its size and is reused first. Extism keeps a plugin instance (and its memory) across
 * calls, so everything a call frees must be reusable by the next one; size classes keep that
 * bounded without coalescing. Single-threaded, as every Wasm instance is.
 */
#include <stddef.h>
#include <stdint.h>

#include "stdlib.h"
#include "string.h"

#define HEADER 8u      /* keeps payloads 8-byte aligned */
#define MIN_CLASS 4u   /* 16-byte blocks */
#define MAX_CLASS 31u  /* 2 GiB blocks */
#define PAGE 65536u

extern unsigned char __heap_base; /* first free byte after the data and the stack (wasm-ld) */

static uintptr_t heap_top;                 /* the bump pointer; 0 until the first malloc */
static void *free_lists[MAX_CLASS + 1];    /* one singly linked list per class */

static unsigned class_for(size_t n) {
    if (n > ((size_t)1 << MAX_CLASS) - HEADER) return 0;
    size_t need = n + HEADER;
    unsigned k = MIN_CLASS;
    while (((size_t)1 << k) < need) k++;
    return k;
}

/* A fresh block of 2^k bytes from the top of the heap, growing memory as needed; 0 if impossible. */
static uintptr_t carve(unsigned k) {
    if (heap_top == 0) heap_top = ((uintptr_t)&__heap_base + 7u) & ~(uintptr_t)7u;
    size_t size = (size_t)1 << k;
    uintptr_t end = heap_top + size;
    if (end < heap_top) return 0;
    size_t have = __builtin_wasm_memory_size(0) * (size_t)PAGE;
    if (end > have) {
        size_t pages = (end - have + PAGE - 1) / PAGE;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 0;
    }
    uintptr_t block = heap_top;
    heap_top = end;
    return block;
}

void *malloc(size_t n) {
    unsigned k = class_for(n == 0 ? 1 : n);
    if (k == 0) return NULL;
    uintptr_t block;
    if (free_lists[k]) {
        block = (uintptr_t)free_lists[k] - HEADER;
        free_lists[k] = *(void **)free_lists[k];
    } else {
        block = carve(k);
        if (block == 0) return NULL;
    }
    *(uint32_t *)block = k;
    return (void *)(block + HEADER);
}

void free(void *p) {
    if (!p) return;
    unsigned k = *(uint32_t *)((uintptr_t)p - HEADER);
    *(void **)p = free_lists[k];
    free_lists[k] = p;
}

void *realloc(void *p, size_t n) {
    if (!p) return malloc(n);
    unsigned k = *(uint32_t *)((uintptr_t)p - HEADER);
    size_t capacity = ((size_t)1 << k) - HEADER;
    if (n <= capacity) return p;
    void *q = malloc(n);
    if (!q) return NULL; /* p stays valid, as C requires */
    memcpy(q, p, capacity);
    free(p);
    return q;
}

void *calloc(size_t count, size_t n) {
    if (n != 0 && count > (size_t)-1 / n) return NULL;
    void *p = malloc(count * n);
    if (p) memset(p, 0, count * n);
    return p;
}

/* -ffreestanding keeps clang from turning these loops back into calls to themselves. */

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        while (n--) d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y) return *x - *y;
    return 0;
}

size_t strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
    for (; n; n--, a++, b++) {
        if (*a != *b) return (unsigned char)*a - (unsigned char)*b;
        if (!*a) return 0;
    }
    return 0;
}

char *strchr(const char *s, int c) {
    for (;; s++) {
        if (*s == (char)c) return (char *)s;
        if (!*s) return NULL;
    }
}
