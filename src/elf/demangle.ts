/**
 * Rust symbol demangling, written here (no maintained npm package does both schemes). It follows the behaviour of
 * the reference implementation, the `rustc-demangle` crate, in its "alternate" form — the one `rustfilt` prints:
 * legacy symbols lose their `::h<hash>`, v0 symbols lose their crate disambiguators and typed-integer suffixes.
 * Anything that is not a valid Rust symbol (C, C++, a corrupt name) is returned unchanged.
 *
 *   legacy: `_ZN4core3fmt5write17h0123456789abcdefE`         → `core::fmt::write`
 *   v0:     `_RNvCs1234_7mycrate3foo`                        → `mycrate::foo`
 */

/** Longest demangled output by default (rustc-demangle's); nested back-references could otherwise expand exponentially. */
const MAX_OUTPUT = 1_000_000;
/**
 * What `verify` and `size` let one name cost: a name longer than this is not worth showing, and a file of
 * thousands of exponential back-reference names must not take minutes. Output past it reads `{size limit reached}`.
 */
export const DISPLAY_LIMIT = 16 * 1024;
/** Nesting limit of the v0 grammar, as in rustc-demangle: the parser recurses, the stack must stay small. */
const MAX_DEPTH = 500;

export interface DemangleOptions {
  /** Longest output, in characters (default 1,000,000, as rustc-demangle); the parser's steps are bounded by it too. */
  maxOutput?: number;
}

export function demangle(symbol: string, opts: DemangleOptions = {}): string {
  const limit = opts.maxOutput ?? MAX_OUTPUT;
  let s = symbol;
  // ThinLTO renames internal symbols to `<name>.llvm.<hex>`; that suffix is the last mangling applied, strip it first.
  const llvm = s.indexOf(".llvm.");
  if (llvm >= 0 && /^[A-F0-9@]*$/.test(s.slice(llvm + 6))) s = s.slice(0, llvm);

  let out: string | undefined;
  let suffix = "";
  const legacy = parseLegacy(s);
  if (legacy) {
    suffix = legacy.suffix;
    out = "";
  } else {
    const v0 = parseV0(s);
    if (v0) {
      suffix = v0.suffix;
      out = "";
    }
  }
  // Not a Rust symbol: shown as it is (without a ThinLTO suffix, as rustc-demangle does).
  if (out === undefined) return s;
  // Extra words after the symbol (`.cold`, `.constprop.0`) are kept; anything else means it was not a symbol.
  if (suffix !== "" && !(suffix.startsWith(".") && /^[\x21-\x7e]*$/.test(suffix))) return symbol;
  try {
    out = legacy ? printLegacy(legacy.inner, legacy.elements, limit) : printV0(s, limit);
  } catch (err) {
    if (err instanceof SizeLimit) out = "{size limit reached}";
    else throw err;
  }
  return out + suffix;
}

/** The demangled name as tables show it: without the legacy mangling's `::h<hash>` (what `size`'s tree and `stack` print). */
export function displayName(symbol: string): string {
  return demangle(symbol, { maxOutput: DISPLAY_LIMIT }).replace(/::h[0-9a-f]{16}$/, "");
}

/** Is this a Rust symbol our demangler understands (legacy or v0)? */
export function isRustSymbol(symbol: string): boolean {
  return demangle(symbol) !== symbol;
}

class SizeLimit extends Error {}

// ---------------------------------------------------------------------------------------------------------------
// Legacy: `_ZN` { <decimal length> <identifier> } `E`, identifiers with `$LT$`-style escapes, last one the hash.

function parseLegacy(s: string): { inner: string; elements: number; suffix: string } | undefined {
  let inner: string;
  if (s.startsWith("_ZN")) inner = s.slice(3);
  else if (s.startsWith("ZN")) inner = s.slice(2);
  else if (s.startsWith("__ZN")) inner = s.slice(4);
  else return undefined;
  if (!/^[\x00-\x7f]*$/.test(inner)) return undefined;
  let elements = 0;
  let i = 0;
  if (i >= inner.length) return undefined;
  while (inner[i] !== "E") {
    if (!isDigit(inner[i])) return undefined;
    let len = 0;
    while (i < inner.length && isDigit(inner[i])) {
      len = len * 10 + (inner.charCodeAt(i) - 48);
      if (len > inner.length) return undefined;
      i++;
    }
    // The identifier's characters, then the character after it must exist.
    i += len;
    if (i >= inner.length) return undefined;
    elements++;
  }
  return { inner, elements, suffix: inner.slice(i + 1) };
}

