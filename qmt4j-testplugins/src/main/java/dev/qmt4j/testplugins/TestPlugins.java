package dev.qmt4j.testplugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test plugins built from source by {@code build.sh} (see the module README), found on the
 * classpath as {@code /testplugins/<name>.wasm}.
 */
public final class TestPlugins {
  /** Names of the plugins (see README.md for their exports). */
  public static final String KITCHEN_SINK = "kitchen-sink";
  public static final String QMT_OPENAI = "qmt-openai";
  public static final String QMT_LEGACY = "qmt-legacy";
  public static final String QMT_STRICT = "qmt-strict";
  public static final String QMT_HOSTILE = "qmt-hostile";
  public static final String QMT_STRICT_SCHEMA = "qmt-strict-schema";
  public static final String KERNEL_EDGE = "kernel-edge";
  public static final String LEGACY_ENV = "legacy-env";
  public static final String START_ONLY = "start-only";
  public static final String CTORS_INIT = "ctors-init";
  public static final String BAD_IMPORT = "bad-import";
  public static final String USER_HOST_FN = "user-host-fn";
  public static final String WASI_ENV = "wasi-env";

  static final String DIR = "/testplugins/";
  private static final Map<String, Path> PATHS = new ConcurrentHashMap<>();

  private TestPlugins() {}

  /** Every plugin name the build produced, sorted. */
  public static List<String> names() {
    String index = new String(resource("index.txt"), StandardCharsets.UTF_8);
    List<String> names = new ArrayList<>();
    for (String line : index.split("\n")) {
      if (!line.isBlank()) names.add(line.strip());
    }
    Collections.sort(names);
    return List.copyOf(names);
  }

  /** The module's bytes. */
  public static byte[] bytes(String name) {
    return resource(name + ".wasm");
  }

  /**
   * A file holding the module: the build output itself when the classpath entry is a
   * directory, otherwise a temporary copy (deleted on exit).
   */
  public static Path path(String name) {
    return PATHS.computeIfAbsent(name, n -> {
      URL url = TestPlugins.class.getResource(DIR + n + ".wasm");
      if (url == null) throw new IllegalArgumentException("no test plugin named " + n + "; have " + names());
      try {
        if ("file".equals(url.getProtocol())) return Path.of(url.toURI());
        Path tmp = Files.createTempFile("qmt4j-testplugin-" + n + "-", ".wasm");
        tmp.toFile().deleteOnExit();
        Files.write(tmp, bytes(n));
        return tmp;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /**
   * A deterministic compact JSON document of at least {@code minBytes} bytes (and less than
   * {@code minBytes + 200}): {"items":[{"id":0,"name":"item 0 é","tags":[...],"score":...,
   * "ok":true,"nested":{"x":0,"y":null}},...]}. kitchen-sink's json_roundtrip returns it unchanged.
   */
  public static byte[] sampleJson(int minBytes) {
    StringBuilder sb = new StringBuilder("{\"items\":[");
    long seed = 42;
    for (int i = 0; ; i++) {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      long frac = (seed >>> 33) % 1_000_000;
      if (i > 0) sb.append(',');
      sb.append("{\"id\":").append(i)
          .append(",\"name\":\"item ").append(i).append(" \u00e9\\\"q\\\"\"")
          .append(",\"tags\":[\"a\",\"b\",\"c\"],\"score\":0.").append(String.format("%06d", frac))
          .append(",\"ok\":").append(i % 2 == 0)
          .append(",\"nested\":{\"x\":").append(i).append(",\"y\":null}}");
      if (sb.toString().getBytes(StandardCharsets.UTF_8).length + 2 >= minBytes) break;
    }
    sb.append("]}");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] resource(String file) {
    try (InputStream in = TestPlugins.class.getResourceAsStream(DIR + file)) {
      if (in == null) {
        throw new IllegalArgumentException("test plugin resource " + DIR + file
            + " not found: was qmt4j-testplugins built (its build.sh runs in generate-resources)?");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
