import path from "node:path";
import fs from "node:fs";
import type { Node } from "web-tree-sitter";
import type { Span } from "../diagnostics/types.js";
import { parseRust, rustParser } from "../syntax/parser.js";
import { RustSource, byteOffsetOf, maskUnknownSyntax } from "../syntax/source.js";
import { ancestors, ancestorOfType, innerAttributes, outerAttributes } from "../syntax/queries.js";
import { evalCfg, featuresIn, parseCfg, splitCfgAttr, cfgToString, type CfgContext, type CfgExpr, type Tri } from "../toolchain/cfg.js";
import { readTextFileSync } from "../util/fs.js";

/**
 * Does a crate, compiled with these features for this target, link `std`? It does when its root is not
 * `#![no_std]` (the prelude then brings std in), or when it is and an `extern crate std` survives cfg — in the
 * root or in any module the crate really compiles. `use std::…` alone cannot pull std into a `no_std` crate (it
 * does not compile without `extern crate std`, or it names an alias like `extern crate core as std`), so it is
 * not evidence on its own.
 */
export type CrateStdReason =
  /** The root has no `no_std` attribute at all. */
  | { kind: "no_no_std"; file: string }
  /** `#![cfg_attr(<cfg>, no_std)]` whose cfg is false with these features. */
  | { kind: "no_std_disabled"; file: string; span: Span; line: number; cfg: string; culprits: string[] }
  /** `extern crate std;` that cfg keeps. */
  | { kind: "extern_crate_std"; file: string; span: Span; line: number; cfg?: string; culprits: string[] };

export interface CrateStdVerdict {
  /** true: the crate links std; false: it does not; undefined: it depends on a cfg a build script sets. */
  needsStd: Tri;
  reason?: CrateStdReason;
  /** Files parsed (for the benchmark and tests). */
  filesParsed: number;
}

const EXTERN_CRATE_STD = /\bextern\s+crate\s+std\b/g;

/** One `#![name(args)]` of a crate root's inner-attribute prefix, with its place in the text (UTF-16 indexes). */
export interface PrefixAttribute {
  name: string;
  /** The text between the outer parentheses, when there are any. */
  args?: string;
  start: number;
  end: number;
}

/** Index just past a raw string `r#*"…"#*` starting at `i` (at the `r`), or undefined when there is none. */
function rawStringEnd(text: string, i: number): number | undefined {
  const m = /^r(#*)"/.exec(text.slice(i, i + 64));
  if (!m) return undefined;
  const close = `"${m[1]}`;
  const j = text.indexOf(close, i + m[0].length);
  return j < 0 ? text.length : j + close.length;
}

/**
 * The inner attributes at the top of a file, among comments and whitespace, before any item, and where that
 * prefix ends. The crate root's `#![no_std]` is decided from them alone, without a parser: most crates are
 * answered from a few hundred bytes of text.
 */
export function innerAttributePrefix(text: string): { end: number; attributes: PrefixAttribute[] } {
  const attributes: PrefixAttribute[] = [];
  let i = 0;
  const n = text.length;
  if (text.startsWith("#!") && !text.startsWith("#![")) i = text.indexOf("\n") < 0 ? n : text.indexOf("\n"); // shebang
  for (;;) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (text.startsWith("//", i)) {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? n : nl + 1;
    } else if (text.startsWith("/*", i)) {
      let depth = 0;
      do {
        if (text.startsWith("/*", i)) {
          depth++;
          i += 2;
        } else if (text.startsWith("*/", i)) {
          depth--;
          i += 2;
        } else i++;
      } while (depth > 0 && i < n);
    } else if (/^#\s*!\s*\[/.test(text.slice(i, i + 8))) {
      const start = i;
      i = text.indexOf("[", i);
      const open = i;
      let depth = 0;
      for (; i < n; i++) {
        const c = text[i];
        const raw = c === "r" && !/\w/.test(text[i - 1] ?? "") ? rawStringEnd(text, i) : undefined;
        if (raw !== undefined) i = raw - 1;
        else if (c === '"') {
          for (i++; i < n && text[i] !== '"'; i++) if (text[i] === "\\") i++;
        } else if (c === "[") depth++;
        else if (c === "]" && --depth === 0) {
          i++;
          break;
        }
      }
      const body = text.slice(open + 1, i - 1);
      const m = /^\s*([A-Za-z_]\w*(?:\s*::\s*[A-Za-z_]\w*)*)\s*/.exec(body);
      if (m) {
        const rest = body.slice(m[0].length).trimEnd();
        const attr: PrefixAttribute = { name: m[1]!.replace(/\s+/g, ""), start, end: i };
        if (rest.startsWith("(") && rest.endsWith(")")) attr.args = rest.slice(1, -1);
        attributes.push(attr);
      }
    } else return { end: i, attributes };
  }
}

/** Reads a source file; undefined when it cannot be read. Synchronous: a promise per file costs more than the read. */
function readText(file: string): string | undefined {
  try {
    return readTextFileSync(file);
  } catch {
    return undefined;
  }
}

