package dev.qmt4j.testplugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs plugin exports through Extism's JS SDK ({@code @extism/extism} in Node), by way of the
 * harness {@code js/call.mjs} that build.sh installs. For cross-checking qmt4j's host.
 */
public final class JsSdk {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final long TIMEOUT_SECONDS = 120;

  private JsSdk() {}

  /** The harness directory (system property {@code qmt4j.jsHarness}, else where build.sh put it). */
  public static Path harnessDir() {
    String prop = System.getProperty("qmt4j.jsHarness");
    if (prop != null && !prop.isBlank()) return Path.of(prop);
    try {
      return Path.of(new String(TestPlugins.resource("js-harness-dir.txt"), StandardCharsets.UTF_8).strip());
    } catch (IllegalArgumentException e) {
      return Path.of("qmt4j-testplugins", "js").toAbsolutePath();
    }
  }

  /** True when node runs and the harness with {@code @extism/extism} is installed. */
  public static boolean available() {
    Path dir = harnessDir();
    if (!Files.isRegularFile(dir.resolve("call.mjs"))
        || !Files.isDirectory(dir.resolve("node_modules/@extism/extism"))) {
      return false;
    }
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Calls {@code func} {@code loop} times on one JS SDK plugin instance; one result per call.
   *
   * @param allowedHosts null or empty: no HTTP; otherwise the JS SDK runs the plugin in a worker
   *     (needed for its synchronous http_request)
   * @throws IllegalStateException if the harness fails or the module does not load (message
   *     from the JS SDK)
   */
  public static List<JsResult> call(Path wasm, String func, byte[] input, Map<String, String> config,
      List<String> allowedHosts, boolean wasi, int loop) {
    List<String> cmd = new ArrayList<>(List.of("node", "--no-warnings",
        harnessDir().resolve("call.mjs").toString(), "--wasm", wasm.toAbsolutePath().toString(),
        "--func", func, "--loop", Integer.toString(loop)));
    return run(cmd, input, config, allowedHosts, wasi, loop);
  }

  /** Convenience: one call. */
  public static JsResult call(Path wasm, String func, byte[] input) {
    return call(wasm, func, input, Map.of(), List.of(), false, 1).get(0);
  }

  /**
   * Benchmark mode: {@code calls} calls on one instance after one warm-up call; returns calls
   * per second as the JS SDK measured it (in-process, excluding Node start-up).
   */
  public static double benchCallsPerSecond(Path wasm, String func, byte[] input, int calls) {
    List<String> cmd = new ArrayList<>(List.of("node", "--no-warnings",
        harnessDir().resolve("call.mjs").toString(), "--wasm", wasm.toAbsolutePath().toString(),
        "--func", func, "--bench", Integer.toString(calls)));
    JsonNode n = runRaw(cmd, input, Map.of(), List.of(), false).get(0);
    if (!n.path("ok").asBoolean(false)) throw new IllegalStateException("JS SDK bench failed: " + n);
    return n.path("calls_per_second").asDouble();
  }

  private static List<JsResult> run(List<String> cmd, byte[] input, Map<String, String> config,
      List<String> allowedHosts, boolean wasi, int loop) {
    List<JsResult> results = new ArrayList<>();
    for (JsonNode n : runRaw(cmd, input, config, allowedHosts, wasi)) {
      List<String> logs = new ArrayList<>();
      for (JsonNode l : n.path("logs")) logs.add(l.path("level").asString() + ": " + l.path("message").asString());
      if (n.path("ok").asBoolean(false)) {
        results.add(new JsResult(true, Base64.getDecoder().decode(n.path("output_base64").asString()), null, logs));
      } else {
        results.add(new JsResult(false, new byte[0], n.path("error").asString(), logs));
      }
    }
    if (results.size() != loop) throw new IllegalStateException("JS SDK harness: expected " + loop + " results, got " + results);
    return results;
  }

  private static List<JsonNode> runRaw(List<String> cmd, byte[] input, Map<String, String> config,
      List<String> allowedHosts, boolean wasi) {
    Path in = null;
    try {
      in = Files.createTempFile("qmt4j-js-input-", ".bin");
      Files.write(in, input == null ? new byte[0] : input);
      cmd.add("--input-file");
      cmd.add(in.toString());
      if (config != null && !config.isEmpty()) {
        cmd.add("--config");
        cmd.add(JSON.writeValueAsString(config));
      }
      if (allowedHosts != null && !allowedHosts.isEmpty()) {
        cmd.add("--allowed-hosts");
        cmd.add(JSON.writeValueAsString(allowedHosts));
      }
      if (wasi) cmd.add("--wasi");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(harnessDir().toFile());
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      byte[] out;
      try (InputStream s = p.getInputStream()) {
        out = s.readAllBytes();
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("JS SDK harness timed out: " + cmd);
      }
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) continue;
        JsonNode n = JSON.readTree(line);
        if (n.path("load").asBoolean(false) || n.path("usage").asBoolean(false)) {
          throw new IllegalStateException("JS SDK could not load the plugin: " + n.path("error").asString());
        }
        nodes.add(n);
      }
      if (p.exitValue() != 0 && nodes.isEmpty()) {
        throw new IllegalStateException("JS SDK harness exited with " + p.exitValue() + ": " + cmd);
      }
      return nodes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (in != null) {
        try {
          Files.deleteIfExists(in);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }
}
