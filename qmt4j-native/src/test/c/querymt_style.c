/* Test fixture: looks like a QueryMT native plugin (Rust trait-object ABI): exports plugin_factory only. */
#include <stddef.h>

__attribute__((visibility("default"))) void *plugin_factory(void) { return NULL; }
__attribute__((visibility("default"))) void *plugin_http_factory(void) { return NULL; }
