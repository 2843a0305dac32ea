/**
 * `cfg(...)` predicates as rustc reads them, evaluated with three-valued logic: a name that a build script or
 * RUSTFLAGS may set (`has_std`, `no_std_atomic`, …) is neither true nor false, so a `no_std` or `extern crate std`
 * that hangs on it is never reported as certain.
 */

export type CfgExpr =
  | { kind: "name"; name: string }
  | { kind: "pair"; name: string; value: string }
  | { kind: "all" | "any"; items: CfgExpr[] }
  | { kind: "not"; item: CfgExpr };

/** true / false / unknown. */
export type Tri = boolean | undefined;

type Token = { t: "ident" | "str" | "punct"; v: string };

function tokenize(text: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^r#?[A-Za-z_][A-Za-z0-9_]*|^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      out.push({ t: "ident", v: m[0].replace(/^r#/, "") });
      i += m[0].length;
    } else if (c === '"') {
      let j = i + 1;
      let v = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\" && j + 1 < text.length) {
          v += text[j + 1];
          j += 2;
        } else v += text[j++];
      }
      if (j >= text.length) return undefined;
      out.push({ t: "str", v });
      i = j + 1;
    } else if ("(),=".includes(c)) {
      out.push({ t: "punct", v: c });
      i++;
    } else {
      return undefined;
    }
  }
  return out;
}

class Reader {
  pos = 0;
  constructor(readonly toks: Token[]) {}
  peek(): Token | undefined {
    return this.toks[this.pos];
  }
  next(): Token | undefined {
    return this.toks[this.pos++];
  }
  eat(v: string): boolean {
    const t = this.peek();
    if (t && t.t === "punct" && t.v === v) {
      this.pos++;
      return true;
    }
    return false;
  }
}

function parsePredicate(r: Reader): CfgExpr | undefined {
  const id = r.next();
  if (!id || id.t !== "ident") return undefined;
  if ((id.v === "all" || id.v === "any" || id.v === "not") && r.eat("(")) {
    const items: CfgExpr[] = [];
    while (!r.eat(")")) {
      const item = parsePredicate(r);
      if (!item) return undefined;
      items.push(item);
      if (!r.eat(",")) {
        if (!r.eat(")")) return undefined;
        break;
      }
    }
    if (id.v === "not") return items.length === 1 ? { kind: "not", item: items[0]! } : undefined;
    return { kind: id.v, items };
  }
  if (r.eat("=")) {
    const s = r.next();
    if (!s || s.t !== "str") return undefined;
    return { kind: "pair", name: id.v, value: s.v };
  }
  return { kind: "name", name: id.v };
}

/** Parses one predicate (`not(feature = "std")`); undefined when the text is not a predicate. */
export function parseCfg(text: string): CfgExpr | undefined {
  const toks = tokenize(text);
  if (!toks) return undefined;
  const r = new Reader(toks);
  const e = parsePredicate(r);
  return e && r.pos === toks.length ? e : undefined;
}

/**
 * Splits the argument text of `cfg_attr(<pred>, attr, attr...)` into the predicate and the attribute texts,
 * at top-level commas (attributes may carry their own parentheses).
 */
export function splitCfgAttr(args: string): { predicate: string; attrs: string[] } | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let inStr = false;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (inStr) {
      if (c === "\\") i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(args.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(args.slice(start).trim());
  const nonEmpty = parts.filter((p) => p.length > 0);
  if (nonEmpty.length < 1) return undefined;
  return { predicate: nonEmpty[0]!, attrs: nonEmpty.slice(1) };
}

/**
 * What is known while compiling one crate: its enabled features and the target's `rustc --print cfg` lines.
 * Names rustc itself sets (target_*, unix, panic, …) are false when the target does not print them; other
 * names are unknown unless listed in `known`.
 */
export interface CfgContext {
  features: ReadonlySet<string>;
  /** Parsed `rustc --print cfg --target T`: names set, and key → values. */
  targetNames: ReadonlySet<string>;
  targetPairs: ReadonlyMap<string, ReadonlySet<string>>;
  /** Extra definite answers, e.g. `test` and `doc` are false when building a dependency. */
  known?: ReadonlyMap<string, boolean>;
  /** The target's cfg could not be learnt: names rustc decides are unknown rather than false. */
  targetUnknown?: boolean;
}

/** Names rustc decides; absent from `--print cfg` means false. */
const COMPILER_NAMES = new Set([
  "unix",
  "windows",
  "debug_assertions",
  "overflow_checks",
  "ub_checks",
  "panic",
  "relocation_model",
  "fmt_debug",
  "sanitize",
  "contract_checks",
  "emscripten_wasm_eh",
]);
/** Always false for a dependency compiled for a normal build (not rustdoc, not tests, not miri). */
const FALSE_FOR_DEPENDENCIES = new Set(["test", "doc", "docsrs", "miri", "rustfmt", "clippy"]);

function isCompilerKey(name: string): boolean {
  return name.startsWith("target_") || COMPILER_NAMES.has(name);
}

export function evalCfg(e: CfgExpr, ctx: CfgContext): Tri {
  switch (e.kind) {
    case "name": {
      const k = ctx.known?.get(e.name);
      if (k !== undefined) return k;
      if (ctx.targetNames.has(e.name)) return true;
      if (FALSE_FOR_DEPENDENCIES.has(e.name)) return false;
      if (isCompilerKey(e.name)) return ctx.targetUnknown ? undefined : false;
      return undefined;
    }
    case "pair": {
      if (e.name === "feature") return ctx.features.has(e.value);
      const vals = ctx.targetPairs.get(e.name);
      if (vals?.has(e.value)) return true;
      if (isCompilerKey(e.name)) return ctx.targetUnknown ? undefined : false;
      return undefined;
    }
    case "not": {
      const v = evalCfg(e.item, ctx);
      return v === undefined ? undefined : !v;
    }
    case "all": {
      let unknown = false;
      for (const it of e.items) {
        const v = evalCfg(it, ctx);
        if (v === false) return false;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    case "any": {
      let unknown = false;
      for (const it of e.items) {
        const v = evalCfg(it, ctx);
        if (v === true) return true;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    }
  }
}

/** Every `feature = "x"` the predicate mentions. */
export function featuresIn(e: CfgExpr): string[] {
  switch (e.kind) {
    case "name":
      return [];
    case "pair":
      return e.name === "feature" ? [e.value] : [];
    case "not":
      return featuresIn(e.item);
    case "all":
    case "any":
      return e.items.flatMap(featuresIn);
  }
}

/** Parses `rustc --print cfg` output lines into names (`unix`) and key → values (`target_os` → `none`). */
export function parseRustcCfg(text: string): { names: Set<string>; pairs: Map<string, Set<string>> } {
  const names = new Set<string>();
  const pairs = new Map<string, Set<string>>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)="(.*)"$/.exec(line);
    if (m) {
      let set = pairs.get(m[1]!);
      if (!set) pairs.set(m[1]!, (set = new Set()));
      set.add(m[2]!);
    } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(line)) {
      names.add(line);
    }
  }
  return { names, pairs };
}

export function cfgToString(e: CfgExpr): string {
  switch (e.kind) {
    case "name":
      return e.name;
    case "pair":
      return `${e.name} = ${JSON.stringify(e.value)}`;
    case "not":
      return `not(${cfgToString(e.item)})`;
    case "all":
    case "any":
      return `${e.kind}(${e.items.map(cfgToString).join(", ")})`;
  }
}
