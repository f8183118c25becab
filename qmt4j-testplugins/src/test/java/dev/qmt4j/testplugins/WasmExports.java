package dev.qmt4j.testplugins;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/** A tiny reader of a Wasm binary's import and export names (enough to check the build output). */
final class WasmExports {
  final List<String> exports = new ArrayList<>();
  final List<String> imports = new ArrayList<>(); // "module.name"

  static WasmExports read(byte[] wasm) {
    if (wasm.length < 8 || wasm[0] != 0 || wasm[1] != 'a' || wasm[2] != 's' || wasm[3] != 'm'
        || wasm[4] != 1 || wasm[5] != 0 || wasm[6] != 0 || wasm[7] != 0) {
      throw new IllegalArgumentException("not a Wasm 1.0 binary (bad magic/version)");
    }
    WasmExports w = new WasmExports();
    ByteArrayInputStream in = new ByteArrayInputStream(wasm, 8, wasm.length - 8);
    while (in.available() > 0) {
      int id = in.read();
      int size = (int) leb(in);
      byte[] body = take(in, size);
      if (body.length != size) throw new IllegalArgumentException("truncated section " + id);
      ByteArrayInputStream s = new ByteArrayInputStream(body);
      if (id == 2) {
        long n = leb(s);
        for (long i = 0; i < n; i++) {
          String mod = name(s);
          String nm = name(s);
          int kind = s.read();
          switch (kind) {
            case 0 -> leb(s);
            case 1 -> { s.read(); limits(s); }
            case 2 -> limits(s);
            case 3 -> { s.read(); s.read(); }
            default -> throw new IllegalArgumentException("bad import kind " + kind);
          }
          w.imports.add(mod + "." + nm);
        }
      } else if (id == 7) {
        long n = leb(s);
        for (long i = 0; i < n; i++) {
          w.exports.add(name(s));
          s.read();
          leb(s);
        }
      }
    }
    return w;
  }

  private static void limits(ByteArrayInputStream s) {
    int flag = s.read();
    leb(s);
    if ((flag & 1) != 0) leb(s);
  }

  private static String name(ByteArrayInputStream s) {
    int len = (int) leb(s);
    return new String(take(s, len), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] take(ByteArrayInputStream s, int n) {
    byte[] b = new byte[Math.min(n, s.available())];
    int got = s.read(b, 0, b.length);
    return got == b.length ? b : java.util.Arrays.copyOf(b, Math.max(got, 0));
  }

  private static long leb(ByteArrayInputStream s) {
    long result = 0;
    int shift = 0;
    while (true) {
      int b = s.read();
      if (b < 0) throw new IllegalArgumentException("truncated LEB128");
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) return result;
      shift += 7;
    }
  }
}
