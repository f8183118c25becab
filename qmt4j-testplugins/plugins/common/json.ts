// json.ts: a small JSON DOM for the AssemblyScript test plugins (AssemblyScript has no JSON
// library). Objects keep their key order and numbers keep their source text, so
// parse + stringify reproduces compact JSON input byte for byte.
// AssemblyScript has no exceptions: parse() returns null and sets jsonError on bad input.

export const enum Kind { Null, Bool, Num, Str, Arr, Obj }

export let jsonError: string = "";

export class JValue {
  kind: Kind = Kind.Null;
  b: bool = false;
  raw: string = "";          // number: its source text
  s: string = "";            // string value
  // Allocated only for arrays / objects (a null reference otherwise, never dereferenced: every
  // accessor checks `kind` first). Saves three allocations per scalar node.
  arr: Array<JValue> = changetype<Array<JValue>>(0);   // array items
  keys: Array<string> = changetype<Array<string>>(0);  // object keys, in order
  vals: Array<JValue> = changetype<Array<JValue>>(0);  // object values

  static nul(): JValue { return new JValue(); }
  static bool(v: bool): JValue { const j = new JValue(); j.kind = Kind.Bool; j.b = v; return j; }
  static num(raw: string): JValue { const j = new JValue(); j.kind = Kind.Num; j.raw = raw; return j; }
  static int(v: i64): JValue { return JValue.num(v.toString()); }
  static str(v: string): JValue { const j = new JValue(); j.kind = Kind.Str; j.s = v; return j; }
  static array(): JValue { const j = new JValue(); j.kind = Kind.Arr; j.arr = []; return j; }
  static object(): JValue { const j = new JValue(); j.kind = Kind.Obj; j.keys = []; j.vals = []; return j; }

  isNull(): bool { return this.kind == Kind.Null; }
  isStr(): bool { return this.kind == Kind.Str; }
  isObj(): bool { return this.kind == Kind.Obj; }
  isArr(): bool { return this.kind == Kind.Arr; }
  isNum(): bool { return this.kind == Kind.Num; }

  /** Object member, or null if absent or not an object. */
  get(key: string): JValue | null {
    if (this.kind != Kind.Obj) return null;
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] == key) return this.vals[i];
    return null;
  }
  /** Object member as a string, or def if absent / not a string. */
  getStr(key: string, def: string): string {
    const v = this.get(key);
    if (v === null || v.kind != Kind.Str) return def;
    return v.s;
  }
  has(key: string): bool {
    const v = this.get(key);
    return v !== null && v.kind != Kind.Null;
  }
  set(key: string, v: JValue): JValue {
    if (this.kind != Kind.Obj) return this;
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] == key) { this.vals[i] = v; return this; }
    }
    this.keys.push(key); this.vals.push(v);
    return this;
  }
  push(v: JValue): JValue { if (this.kind == Kind.Arr) this.arr.push(v); return this; }
  asF64(): f64 { return this.kind == Kind.Num ? parseFloat(this.raw) : 0; }
  asI64(): i64 { return this.kind == Kind.Num ? <i64>parseFloat(this.raw) : 0; }

  stringify(): string {
    const w = new ByteWriter(256);
    writeValue(w, this);
    return w.toStringUtf8();
  }
  toBytes(): Uint8Array {
    const w = new ByteWriter(256);
    writeValue(w, this);
    return w.toBytes();
  }
}

// ---- writer ------------------------------------------------------------------------------------

