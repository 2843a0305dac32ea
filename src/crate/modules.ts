import path from "node:path";
import { promises as fsp } from "node:fs";
import type { Node, Tree } from "web-tree-sitter";
import { kindOf, readUtf8File } from "../util/fs.js";
import { describeError, FreestandError } from "../errors.js";
import { RustSource, maskUnknownSyntax } from "../syntax/source.js";
import { editBetween, parseRust, rustParser } from "../syntax/parser.js";
import { ancestors, cfgConditions, codeNodeAt, innerAttributes, matchAll, outerAttributes } from "../syntax/queries.js";

/** Decides a conjunction of `cfg(...)` conditions: true, false, or unknown (undefined). */
export type CfgTest = (conditions: readonly string[]) => boolean | undefined;

/** A `mod x;` whose file is not where rustc would look: reported as a note, the rest of the crate is still read. */
export interface MissingModule {
  /** The declaring file and the 1-based line of the declaration. */
  file: string;
  line: number;
  /** The declaration's byte span in its file. */
  span: { start: number; end: number };
  name: string;
  candidates: string[];
  /** A candidate that exists but was not read, and what it is ("a FIFO (named pipe)", "a symbolic link loop"). */
  unreadable?: { path: string; what: string };
}

/** One file of a crate's module tree. */
export interface ModuleFile {
  path: string;
  source: RustSource;
  /** `cfg(...)` conditions that gate this file: on its `mod` declarations (outermost first) and its own `#![cfg]`. */
  cfgs: string[];
  /** The crate root, a `mod.rs`, or a file reached through `#[path]`: its child modules live beside it. */
  ownsDirectory: boolean;
}

/**
 * Sources kept from one check to the next (the language server turns this on): a file whose text has not changed
 * keeps its tree, so an edit re-parses only the file edited. Off for one-shot commands.
 */
let kept: Map<string, RustSource> | undefined;

export function keepSourcesBetweenChecks(on: boolean): void {
  for (const s of kept?.values() ?? []) s.dispose();
  kept = on ? new Map() : undefined;
}

/** Parsed sources, shared by every crate of a package (a file is read and parsed once). */
export class SourceStore {
  readonly byPath = new Map<string, RustSource>();

  async load(file: string): Promise<RustSource> {
    const cached = this.byPath.get(file);
    if (cached) return cached;
    let text: string;
    try {
      text = await readUtf8File(file);
    } catch (err) {
      throw err instanceof FreestandError ? err : new FreestandError(describeError(err));
    }
    const old = kept?.get(file);
    if (old && old.text === text) {
      this.byPath.set(file, old);
      return old;
    }
    const source = old?.isParsed ? await reparsed(old, text) : new RustSource(file, text, parseWith(await rustParser(), file));
    this.byPath.set(file, source);
    if (kept) {
      old?.dispose();
      kept.set(file, source);
    }
    return source;
  }

  /** Text of every loaded source, by path (what the reporters need for code frames). */
  texts(): Map<string, string> {
    return new Map([...this.byPath].map(([p, s]) => [p, s.text]));
  }

  /** Frees the wasm memory of every tree (but those kept for the next check). */
  dispose(): void {
    for (const s of this.byPath.values()) if (kept?.get(s.path) !== s) s.dispose();
    this.byPath.clear();
  }
}

/**
 * A kept file whose text changed (the language server, as the user types): parsed at once from its previous
 * tree, edited by the change, so tree-sitter re-reads only the edited region (the previous tree is freed next).
 */
async function reparsed(old: RustSource, text: string): Promise<RustSource> {
  const parser = await rustParser();
  const base = old.tree.copy();
  try {
    base.edit(editBetween(maskUnknownSyntax(old.text), maskUnknownSyntax(text)));
    let incremental: Tree | undefined = parseRust(parser, maskUnknownSyntax(text), old.path, base);
    // Disposed and needed again (RustSource parses on demand): a full parse then.
    const parse = parseWith(parser, old.path);
    const source = new RustSource(old.path, text, (t) => {
      const tree = incremental ?? parse(t);
      incremental = undefined;
      return tree;
    });
    void source.tree;
    return source;
  } finally {
    base.delete();
  }
}

function parseWith(parser: Awaited<ReturnType<typeof rustParser>>, file: string): (text: string) => ReturnType<typeof parseRust> {
  return (t) => parseRust(parser, maskUnknownSyntax(t), file);
}