async function parseFile(file: string, knownText?: string): Promise<RustSource | undefined> {
  const text = knownText ?? readText(file);
  if (text === undefined) return undefined;
  const parser = await rustParser();
  try {
    return new RustSource(file, text, parseRust(parser, maskUnknownSyntax(text), file));
  } catch {
    return undefined; // too large to parse: the dependency stays undecided
  }
}

function conjunction(conds: readonly CfgExpr[]): CfgExpr | undefined {
  if (conds.length === 0) return undefined;
  return conds.length === 1 ? conds[0] : { kind: "all", items: [...conds] };
}

/** Enabled features whose removal changes the value of `e` away from `current`: the features to blame. */
function culpritFeatures(e: CfgExpr, ctx: CfgContext, current: boolean): string[] {
  const mentioned = [...new Set(featuresIn(e))].filter((f) => ctx.features.has(f));
  const blamed = mentioned.filter((f) => {
    const without = new Set(ctx.features);
    without.delete(f);
    return evalCfg(e, { ...ctx, features: without }) !== current;
  });
  return blamed.length > 0 ? blamed : mentioned;
}

/** cfg predicates of the `#[cfg(...)]` attributes on an item. Unparseable ones count as unknown. */
function itemCfgs(item: Node): CfgExpr[] {
  const out: CfgExpr[] = [];
  for (const a of outerAttributes(item)) {
    if (a.name !== "cfg" || a.args === undefined) continue;
    out.push(parseCfg(a.args) ?? { kind: "name", name: "__unparsed_cfg" });
  }
  return out;
}

/** Item nodes around a node, innermost first, within one file (the node itself when it is an item). */
function enclosingItemNodes(node: Node): Node[] {
  const out: Node[] = [];
  const chain = ancestors(node);
  for (let i = 0; i + 1 < chain.length; i++) {
    const n = chain[i]!;
    const p = chain[i + 1]!;
    if ((p.type === "source_file" || p.type === "declaration_list" || p.type === "block") && n.type !== "attribute_item") out.push(n);
  }
  return out;
}

function cfgsAround(node: Node): CfgExpr[] {
  return enclosingItemNodes(node).flatMap(itemCfgs);
}

/** Names of the inline `mod x { ... }` items around a node, outermost first. */
function inlineModPath(node: Node): string[] {
  const names: string[] = [];
  for (const n of ancestors(node).slice(1)) {
    if (n.type === "mod_item") {
      const name = n.childForFieldName("name")?.text;
      if (name) names.unshift(name.replace(/^r#/, ""));
    }
  }
  return names;
}

function isFile(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}

/**
 * Every .rs file below a directory (the crate's source tree), for a cheap textual look before parsing.
 * Synchronous on purpose: hundreds of small files (libc has 215) cost less read in a row than through the
 * thread pool one promise at a time, and nothing else waits on this thread meanwhile but cargo's output.
 */
function rustFilesUnder(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > 12) return out;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) rustFilesUnder(p, out, depth + 1);
    else if (e.isFile() && e.name.endsWith(".rs")) out.push(p);
  }
  return out;
}

interface ModuleFile {
  file: string;
  /** Directory in which `mod x;` of this file looks for x.rs / x/mod.rs. */
  modDir: string;
  /** cfg conditions of the `mod` declarations that lead here. */
  conds: CfgExpr[];
}

/**
 * Walks the module tree from the crate root, skipping modules cfg removes, and reports the first
 * `extern crate std` that survives (true) or may survive (unknown).
 */
