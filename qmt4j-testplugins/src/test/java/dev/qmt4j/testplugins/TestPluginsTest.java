package dev.qmt4j.testplugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestPluginsTest {
  static final Map<String, List<String>> EXPECTED_EXPORTS = Map.of(
      TestPlugins.KITCHEN_SINK, List.of("echo", "reverse", "count_vowels", "config_get", "var_counter",
          "var_set", "var_get", "var_fill", "fail", "fail_rc0", "rc", "trap", "panic", "infinite_loop",
          "memory_bomb", "alloc_bomb", "http_get", "http_raw", "log_all", "big_output", "input_size",
          "no_output", "json_roundtrip", "memory"),
      TestPlugins.QMT_OPENAI, List.of("name", "base_url", "api_key_name", "config_schema", "from_config",
          "supports_streaming", "init_logging", "list_models_request", "parse_list_models_response",
          "chat_request", "chat_stream_request", "parse_chat_response", "chat_stream_parser_start",
          "chat_stream_parser_parse", "chat_stream_parser_finish", "chat_stream_parser_close",
          "embed_request", "parse_embed_response"),
      TestPlugins.QMT_LEGACY, List.of("name", "chat", "list_models", "init_logging"),
      TestPlugins.KERNEL_EDGE, List.of("alloc_zero", "length_edges", "load_store_edges", "input_edges",
          "free_input", "output_interior", "output_keep", "output_freed", "double_free", "error_freed",
          "builtin_edges", "void_export", "two_results", "with_param"),
      TestPlugins.LEGACY_ENV, List.of("echo", "greeting", "fail"),
      TestPlugins.START_ONLY, List.of("_start", "_initialize", "probe"),
      TestPlugins.CTORS_INIT, List.of("__wasm_call_ctors", "_initialize", "probe"),
      TestPlugins.BAD_IMPORT, List.of("run"),
      TestPlugins.USER_HOST_FN, List.of("call_hello"),
      TestPlugins.WASI_ENV, List.of("env_count", "env_get", "read_file", "args_count"));

  @Test
  void everyExpectedPluginIsBuiltAndValid() throws Exception {
    assertTrue(TestPlugins.names().containsAll(EXPECTED_EXPORTS.keySet()), () -> "built: " + TestPlugins.names());
    for (var e : EXPECTED_EXPORTS.entrySet()) {
      byte[] wasm = TestPlugins.bytes(e.getKey());
      WasmExports w = WasmExports.read(wasm);
      assertTrue(w.exports.containsAll(e.getValue()),
          () -> e.getKey() + " exports " + w.exports + ", expected " + e.getValue());
      assertArrayEquals(wasm, Files.readAllBytes(TestPlugins.path(e.getKey())));
    }
  }

  @Test
  void importsAreWhatEachPluginIsFor() {
    WasmExports legacy = WasmExports.read(TestPlugins.bytes(TestPlugins.LEGACY_ENV));
    assertTrue(legacy.imports.stream().allMatch(i -> i.startsWith("env.extism_")), legacy.imports::toString);
    WasmExports wasi = WasmExports.read(TestPlugins.bytes(TestPlugins.WASI_ENV));
    assertTrue(wasi.imports.contains("wasi_snapshot_preview1.environ_get"), wasi.imports::toString);
    WasmExports ks = WasmExports.read(TestPlugins.bytes(TestPlugins.KITCHEN_SINK));
    assertFalse(ks.imports.contains("env.abort"), "AssemblyScript abort must be routed to Extism");
    assertTrue(ks.imports.stream().allMatch(i -> i.startsWith("extism:host/env.")), ks.imports::toString);
    WasmExports kernel = WasmExports.read(TestPlugins.bytes(TestPlugins.KERNEL_EDGE));
    assertTrue(kernel.imports.size() >= 20, kernel.imports::toString);
    WasmExports legacyQmt = WasmExports.read(TestPlugins.bytes(TestPlugins.QMT_LEGACY));
    assertTrue(legacyQmt.imports.contains("extism:host/user.qmt_http_request"), legacyQmt.imports::toString);
    WasmExports strict = WasmExports.read(TestPlugins.bytes(TestPlugins.QMT_STRICT));
    assertTrue(strict.imports.contains("extism:host/user.qmt_yield_chunk"), strict.imports::toString);
    assertTrue(strict.exports.containsAll(List.of("name", "config_schema", "from_config", "supports_streaming",
        "list_models", "chat", "chat_stream")), strict.exports::toString);
  }

  @Test
  void jsSdkEchoesTheInput() {
    if (!JsSdk.available()) {
      throw new AssertionError("JS SDK harness not available at " + JsSdk.harnessDir() + " (node missing?)");
    }
    byte[] input = "héllo, wörld \u0000\u00ff".getBytes(StandardCharsets.UTF_8);
    List<JsResult> r = JsSdk.call(TestPlugins.path(TestPlugins.KITCHEN_SINK), "echo", input, Map.of(), List.of(), false, 2);
    assertEquals(2, r.size());
    for (JsResult x : r) {
      assertTrue(x.ok(), x::toString);
      assertArrayEquals(input, x.output());
    }
    List<JsResult> counter = JsSdk.call(TestPlugins.path(TestPlugins.KITCHEN_SINK), "var_counter", new byte[0], Map.of(), List.of(), false, 3);
    assertEquals(List.of("1", "2", "3"), counter.stream().map(JsResult::outputText).toList());
    JsResult fail = JsSdk.call(TestPlugins.path(TestPlugins.KITCHEN_SINK), "fail", new byte[0]);
    assertFalse(fail.ok());
    assertTrue(fail.error().contains("kitchen-sink: deliberate failure"), fail::toString);
  }

  @Test
  void sampleJsonRoundTripsThroughTheJsSdk() {
    byte[] json = TestPlugins.sampleJson(64 * 1024);
    assertTrue(json.length >= 64 * 1024 && json.length < 64 * 1024 + 200, () -> "size " + json.length);
    if (!JsSdk.available()) throw new AssertionError("JS SDK harness not available");
    JsResult r = JsSdk.call(TestPlugins.path(TestPlugins.KITCHEN_SINK), "json_roundtrip", json);
    assertTrue(r.ok(), r::toString);
    assertArrayEquals(json, r.output());
  }
}