const MOD_DECL = /\bmod\s+(?:r#)?[A-Za-z_][A-Za-z0-9_]*\s*;/g;

interface ModDecl {
  name: string;
  node: Node;
  pathAttr?: string;
  /** `#[cfg_attr(<predicate>, path = "…")]`: the path used when the predicate holds. */
  cfgPaths: { predicate: string; path: string }[];
  /** Names of the inline `mod x { ... }` blocks around the declaration, outermost first. */
  inline: string[];
  cfgs: string[];
}

function modDeclarations(source: RustSource): ModDecl[] {
  const out: ModDecl[] = [];
  for (const m of matchAll(source, MOD_DECL)) {
    if (source.inLineComment(m.index)) continue;
    const n = codeNodeAt(source, m.index);
    if (!n || n.type !== "mod") continue;
    const item = n.parent;
    if (!item || item.type !== "mod_item" || item.childForFieldName("body")) continue;
    const name = item.childForFieldName("name")?.text.replace(/^r#/, "");
    if (!name) continue;
    const attrs = outerAttributes(item);
    const pathAttr = attrs.find((a) => a.name === "path")?.value;
    const cfgPaths: ModDecl["cfgPaths"] = [];
    for (const a of attrs) {
      if (a.name !== "cfg_attr" || a.args === undefined) continue;
      const m = /^(.*),\s*path\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/s.exec(a.args);
      if (m) cfgPaths.push({ predicate: m[1]!.trim(), path: m[2]! });
    }
    const inline: string[] = [];
    for (const p of ancestors(item).slice(1)) {
      if (p.type === "mod_item") {
        const inner = p.childForFieldName("name")?.text.replace(/^r#/, "");
        if (inner) inline.unshift(inner);
      }
    }
    out.push({ name, node: item, pathAttr, cfgPaths, inline, cfgs: cfgConditions(item).reverse() });
  }
  return out;
}

/** What is at a module path: a file to read, nothing, a symlink loop, or something else (a FIFO, a device…). */
async function statKind(p: string): Promise<{ kind: "file" | "missing" | "loop" | "other"; what?: string }> {
  try {
    const st = await fsp.stat(p);
    return st.isFile() ? { kind: "file" } : { kind: "other", what: kindOf(st) };
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ELOOP" ? { kind: "loop", what: "a symbolic link loop" } : { kind: "missing" };
  }
}

/**
 * Follows `mod x;` from a crate root the way rustc does: `x.rs` or `x/mod.rs` next to a directory-owning file,
 * `<stem>/x.rs` next to any other file, `#[path]` relative to the declaring file's directory, and
 * `#[cfg_attr(<cfg>, path = "…")]` by its cfg. Modules that `cfgTest` shows are not compiled are not read. A
 * file that is not there, a symlink loop or a module that includes itself is recorded in `missing` — rustc says
 * what it thinks of it, freestand reads what it can.
 */
export async function loadModuleTree(rootFile: string, store: SourceStore, cfgTest: CfgTest = () => undefined, missing: MissingModule[] = []): Promise<ModuleFile[]> {
  const out: ModuleFile[] = [];
  const rootReal = await realpathOrThrow(rootFile);
  const visit = async (file: string, cfgs: string[], ownsDirectory: boolean, chain: string[]): Promise<void> => {
    const source = await store.load(file);
    const ownCfg = (/#!\[\s*cfg\b/.test(source.text) ? innerAttributes(source) : []).filter((a) => a.name === "cfg" && a.args !== undefined).map((a) => a.args!);
    const mod: ModuleFile = { path: file, source, cfgs: [...cfgs, ...ownCfg], ownsDirectory };
    out.push(mod);
    const baseDir = ownsDirectory ? path.dirname(file) : path.join(path.dirname(file), path.basename(file, ".rs"));
    for (const decl of modDeclarations(source)) {
      const declCfgs = [...mod.cfgs, ...decl.cfgs];
      if (cfgTest(declCfgs) === false) continue;
      // The path rustc uses: the first cfg_attr path whose cfg holds, else the plain #[path]; when a cfg is
      // unknown, every path it could take is a candidate.
      const paths: string[] = [];
      let decided = false;
      for (const cp of decl.cfgPaths) {
        const v = cfgTest([cp.predicate]);
        if (v === true) {
          paths.push(cp.path);
          decided = true;
          break;
        }
        if (v === undefined) paths.push(cp.path);
      }
      if (!decided && decl.pathAttr !== undefined) paths.push(decl.pathAttr);
      const attrDir = decl.inline.length > 0 ? path.join(baseDir, ...decl.inline) : path.dirname(file);
      const candidates = paths.map((p) => path.resolve(attrDir, p));
      let owns = false;
      if (!decided && decl.pathAttr === undefined) {
        const dir = path.join(baseDir, ...decl.inline);
        candidates.push(path.join(dir, `${decl.name}.rs`), path.join(dir, decl.name, "mod.rs"));
      }
      let found: string | undefined;
      let unreadable: MissingModule["unreadable"];
      for (const [i, c] of candidates.entries()) {
        const { kind, what } = await statKind(c);
        if (what !== undefined) unreadable ??= { path: c, what };
        if (kind === "file") {
          found = c;
          // A file reached through a path attribute owns its directory, like a mod.rs.
          owns = i < paths.length || path.basename(c) === "mod.rs";
          break;
        }
      }
      const gated = declCfgs.length > 0;
      const line = source.lineOf(decl.node.startIndex) + 1;
      if (!found) {
        if (!gated || unreadable !== undefined) missing.push({ file, line, span: source.span(decl.node), name: decl.name, candidates, unreadable });
        continue;
      }
      const real = await realpathOrThrow(found);
      if (chain.includes(real)) {
        missing.push({ file, line, span: source.span(decl.node), name: decl.name, candidates: [found] });
        continue;
      }
      if (out.some((m) => m.path === found)) continue;
      await visit(found, declCfgs, owns, [...chain, real]);
    }
  };
  await visit(rootFile, [], true, [rootReal]);
  return out;
}

async function realpathOrThrow(p: string): Promise<string> {
  try {
    return await fsp.realpath(p);
  } catch (err) {
    throw new FreestandError(describeError(err));
  }
}
