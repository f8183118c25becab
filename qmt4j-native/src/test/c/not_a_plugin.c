/* Test fixture: a shared library that is no plugin at all. */
__attribute__((visibility("default"))) int some_function(int x) { return x + 1; }
