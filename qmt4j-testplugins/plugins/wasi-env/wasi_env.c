/*
 * wasi-env.c: an Extism plugin in C (no libc) that imports WASI preview 1 by hand, to check
 * that the host's sandbox shows a plugin no environment and no files unless allowed.
 * Needs WASI enabled (the reference and the JS SDK refuse to link it otherwise).
 *
 * Exports (all () -> i32; output is JSON):
 *   env_count  -> {"errno":E,"count":N,"bytes":B}         environ_sizes_get; expected count 0
 *   env_get    input NAME -> {"found":false} or {"found":true,"value":"..."}  (scans environ_get)
 *   read_file  input PATH -> {"ok":true,"content":"..."} or {"ok":false,"errno":E,"preopens":K}
 *              PATH is resolved against the pre-opened directories (allowed_paths); with none,
 *              the result is {"ok":false,"errno":44,"preopens":0} (44 = WASI noent: no dir matched).
 *   args_count -> {"errno":E,"count":N}                    args_sizes_get; expected 0
 */
#include <stdint.h>
#include <stddef.h>

#define EXTISM(n) __attribute__((import_module("extism:host/env"), import_name(n)))
#define WASI(n)   __attribute__((import_module("wasi_snapshot_preview1"), import_name(n)))
#define EXPORT(n) __attribute__((export_name(n)))

EXTISM("input_length")  extern uint64_t x_input_length(void);
EXTISM("input_load_u8") extern uint32_t x_input_load_u8(uint64_t off);
EXTISM("alloc")         extern uint64_t x_alloc(uint64_t n);
EXTISM("store_u8")      extern void     x_store_u8(uint64_t addr, uint32_t b);
EXTISM("output_set")    extern void     x_output_set(uint64_t addr, uint64_t len);

WASI("environ_sizes_get")   extern int32_t w_environ_sizes_get(uint32_t *count, uint32_t *size);
WASI("environ_get")         extern int32_t w_environ_get(uint8_t **environ, uint8_t *buf);
WASI("args_sizes_get")      extern int32_t w_args_sizes_get(uint32_t *count, uint32_t *size);
WASI("fd_prestat_get")      extern int32_t w_fd_prestat_get(int32_t fd, uint8_t *prestat);
WASI("fd_prestat_dir_name") extern int32_t w_fd_prestat_dir_name(int32_t fd, uint8_t *path, uint32_t len);
WASI("path_open")           extern int32_t w_path_open(int32_t dirfd, uint32_t dirflags, const uint8_t *path,
                                                       uint32_t path_len, uint32_t oflags, uint64_t rights_base,
                                                       uint64_t rights_inheriting, uint32_t fdflags, int32_t *fd);
WASI("fd_read")             extern int32_t w_fd_read(int32_t fd, const void *iovs, uint32_t iovs_len, uint32_t *nread);
WASI("fd_close")            extern int32_t w_fd_close(int32_t fd);

#define BUF 65536
static uint8_t input[4096];
static uint32_t input_len;
static uint8_t out[BUF];
static uint32_t out_len;
static uint8_t scratch[BUF];
static uint8_t *env_ptrs[1024];

static void read_input(void) {
    uint64_t n = x_input_length();
    if (n > sizeof(input)) n = sizeof(input);
    for (uint64_t i = 0; i < n; i++) input[i] = (uint8_t)x_input_load_u8(i);
    input_len = (uint32_t)n;
}
static void put(uint8_t c) { if (out_len < BUF) out[out_len++] = c; }
static void puts_(const char *s) { while (*s) put((uint8_t)*s++); }
static void putnum(int64_t v) {
    char tmp[24]; int n = 0;
    if (v < 0) { put('-'); v = -v; }
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) put((uint8_t)tmp[--n]);
}
static void putjstr(const uint8_t *s, uint32_t len) {
    static const char hex[] = "0123456789abcdef";
    put('"');
    for (uint32_t i = 0; i < len; i++) {
        uint8_t c = s[i];
        if (c == '"' || c == '\\') { put('\\'); put(c); }
        else if (c < 0x20) { puts_("\\u00"); put((uint8_t)hex[c >> 4]); put((uint8_t)hex[c & 15]); }
        else put(c);
    }
    put('"');
}
static int32_t flush(void) {
    uint64_t h = x_alloc(out_len);
    for (uint32_t i = 0; i < out_len; i++) x_store_u8(h + i, out[i]);
    x_output_set(h, out_len);
    out_len = 0;
    return 0;
}