export class ByteWriter {
  buf: Uint8Array;
  len: i32 = 0;
  constructor(cap: i32) { this.buf = new Uint8Array(cap); }
  private grow(extra: i32): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const nb = new Uint8Array(cap);
    memory.copy(nb.dataStart, this.buf.dataStart, <usize>this.len);
    this.buf = nb;
  }
  byte(b: i32): void { this.grow(1); unchecked(this.buf[this.len++] = <u8>b); }
  bytes(src: Uint8Array, start: i32, end: i32): void {
    const n = end - start;
    this.grow(n);
    memory.copy(this.buf.dataStart + <usize>this.len, src.dataStart + <usize>start, <usize>n);
    this.len += n;
  }
  ascii(s: string): void {
    this.grow(s.length);
    for (let i = 0; i < s.length; i++) unchecked(this.buf[this.len++] = <u8>s.charCodeAt(i));
  }
  utf8(s: string): void {
    const enc = Uint8Array.wrap(String.UTF8.encode(s));
    this.bytes(enc, 0, enc.length);
  }
  /** A fresh array (byteOffset 0) holding exactly the written bytes. */
  toBytes(): Uint8Array { return this.buf.slice(0, this.len); }
  toStringUtf8(): string { return String.UTF8.decodeUnsafe(this.buf.dataStart, <usize>this.len); }
}

const HEX = "0123456789abcdef";

export function writeString(w: ByteWriter, s: string): void {
  w.byte(0x22);
  let plainFrom = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c != 0x22 && c != 0x5c) continue;
    if (i > plainFrom) w.utf8(s.substring(plainFrom, i));
    plainFrom = i + 1;
    if (c == 0x22) w.ascii("\\\"");
    else if (c == 0x5c) w.ascii("\\\\");
    else if (c == 0x0a) w.ascii("\\n");
    else if (c == 0x0d) w.ascii("\\r");
    else if (c == 0x09) w.ascii("\\t");
    else if (c == 0x08) w.ascii("\\b");
    else if (c == 0x0c) w.ascii("\\f");
    else {
      w.ascii("\\u00");
      w.byte(HEX.charCodeAt(c >> 4));
      w.byte(HEX.charCodeAt(c & 15));
    }
  }
  if (plainFrom < s.length) {
    if (plainFrom == 0) w.utf8(s); else w.utf8(s.substring(plainFrom));
  }
  w.byte(0x22);
}

export function writeValue(w: ByteWriter, v: JValue): void {
  switch (v.kind) {
    case Kind.Null: w.ascii("null"); break;
    case Kind.Bool: w.ascii(v.b ? "true" : "false"); break;
    case Kind.Num: w.ascii(v.raw); break;
    case Kind.Str: writeString(w, v.s); break;
    case Kind.Arr: {
      w.byte(0x5b);
      for (let i = 0; i < v.arr.length; i++) {
        if (i > 0) w.byte(0x2c);
        writeValue(w, v.arr[i]);
      }
      w.byte(0x5d);
      break;
    }
    case Kind.Obj: {
      w.byte(0x7b);
      for (let i = 0; i < v.keys.length; i++) {
        if (i > 0) w.byte(0x2c);
        writeString(w, v.keys[i]);
        w.byte(0x3a);
        writeValue(w, v.vals[i]);
      }
      w.byte(0x7d);
      break;
    }
  }
}

// ---- parser ------------------------------------------------------------------------------------

class Parser {
  src: Uint8Array;
  pos: i32 = 0;
  failed: bool = false;
  constructor(src: Uint8Array) { this.src = src; }