const LEGACY_ESCAPES: Record<string, string> = { SP: "@", BP: "*", RF: "&", LT: "<", GT: ">", LP: "(", RP: ")", C: "," };

function printLegacy(innerIn: string, elements: number, limit: number): string {
  const out = new Output(limit);
  let inner = innerIn;
  for (let element = 0; element < elements; element++) {
    let d = 0;
    while (isDigit(inner[d])) d++;
    const len = Number(inner.slice(0, d));
    let rest = inner.slice(d, d + len);
    inner = inner.slice(d + len);
    if (element + 1 === elements && isRustHash(rest)) break;
    if (element !== 0) out.push("::");
    if (rest.startsWith("_$")) rest = rest.slice(1);
    for (;;) {
      if (rest.startsWith(".")) {
        if (rest[1] === ".") {
          out.push("::");
          rest = rest.slice(2);
        } else {
          out.push(".");
          rest = rest.slice(1);
        }
      } else if (rest.startsWith("$")) {
        const end = rest.indexOf("$", 1);
        if (end < 0) break;
        const escape = rest.slice(1, end);
        const after = rest.slice(end + 1);
        const known = LEGACY_ESCAPES[escape];
        if (known !== undefined) {
          out.push(known);
          rest = after;
          continue;
        }
        if (escape.startsWith("u")) {
          const digits = escape.slice(1);
          if (/^[0-9a-f]+$/.test(digits) && digits.replace(/^0+/, "").length <= 8) {
            const cp = parseInt(digits, 16);
            if (isScalar(cp) && !isControl(cp)) {
              out.push(String.fromCodePoint(cp));
              rest = after;
              continue;
            }
          }
        }
        break;
      } else {
        const m = rest.search(/[$.]/);
        if (m < 0) break;
        out.push(rest.slice(0, m));
        rest = rest.slice(m);
      }
    }
    out.push(rest);
  }
  return out.text();
}

function isRustHash(s: string): boolean {
  return s.startsWith("h") && /^[0-9a-fA-F]*$/.test(s.slice(1));
}

// ---------------------------------------------------------------------------------------------------------------
// v0: `_R` <path> [<instantiating-crate>] — https://doc.rust-lang.org/rustc/symbol-mangling/v0.html

type V0Error = "invalid" | "recursion";
class ParseError {
  constructor(readonly kind: V0Error) {}
  get message(): string {
    return this.kind === "invalid" ? "{invalid syntax}" : "{recursion limit reached}";
  }
}

class Parser {
  constructor(
    readonly sym: string,
    public next: number,
    public depth: number,
  ) {}