EXPORT("env_count") int32_t env_count(void) {
    uint32_t count = 0, size = 0;
    int32_t e = w_environ_sizes_get(&count, &size);
    puts_("{\"errno\":"); putnum(e);
    puts_(",\"count\":"); putnum(count);
    puts_(",\"bytes\":"); putnum(size); put('}');
    return flush();
}

EXPORT("args_count") int32_t args_count(void) {
    uint32_t count = 0, size = 0;
    int32_t e = w_args_sizes_get(&count, &size);
    puts_("{\"errno\":"); putnum(e);
    puts_(",\"count\":"); putnum(count); put('}');
    return flush();
}

EXPORT("env_get") int32_t env_get(void) {
    read_input();
    uint32_t count = 0, size = 0;
    if (w_environ_sizes_get(&count, &size) == 0 && count <= 1024 && size <= BUF &&
        w_environ_get(env_ptrs, scratch) == 0) {
        for (uint32_t i = 0; i < count; i++) {
            const uint8_t *kv = env_ptrs[i];
            uint32_t k = 0;
            while (k < input_len && kv[k] == input[k]) k++;
            if (k == input_len && kv[k] == '=') {
                const uint8_t *v = kv + k + 1;
                uint32_t vl = 0;
                while (v[vl]) vl++;
                puts_("{\"found\":true,\"value\":"); putjstr(v, vl); put('}');
                return flush();
            }
        }
    }
    puts_("{\"found\":false}");
    return flush();
}

EXPORT("read_file") int32_t read_file(void) {
    read_input();
    int preopens = 0;
    int32_t err = 44; /* noent: no pre-opened directory matched */
    for (int32_t fd = 3; fd < 64; fd++) {
        uint8_t prestat[8];
        if (w_fd_prestat_get(fd, prestat) != 0) break;
        preopens++;
        uint32_t nlen = (uint32_t)prestat[4] | ((uint32_t)prestat[5] << 8) |
                        ((uint32_t)prestat[6] << 16) | ((uint32_t)prestat[7] << 24);
        if (prestat[0] != 0 || nlen >= sizeof(scratch)) continue;
        if (w_fd_prestat_dir_name(fd, scratch, nlen) != 0) continue;
        while (nlen > 1 && scratch[nlen - 1] == '/') nlen--;
        /* does the input path start with this directory? */
        if (input_len <= nlen) continue;
        uint32_t k = 0;
        while (k < nlen && scratch[k] == input[k]) k++;
        if (k < nlen) continue;
        uint32_t rel = nlen;
        if (!(nlen == 1 && scratch[0] == '/')) {
            if (input[rel] != '/') continue;
        }
        while (rel < input_len && input[rel] == '/') rel++;
        int32_t file = -1;
        /* rights: fd_read (1 << 1) */
        err = w_path_open(fd, 1, input + rel, input_len - rel, 0, 2, 0, 0, &file);
        if (err != 0) continue;
        uint32_t total = 0;
        for (;;) {
            struct { uint8_t *buf; uint32_t len; } iov = { scratch + total, (uint32_t)sizeof(scratch) - total };
            uint32_t n = 0;
            err = w_fd_read(file, &iov, 1, &n);
            if (err != 0 || n == 0) break;
            total += n;
            if (total >= sizeof(scratch)) break;
        }
        w_fd_close(file);
        if (err != 0) break;
        puts_("{\"ok\":true,\"content\":"); putjstr(scratch, total); put('}');
        return flush();
    }
    puts_("{\"ok\":false,\"errno\":"); putnum(err);
    puts_(",\"preopens\":"); putnum(preopens); put('}');
    return flush();
}