async function findExternCrateStd(
  rootSource: RustSource,
  ctx: CfgContext,
  counter: { files: number },
  mentioning: ReadonlySet<string>,
): Promise<{ value: Tri; reason?: CrateStdReason }> {
  // Only modules that mention `extern crate std`, and the modules on the way to them, need parsing.
  const leadsToMention = (file: string, modDir: string): boolean =>
    mentioning.has(file) || [...mentioning].some((m) => m.startsWith(modDir + path.sep));
  const queue: ModuleFile[] = [{ file: rootSource.path, modDir: path.dirname(rootSource.path), conds: [] }];
  const seen = new Set<string>();
  let unknownHit: CrateStdReason | undefined;
  while (queue.length > 0) {
    const mf = queue.shift()!;
    if (seen.has(mf.file)) continue;
    seen.add(mf.file);
    if (mf.file !== rootSource.path && !leadsToMention(mf.file, mf.modDir)) continue;
    const src = mf.file === rootSource.path ? rootSource : await parseFile(mf.file);
    if (!src) continue;
    if (src !== rootSource) counter.files++;
    try {
    // `#![cfg(...)]` at the top of a module file gates the whole module.
    const fileConds = [...mf.conds];
    for (const a of innerAttributes(src)) if (a.name === "cfg" && a.args !== undefined) fileConds.push(parseCfg(a.args) ?? { kind: "name", name: "__unparsed_cfg" });
    const fileCond = conjunction(fileConds);
    if (fileCond && evalCfg(fileCond, ctx) === false) continue;

    EXTERN_CRATE_STD.lastIndex = 0;
    for (let m = EXTERN_CRATE_STD.exec(src.text); m; m = EXTERN_CRATE_STD.exec(src.text)) {
      const n = src.root.descendantForIndex(m.index, m.index + 1);
      const decl = n ? ancestorOfType(n, "extern_crate_declaration") : undefined;
      if (!decl || decl.childForFieldName("name")?.text !== "std") continue;
      const conds = [...fileConds, ...cfgsAround(decl)];
      const cond = conjunction(conds);
      const value = cond ? evalCfg(cond, ctx) : true;
      if (value === false) continue;
      const line = src.lineOf(decl.startIndex) + 1;
      const reason: CrateStdReason = {
        kind: "extern_crate_std",
        file: src.path,
        span: src.span(decl),
        line,
        ...(cond ? { cfg: cfgToString(cond) } : {}),
        culprits: cond ? culpritFeatures(cond, ctx, true) : [],
      };
      if (value === true) return { value: true, reason };
      unknownHit ??= reason;
    }

    for (const mod of src.root.descendantsOfType("mod_item")) {
      if (!mod || mod.childForFieldName("body")) continue;
      const name = mod.childForFieldName("name")?.text?.replace(/^r#/, "");
      if (!name) continue;
      const conds = [...fileConds, ...cfgsAround(mod)];
      const cond = conjunction(conds);
      if (cond && evalCfg(cond, ctx) === false) continue;
      const inline = inlineModPath(mod);
      const pathAttr = outerAttributes(mod).find((a) => a.name === "path" && a.value !== undefined)?.value;
      let file: string | undefined;
      if (pathAttr !== undefined) {
        file = path.resolve(inline.length > 0 ? path.join(mf.modDir, ...inline) : path.dirname(src.path), pathAttr);
      } else {
        const base = path.join(mf.modDir, ...inline, name);
        file = isFile(`${base}.rs`) ? `${base}.rs` : isFile(path.join(base, "mod.rs")) ? path.join(base, "mod.rs") : undefined;
      }
      if (!file) continue;
      const isModRs = path.basename(file) === "mod.rs";
      const modDir = isModRs || pathAttr !== undefined ? path.dirname(file) : path.join(path.dirname(file), path.basename(file, ".rs"));
      queue.push({ file, modDir, conds });
    }
    } finally {
      // Trees live in wasm memory, which the garbage collector does not see.
      if (src !== rootSource) src.tree.delete();
    }
  }
  return unknownHit ? { value: undefined, reason: unknownHit } : { value: false };
}

/** Decides whether the crate rooted at `rootFile` links std with the features and target in `ctx`. */
export async function crateNeedsStd(rootFile: string, ctx: CfgContext): Promise<CrateStdVerdict> {
  const text = readText(rootFile);
  if (text === undefined) return { needsStd: undefined, filesParsed: 0 };
  const { attributes } = innerAttributePrefix(text);
  let noStd: Tri = false;
  let disabled: CrateStdReason | undefined;
  for (const a of attributes) {
    if (a.name === "no_std") {
      noStd = true;
      break;
    }
    if (a.name !== "cfg_attr" || a.args === undefined) continue;
    const split = splitCfgAttr(a.args);
    if (!split || !split.attrs.some((t) => t === "no_std")) continue;
    const pred = parseCfg(split.predicate);
    const v = pred ? evalCfg(pred, ctx) : undefined;
    if (v === true) {
      noStd = true;
      break;
    }
    if (v === undefined) noStd = undefined;
    else if (!disabled && pred) {
      disabled = {
        kind: "no_std_disabled",
        file: rootFile,
        span: { start: byteOffsetOf(text, a.start), end: byteOffsetOf(text, a.end) },
        line: lineNumberAt(text, a.start),
        cfg: cfgToString(pred),
        culprits: culpritFeatures(pred, ctx, false),
      };
    }
  }
  if (noStd === undefined) return { needsStd: undefined, filesParsed: 0 };
  if (noStd === false) return { needsStd: true, reason: disabled ?? { kind: "no_no_std", file: rootFile }, filesParsed: 0 };
  // A no_std crate: only an `extern crate std` can bring std back. Look at the text first, parse only if found.
  const mentioning = new Set<string>();
  const mentions = new RegExp(EXTERN_CRATE_STD.source);
  for (const f of rustFilesUnder(path.dirname(rootFile))) {
    const t = f === rootFile ? text : readText(f);
    if (t !== undefined && t.includes("crate") && mentions.test(t)) mentioning.add(f);
  }
  if (mentioning.size === 0) return { needsStd: false, filesParsed: 0 };
  const root = (await parseFile(rootFile, text))!;
  const counter = { files: 1 };
  const found = await findExternCrateStd(root, ctx, counter, mentioning).finally(() => root.tree.delete());
  return { needsStd: found.value, ...(found.reason ? { reason: found.reason } : {}), filesParsed: counter.files };
}

/** 1-based line of a UTF-16 index. */
function lineNumberAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