  pushDepth(): void {
    this.depth++;
    if (this.depth > MAX_DEPTH) throw new ParseError("recursion");
  }
  popDepth(): void {
    this.depth--;
  }
  peek(): string | undefined {
    return this.next < this.sym.length ? this.sym[this.next] : undefined;
  }
  eat(c: string): boolean {
    if (this.peek() === c) {
      this.next++;
      return true;
    }
    return false;
  }
  nextChar(): string {
    const c = this.peek();
    if (c === undefined) throw new ParseError("invalid");
    this.next++;
    return c;
  }
  hexNibbles(): string {
    const start = this.next;
    for (;;) {
      const c = this.nextChar();
      if (c === "_") break;
      if (!/[0-9a-f]/.test(c)) throw new ParseError("invalid");
    }
    return this.sym.slice(start, this.next - 1);
  }
  digit10(): number {
    const c = this.peek();
    if (c === undefined || !isDigit(c)) throw new ParseError("invalid");
    this.next++;
    return c.charCodeAt(0) - 48;
  }
  digit62(): number {
    const c = this.peek();
    let d: number;
    if (c !== undefined && c >= "0" && c <= "9") d = c.charCodeAt(0) - 48;
    else if (c !== undefined && c >= "a" && c <= "z") d = 10 + c.charCodeAt(0) - 97;
    else if (c !== undefined && c >= "A" && c <= "Z") d = 36 + c.charCodeAt(0) - 65;
    else throw new ParseError("invalid");
    this.next++;
    return d;
  }
  integer62(): bigint {
    if (this.eat("_")) return 0n;
    // Plain numbers while they stay exact (most values are small back-reference positions), bigint beyond.
    let x = 0;
    let big: bigint | undefined;
    while (!this.eat("_")) {
      const d = this.digit62();
      if (big === undefined) {
        x = x * 62 + d;
        if (x > 2 ** 46) big = BigInt(x);
      } else {
        big = big * 62n + BigInt(d);
        if (big > U64_MAX) throw new ParseError("invalid");
      }
    }
    const v = (big ?? BigInt(x)) + 1n;
    if (v > U64_MAX) throw new ParseError("invalid");
    return v;
  }
  optInteger62(tag: string): bigint {
    if (!this.eat(tag)) return 0n;
    const v = this.integer62() + 1n;
    if (v > U64_MAX) throw new ParseError("invalid");
    return v;
  }
  disambiguator(): bigint {
    return this.optInteger62("s");
  }
  namespace(): string | null {
    const c = this.nextChar();
    if (c >= "A" && c <= "Z") return c;
    if (c >= "a" && c <= "z") return null;
    throw new ParseError("invalid");
  }
  backref(): Parser {
    const sStart = this.next - 1;
    const i = this.integer62();
    if (i >= BigInt(sStart)) throw new ParseError("invalid");
    const p = new Parser(this.sym, Number(i), this.depth);
    p.pushDepth();
    return p;
  }
  ident(): Ident {
    const isPunycode = this.eat("u");
    let len = this.digit10();
    if (len !== 0) {
      for (;;) {
        const c = this.peek();
        if (c === undefined || !isDigit(c)) break;
        this.next++;
        len = len * 10 + (c.charCodeAt(0) - 48);
        if (len > this.sym.length) throw new ParseError("invalid");
      }
    }
    this.eat("_");
    const start = this.next;
    this.next += len;
    if (this.next > this.sym.length) throw new ParseError("invalid");
    const ident = this.sym.slice(start, this.next);
    if (!isPunycode) return { ascii: ident, punycode: "" };
    const us = ident.lastIndexOf("_");
    const id = us >= 0 ? { ascii: ident.slice(0, us), punycode: ident.slice(us + 1) } : { ascii: "", punycode: ident };
    if (id.punycode === "") throw new ParseError("invalid");
    return id;
  }
}

const U64_MAX = (1n << 64n) - 1n;

interface Ident {
  ascii: string;
  punycode: string;
}

/** Decodes an identifier's punycode part (RFC 3492 as Rust uses it); undefined when invalid or over 128 chars. */
function decodePunycode(id: Ident): string[] | undefined {
  if (id.punycode === "") return undefined;
  const out: string[] = [...id.ascii];
  if (out.length > 128) return undefined;
  const base = 36, tMin = 1, tMax = 26, skew = 38;
  let damp = 700, bias = 72, i = 0, n = 0x80;
  let pos = 0;
  const bytes = id.punycode;
  for (;;) {
    let delta = 0, w = 1, k = 0;
    for (;;) {
      k += base;
      const t = Math.min(Math.max(k - bias, tMin), tMax);
      const c = bytes[pos++];
      let d: number;
      if (c !== undefined && c >= "a" && c <= "z") d = c.charCodeAt(0) - 97;
      else if (c !== undefined && c >= "0" && c <= "9") d = 26 + c.charCodeAt(0) - 48;
      else return undefined;
      delta += d * w;
      if (!Number.isSafeInteger(delta)) return undefined;
      if (d < t) break;
      w *= base - t;
      if (!Number.isSafeInteger(w)) return undefined;
    }
    const len = out.length + 1;
    i += delta;
    n += Math.floor(i / len);
    i %= len;
    if (!isScalar(n)) return undefined;
    if (out.length >= 128) return undefined;
    out.splice(i, 0, String.fromCodePoint(n));
    i++;
    if (pos >= bytes.length) return out;
    delta = Math.floor(delta / damp);
    damp = 2;
    delta += Math.floor(delta / len);
    k = 0;
    while (delta > ((base - tMin) * tMax) / 2) {
      delta = Math.floor(delta / (base - tMin));
      k += base;
    }
    bias = k + Math.floor(((base - tMin + 1) * delta) / (delta + skew));
  }
}

