package dev.qmt4j.testplugins;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One call's result from Extism's JS SDK.
 *
 * @param ok whether the call succeeded
 * @param output the output bytes (empty on failure)
 * @param error the JS SDK's error message (null on success); plugin errors come as
 *     "Plugin-originated error: MESSAGE", traps as the V8 message (e.g. "unreachable")
 * @param logs log lines the plugin emitted during the call, as "level: message"
 */
public record JsResult(boolean ok, byte[] output, String error, List<String> logs) {
  public String outputText() {
    return new String(output, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return ok ? "JsResult[ok, output=" + outputText() + "]" : "JsResult[error=" + error + "]";
  }
}