  fail(msg: string): JValue | null {
    if (!this.failed) {
      this.failed = true;
      jsonError = msg + " at byte " + this.pos.toString();
    }
    return null;
  }
  ws(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = unchecked(s[this.pos]);
      if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) this.pos++; else break;
    }
  }
  lit(word: string): bool {
    if (this.pos + word.length > this.src.length) return false;
    for (let i = 0; i < word.length; i++) {
      if (<i32>this.src[this.pos + i] != word.charCodeAt(i)) return false;
    }
    this.pos += word.length;
    return true;
  }
  value(depth: i32): JValue | null {
    if (depth > 512) return this.fail("nesting too deep");
    this.ws();
    if (this.pos >= this.src.length) return this.fail("unexpected end of input");
    const c = unchecked(this.src[this.pos]);
    if (c == 0x7b) return this.object(depth);
    if (c == 0x5b) return this.array(depth);
    if (c == 0x22) {
      const s = this.string();
      if (s === null) return null;
      return JValue.str(s);
    }
    if (c == 0x74) { if (this.lit("true")) return JValue.bool(true); return this.fail("bad literal"); }
    if (c == 0x66) { if (this.lit("false")) return JValue.bool(false); return this.fail("bad literal"); }
    if (c == 0x6e) { if (this.lit("null")) return JValue.nul(); return this.fail("bad literal"); }
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    return this.fail("unexpected character");
  }
  number(): JValue | null {
    const s = this.src;
    const start = this.pos;
    if (s[this.pos] == 0x2d) this.pos++;
    let digits = 0;
    while (this.pos < s.length && s[this.pos] >= 0x30 && s[this.pos] <= 0x39) { this.pos++; digits++; }
    if (digits == 0) return this.fail("bad number");
    if (this.pos < s.length && s[this.pos] == 0x2e) {
      this.pos++;
      digits = 0;
      while (this.pos < s.length && s[this.pos] >= 0x30 && s[this.pos] <= 0x39) { this.pos++; digits++; }
      if (digits == 0) return this.fail("bad number");
    }
    if (this.pos < s.length && (s[this.pos] == 0x65 || s[this.pos] == 0x45)) {
      this.pos++;
      if (this.pos < s.length && (s[this.pos] == 0x2b || s[this.pos] == 0x2d)) this.pos++;
      digits = 0;
      while (this.pos < s.length && s[this.pos] >= 0x30 && s[this.pos] <= 0x39) { this.pos++; digits++; }
      if (digits == 0) return this.fail("bad number");
    }
    return JValue.num(String.UTF8.decodeUnsafe(s.dataStart + <usize>start, <usize>(this.pos - start)));
  }
  hex4(): i32 {
    if (this.pos + 4 > this.src.length) return -1;
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = <i32>this.src[this.pos + i];
      let d: i32;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
      else return -1;
      v = (v << 4) | d;
    }
    this.pos += 4;
    return v;
  }
  /** Parses a string starting at the opening quote; null on error. */
  string(): string | null {
    const s = this.src;
    this.pos++; // opening quote
    const start = this.pos;
    // fast path: no escapes
    while (this.pos < s.length) {
      const c = unchecked(s[this.pos]);
      if (c == 0x22) {
        const r = String.UTF8.decodeUnsafe(s.dataStart + <usize>start, <usize>(this.pos - start));
        this.pos++;
        return r;
      }
      if (c == 0x5c) break;
      if (c < 0x20) { this.fail("control character in string"); return null; }
      this.pos++;
    }
    const w = new ByteWriter(this.pos - start + 16);
    w.bytes(s, start, this.pos);
    while (this.pos < s.length) {
      const c = unchecked(s[this.pos]);
      if (c == 0x22) { this.pos++; return w.toStringUtf8(); }
      if (c < 0x20) { this.fail("control character in string"); return null; }
      if (c != 0x5c) { w.byte(c); this.pos++; continue; }
      this.pos++;
      if (this.pos >= s.length) break;
      const e = s[this.pos++];
      if (e == 0x22) w.byte(0x22);
      else if (e == 0x5c) w.byte(0x5c);
      else if (e == 0x2f) w.byte(0x2f);
      else if (e == 0x62) w.byte(0x08);
      else if (e == 0x66) w.byte(0x0c);
      else if (e == 0x6e) w.byte(0x0a);
      else if (e == 0x72) w.byte(0x0d);
      else if (e == 0x74) w.byte(0x09);
      else if (e == 0x75) {
        let cp = this.hex4();
        if (cp < 0) { this.fail("bad \\u escape"); return null; }
        if (cp >= 0xd800 && cp <= 0xdbff && this.pos + 6 <= s.length && s[this.pos] == 0x5c && s[this.pos + 1] == 0x75) {
          const save = this.pos;
          this.pos += 2;
          const lo = this.hex4();
          if (lo >= 0xdc00 && lo <= 0xdfff) cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          else this.pos = save;
        }
        if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // lone surrogate
        if (cp < 0x80) w.byte(cp);
        else if (cp < 0x800) { w.byte(0xc0 | (cp >> 6)); w.byte(0x80 | (cp & 63)); }
        else if (cp < 0x10000) { w.byte(0xe0 | (cp >> 12)); w.byte(0x80 | ((cp >> 6) & 63)); w.byte(0x80 | (cp & 63)); }
        else { w.byte(0xf0 | (cp >> 18)); w.byte(0x80 | ((cp >> 12) & 63)); w.byte(0x80 | ((cp >> 6) & 63)); w.byte(0x80 | (cp & 63)); }
      } else { this.fail("bad escape"); return null; }
    }
    this.fail("unterminated string");
    return null;
  }
  array(depth: i32): JValue | null {
    this.pos++;
    const a = JValue.array();
    this.ws();
    if (this.pos < this.src.length && this.src[this.pos] == 0x5d) { this.pos++; return a; }
    while (true) {
      const v = this.value(depth + 1);
      if (v === null) return null;
      a.arr.push(v);
      this.ws();
      if (this.pos >= this.src.length) return this.fail("unterminated array");
      const c = this.src[this.pos++];
      if (c == 0x2c) continue;
      if (c == 0x5d) return a;
      return this.fail("expected , or ]");
    }
  }
  object(depth: i32): JValue | null {
    this.pos++;
    const o = JValue.object();
    this.ws();
    if (this.pos < this.src.length && this.src[this.pos] == 0x7d) { this.pos++; return o; }
    while (true) {
      this.ws();
      if (this.pos >= this.src.length || this.src[this.pos] != 0x22) return this.fail("expected string key");
      const k = this.string();
      if (k === null) return null;
      this.ws();
      if (this.pos >= this.src.length || this.src[this.pos] != 0x3a) return this.fail("expected :");
      this.pos++;
      const v = this.value(depth + 1);
      if (v === null) return null;
      // duplicate keys: the last one wins (serde_json / JSON.parse behaviour)
      o.set(k, v);
      this.ws();
      if (this.pos >= this.src.length) return this.fail("unterminated object");
      const c = this.src[this.pos++];
      if (c == 0x2c) continue;
      if (c == 0x7d) return o;
      return this.fail("expected , or }");
    }
  }
}