function identText(id: Ident): string {
  const chars = decodePunycode(id);
  if (chars) return chars.join("");
  if (id.punycode !== "") return `punycode{${id.ascii !== "" ? `${id.ascii}-` : ""}${id.punycode}}`;
  return id.ascii;
}

const BASIC_TYPES: Record<string, string> = {
  b: "bool",
  c: "char",
  e: "str",
  u: "()",
  a: "i8",
  s: "i16",
  l: "i32",
  x: "i64",
  n: "i128",
  i: "isize",
  h: "u8",
  t: "u16",
  m: "u32",
  y: "u64",
  o: "u128",
  j: "usize",
  f: "f32",
  d: "f64",
  z: "!",
  p: "_",
  v: "...",
};

class Output {
  private parts: string[] = [];
  private length = 0;
  /** Parser steps taken while printing: bounded too, so that work is proportional to the limit, not to the input. */
  steps = 0;
  constructor(readonly limit: number) {}
  push(s: string): void {
    this.length += s.length;
    if (this.length > this.limit) throw new SizeLimit();
    this.parts.push(s);
  }
  step(): void {
    if (++this.steps > this.limit * 4 + 1024) throw new SizeLimit();
  }
  text(): string {
    return this.parts.join("");
  }
}

/** Returned by `parse` when the parser failed (the error text has been printed): the caller returns at once. */
const FAIL = Symbol("fail");

/**
 * The v0 printer walks the grammar once; with `out` null it only parses (validation), as rustc-demangle does.
 * A parse error prints `{invalid syntax}` and stops the walk; later parse attempts print `?`.
 */
class Printer {
  boundLifetimeDepth = 0;
  constructor(
    public parser: Parser | ParseError,
    public out: Output | null,
  ) {}

  private parse<T>(f: (p: Parser) => T): T | typeof FAIL {
    this.out?.step();
    if (this.parser instanceof ParseError) {
      this.print("?");
      return FAIL;
    }
    try {
      return f(this.parser);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      this.print(err.message);
      this.parser = err;
      return FAIL;
    }
  }

  private invalid(): void {
    const err = new ParseError("invalid");
    this.print(err.message);
    this.parser = err;
  }

  private eat(c: string): boolean {
    return !(this.parser instanceof ParseError) && this.parser.eat(c);
  }

  private get ok(): boolean {
    return !(this.parser instanceof ParseError);
  }

  print(s: string): void {
    this.out?.push(s);
  }

  private skippingPrinting(f: () => void): void {
    const orig = this.out;
    this.out = null;
    f();
    this.out = orig;
  }

  private printBackref(f: () => void): void {
    const backref = this.parse((p) => p.backref());
    if (backref === FAIL) return;
    if (this.out === null) return;
    const orig = this.parser;
    this.parser = backref;
    f();
    this.parser = orig;
  }

  private popDepth(): void {
    if (!(this.parser instanceof ParseError)) this.parser.popDepth();
  }

  private printLifetimeFromIndex(lt: bigint): void {
    if (this.out === null) return;
    this.print("'");
    if (lt === 0n) return this.print("_");
    const depth = BigInt(this.boundLifetimeDepth) - lt;
    if (depth < 0n) return this.invalid();
    if (depth < 26n) this.print(String.fromCharCode(97 + Number(depth)));
    else this.print(`_${depth}`);
  }

  private inBinder(f: () => void): void {
    const bound = this.parse((p) => p.optInteger62("G"));
    if (bound === FAIL) return;
    if (this.out === null) return f();
    if (bound > 0n) {
      this.print("for<");
      for (let i = 0n; i < bound; i++) {
        if (i > 0n) this.print(", ");
        this.boundLifetimeDepth++;
        this.printLifetimeFromIndex(1n);
      }
      this.print("> ");
    }
    f();
    this.boundLifetimeDepth -= Number(bound);
  }

  private printSepList(f: () => void, sep: string): number {
    let i = 0;
    while (this.ok && !this.eat("E")) {
      if (i > 0) this.print(sep);
      f();
      i++;
    }
    return i;
  }

  printPath(inValue: boolean): void {
    if (this.parse((p) => p.pushDepth()) === FAIL) return;
    const tag = this.parse((p) => p.nextChar());
    if (tag === FAIL) return;
    switch (tag) {
      case "C": {
        const dis = this.parse((p) => p.disambiguator());
        if (dis === FAIL) return;
        const name = this.parse((p) => p.ident());
        if (name === FAIL) return;
        this.print(identText(name));
        break;
      }
      case "N": {
        const ns = this.parse((p) => p.namespace());
        if (ns === FAIL) return;
        this.printPath(inValue);
        if (!this.ok) this.print("::");
        const dis = this.parse((p) => p.disambiguator());
        if (dis === FAIL) return;
        const name = this.parse((p) => p.ident());
        if (name === FAIL) return;
        const hasName = name.ascii !== "" || name.punycode !== "";
        if (ns !== null) {
          this.print("::{");
          this.print(ns === "C" ? "closure" : ns === "S" ? "shim" : ns);
          if (hasName) this.print(`:${identText(name)}`);
          this.print(`#${dis}}`);
        } else if (hasName) {
          this.print(`::${identText(name)}`);
        }
        break;
      }
      case "M":
      case "X":
      case "Y": {
        if (tag !== "Y") {
          if (this.parse((p) => p.disambiguator()) === FAIL) return;
          this.skippingPrinting(() => this.printPath(false));
        }
        this.print("<");
        this.printType();
        if (tag !== "M") {
          this.print(" as ");
          this.printPath(false);
        }
        this.print(">");
        break;
      }
      case "I": {
        this.printPath(inValue);
        if (inValue) this.print("::");
        this.print("<");
        this.printSepList(() => this.printGenericArg(), ", ");
        this.print(">");
        break;
      }
      case "B":
        this.printBackref(() => this.printPath(inValue));
        break;
      default:
        return this.invalid();
    }
    this.popDepth();
  }

  private printGenericArg(): void {
    if (this.eat("L")) {
      const lt = this.parse((p) => p.integer62());
      if (lt === FAIL) return;
      this.printLifetimeFromIndex(lt);
    } else if (this.eat("K")) {
      this.printConst(false);
    } else {
      this.printType();
    }
  }

  // Long on purpose: one `case` per tag of the v0 type grammar, in the order of rustc-demangle's printer, so
  // that the two can be read side by side.
  private printType(): void {
    const tag = this.parse((p) => p.nextChar());
    if (tag === FAIL) return;
    const basic = BASIC_TYPES[tag];
    if (basic !== undefined) return this.print(basic);
    if (this.parse((p) => p.pushDepth()) === FAIL) return;
    switch (tag) {
      case "R":
      case "Q": {
        this.print("&");
        if (this.eat("L")) {
          const lt = this.parse((p) => p.integer62());
          if (lt === FAIL) return;
          if (lt !== 0n) {
            this.printLifetimeFromIndex(lt);
            this.print(" ");
          }
        }
        if (tag !== "R") this.print("mut ");
        this.printType();
        break;
      }
      case "P":
      case "O":
        this.print("*");
        this.print(tag !== "P" ? "mut " : "const ");
        this.printType();
        break;
      case "A":
      case "S":
        this.print("[");
        this.printType();
        if (tag === "A") {
          this.print("; ");
          this.printConst(true);
        }
        this.print("]");
        break;
      case "T": {
        this.print("(");
        const count = this.printSepList(() => this.printType(), ", ");
        if (count === 1) this.print(",");
        this.print(")");
        break;
      }
      case "F":
        this.inBinder(() => {
          const isUnsafe = this.eat("U");
          let abi: string | undefined;
          if (this.eat("K")) {
            if (this.eat("C")) abi = "C";
            else {
              const id = this.parse((p) => p.ident());
              if (id === FAIL) return;
              if (id.ascii === "" || id.punycode !== "") return this.invalid();
              abi = id.ascii;
            }
          }
          if (isUnsafe) this.print("unsafe ");
          if (abi !== undefined) this.print(`extern "${abi.split("_").join("-")}" `);
          this.print("fn(");
          this.printSepList(() => this.printType(), ", ");
          this.print(")");
          if (!this.eat("u")) {
            this.print(" -> ");
            this.printType();
          }
        });
        break;
      case "D": {
        this.print("dyn ");
        this.inBinder(() => {
          this.printSepList(() => this.printDynTrait(), " + ");
        });
        if (!this.eat("L")) return this.invalid();
        const lt = this.parse((p) => p.integer62());
        if (lt === FAIL) return;
        if (lt !== 0n) {
          this.print(" + ");
          this.printLifetimeFromIndex(lt);
        }
        break;
      }
      case "B":
        this.printBackref(() => this.printType());
        break;
      case "W":
        this.printType();
        this.print(" is ");
        this.printPat();
        break;
      default:
        if (!(this.parser instanceof ParseError)) this.parser.next--;
        this.printPath(false);
    }
    this.popDepth();
  }