/** Parses UTF-8 JSON bytes; null (and jsonError set) when invalid. */
export function parseBytes(src: Uint8Array): JValue | null {
  jsonError = "";
  const p = new Parser(src);
  const v = p.value(0);
  if (v === null) return null;
  p.ws();
  if (p.pos != src.length) { p.fail("trailing characters"); return null; }
  return v;
}

export function parse(s: string): JValue | null {
  return parseBytes(Uint8Array.wrap(String.UTF8.encode(s)));
}

/** JSON array of byte values, as serde_json writes a Vec<u8>. */
export function bytesToJsonArray(b: Uint8Array): JValue {
  const a = JValue.array();
  for (let i = 0; i < b.length; i++) a.arr.push(JValue.int(<i64>b[i]));
  return a;
}

/** Inverse of bytesToJsonArray; null if v is not an array of numbers 0..255. */
export function jsonArrayToBytes(v: JValue): Uint8Array | null {
  if (v.kind != Kind.Arr) return null;
  const out = new Uint8Array(v.arr.length);
  for (let i = 0; i < v.arr.length; i++) {
    const e = v.arr[i];
    if (e.kind != Kind.Num) return null;
    const n = e.asI64();
    if (n < 0 || n > 255) return null;
    out[i] = <u8>n;
  }
  return out;
}