  private printPathMaybeOpenGenerics(): boolean {
    if (this.eat("B")) {
      let open = false;
      this.printBackref(() => {
        open = this.printPathMaybeOpenGenerics();
      });
      return open;
    }
    if (this.eat("I")) {
      this.printPath(false);
      this.print("<");
      this.printSepList(() => this.printGenericArg(), ", ");
      return true;
    }
    this.printPath(false);
    return false;
  }

  private printDynTrait(): void {
    let open = this.printPathMaybeOpenGenerics();
    while (this.eat("p")) {
      if (!open) {
        this.print("<");
        open = true;
      } else this.print(", ");
      const name = this.parse((p) => p.ident());
      if (name === FAIL) return;
      this.print(`${identText(name)} = `);
      if (this.eat("K")) this.printConst(false);
      else this.printType();
    }
    if (open) this.print(">");
  }

  private printPat(): void {
    const tag = this.parse((p) => p.nextChar());
    if (tag === FAIL) return;
    switch (tag) {
      case "R":
        this.printConst(false);
        this.print("..=");
        this.printConst(false);
        break;
      case "O":
        if (this.parse((p) => p.pushDepth()) === FAIL) return;
        this.printPat();
        while (!this.eat("E")) {
          if (!this.ok) return this.invalid();
          this.print(" | ");
          this.printPat();
        }
        this.popDepth();
        break;
      case "N":
        this.print("!null");
        break;
      default:
        this.invalid();
    }
  }

  // Long on purpose, as printType: one `case` per const tag of the v0 grammar, mirroring rustc-demangle.
  private printConst(inValue: boolean): void {
    const tag = this.parse((p) => p.nextChar());
    if (tag === FAIL) return;
    if (this.parse((p) => p.pushDepth()) === FAIL) return;
    let openedBrace = false;
    const openBraceIfOutsideExpr = () => {
      if (inValue) return;
      openedBrace = true;
      this.print("{");
    };
    switch (tag) {
      case "p":
        this.print("_");
        break;
      case "h":
      case "t":
      case "m":
      case "y":
      case "o":
      case "j":
        if (!this.printConstUint()) return;
        break;
      case "a":
      case "s":
      case "l":
      case "x":
      case "n":
      case "i":
        if (this.eat("n")) this.print("-");
        if (!this.printConstUint()) return;
        break;
      case "b": {
        const hex = this.parse((p) => p.hexNibbles());
        if (hex === FAIL) return;
        const v = parseUint(hex);
        if (v === 0n) this.print("false");
        else if (v === 1n) this.print("true");
        else return this.invalid();
        break;
      }
      case "c": {
        const hex = this.parse((p) => p.hexNibbles());
        if (hex === FAIL) return;
        const v = parseUint(hex);
        if (v === undefined || v > 0x10ffffn || !isScalar(Number(v))) return this.invalid();
        this.printQuoted("'", [String.fromCodePoint(Number(v))]);
        break;
      }
      case "e":
        openBraceIfOutsideExpr();
        this.print("*");
        if (!this.printConstStrLiteral()) return;
        break;
      case "R":
      case "Q":
        if (tag === "R" && this.eat("e")) {
          if (!this.printConstStrLiteral()) return;
        } else {
          openBraceIfOutsideExpr();
          this.print("&");
          if (tag !== "R") this.print("mut ");
          this.printConst(true);
        }
        break;
      case "A":
        openBraceIfOutsideExpr();
        this.print("[");
        this.printSepList(() => this.printConst(true), ", ");
        this.print("]");
        break;
      case "T": {
        openBraceIfOutsideExpr();
        this.print("(");
        const count = this.printSepList(() => this.printConst(true), ", ");
        if (count === 1) this.print(",");
        this.print(")");
        break;
      }
      case "V": {
        openBraceIfOutsideExpr();
        this.printPath(true);
        const kind = this.parse((p) => p.nextChar());
        if (kind === FAIL) return;
        if (kind === "U") {
          // unit variant: nothing more
        } else if (kind === "T") {
          this.print("(");
          this.printSepList(() => this.printConst(true), ", ");
          this.print(")");
        } else if (kind === "S") {
          this.print(" { ");
          this.printSepList(() => {
            if (this.parse((p) => p.disambiguator()) === FAIL) return;
            const name = this.parse((p) => p.ident());
            if (name === FAIL) return;
            this.print(`${identText(name)}: `);
            this.printConst(true);
          }, ", ");
          this.print(" }");
        } else return this.invalid();
        break;
      }
      case "B":
        this.printBackref(() => this.printConst(inValue));
        break;
      default:
        return this.invalid();
    }
    if (openedBrace) this.print("}");
    this.popDepth();
  }

  /** Prints an integer constant's value (alternate form: no type suffix); false when the parse failed. */
  private printConstUint(): boolean {
    const hex = this.parse((p) => p.hexNibbles());
    if (hex === FAIL) return false;
    const v = parseUint(hex);
    this.print(v !== undefined ? v.toString() : `0x${hex}`);
    return true;
  }

  private printConstStrLiteral(): boolean {
    const hex = this.parse((p) => p.hexNibbles());
    if (hex === FAIL) return false;
    const chars = hexToChars(hex);
    if (!chars) {
      this.invalid();
      return false;
    }
    this.printQuoted('"', chars);
    return true;
  }

  private printQuoted(quote: string, chars: string[]): void {
    if (this.out === null) return;
    let s = quote;
    for (const c of chars) {
      if ((quote === "'" && c === '"') || (quote === '"' && c === "'")) s += c;
      else s += escapeDebug(c);
    }
    this.print(s + quote);
  }
}

function parseV0(s: string): { suffix: string } | undefined {
  let inner: string;
  if (s.length > 2 && s.startsWith("_R")) inner = s.slice(2);
  else if (s.length > 1 && s.startsWith("R")) inner = s.slice(1);
  else if (s.length > 3 && s.startsWith("__R")) inner = s.slice(3);
  else return undefined;
  const first = inner[0] ?? "";
  if (!(first >= "A" && first <= "Z")) return undefined;
  if (!/^[\x00-\x7f]*$/.test(inner)) return undefined;
  const tryParsePath = (parser: Parser): Parser | undefined => {
    const p = new Printer(parser, null);
    p.printPath(false);
    return p.parser instanceof ParseError ? undefined : p.parser;
  };
  let parser = tryParsePath(new Parser(inner, 0, 0));
  if (!parser) return undefined;
  const c = parser.peek();
  if (c !== undefined && c >= "A" && c <= "Z") {
    parser = tryParsePath(parser);
    if (!parser) return undefined;
  }
  return { suffix: inner.slice(parser.next) };
}

function printV0(s: string, limit: number): string {
  const inner = s.startsWith("_R") ? s.slice(2) : s.startsWith("__R") ? s.slice(3) : s.slice(1);
  const out = new Output(limit);
  const printer = new Printer(new Parser(inner, 0, 0), out);
  printer.printPath(true);
  return out.text();
}

function parseUint(nibbles: string): bigint | undefined {
  const trimmed = nibbles.replace(/^0+/, "");
  if (trimmed.length > 16) return undefined;
  return trimmed === "" ? 0n : BigInt(`0x${trimmed}`);
}

/** Hex-encoded UTF-8 bytes → characters; undefined when the bytes are not valid UTF-8. */
function hexToChars(nibbles: string): string[] | undefined {
  if (nibbles.length % 2 !== 0) return undefined;
  const bytes = Buffer.from(nibbles, "hex");
  try {
    return [...new TextDecoder("utf-8", { fatal: true }).decode(bytes)];
  } catch {
    return undefined;
  }
}

/** Rust's `char::escape_debug`, close enough for symbol names: C escapes, `\u{..}` for unprintable characters. */
function escapeDebug(c: string): string {
  switch (c) {
    case "\t":
      return "\\t";
    case "\r":
      return "\\r";
    case "\n":
      return "\\n";
    case "\\":
      return "\\\\";
    case "'":
      return "\\'";
    case '"':
      return '\\"';
    case "\0":
      return "\\0";
  }
  if (/^[\p{C}\p{Z}\p{Mn}]$/u.test(c) && c !== " ") return `\\u{${c.codePointAt(0)!.toString(16)}}`;
  return c;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isScalar(cp: number): boolean {
  return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
}

function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}
