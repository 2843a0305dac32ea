import path from "node:path";
import { promises as fsp } from "node:fs";
import type { Node } from "web-tree-sitter";
import { readUtf8File } from "../util/fs.js";
import { describeError, FreestandError } from "../errors.js";
import { RustSource, maskUnknownSyntax } from "../syntax/source.js";
import { rustParser } from "../syntax/parser.js";
import { cfgConditions, codeNodeAt, innerAttributes, matchAll, outerAttributes } from "../syntax/queries.js";

/** One file of a crate's module tree. */
export interface ModuleFile {
  path: string;
  source: RustSource;
  /** `cfg(...)` conditions that gate this file: on its `mod` declarations (outermost first) and its own `#![cfg]`. */
  cfgs: string[];
  /** The crate root, a `mod.rs`, or a file reached through `#[path]`: its child modules live beside it. */
  ownsDirectory: boolean;
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
    const parser = await rustParser();
    const source = new RustSource(file, text, (t) => {
      const tree = parser.parse(maskUnknownSyntax(t));
      if (!tree) throw new FreestandError(`${file} could not be parsed.`);
      return tree;
    });
    this.byPath.set(file, source);
    return source;
  }

  /** Text of every loaded source, by path (what the reporters need for code frames). */
  texts(): Map<string, string> {
    return new Map([...this.byPath].map(([p, s]) => [p, s.text]));
  }

  /** Frees the wasm memory of every tree. */
  dispose(): void {
    for (const s of this.byPath.values()) s.dispose();
    this.byPath.clear();
  }
}

const MOD_DECL = /\bmod\s+(?:r#)?[A-Za-z_][A-Za-z0-9_]*\s*;/g;

interface ModDecl {
  name: string;
  node: Node;
  pathAttr?: string;
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
    const pathAttr = outerAttributes(item).find((a) => a.name === "path")?.value;
    const inline: string[] = [];
    for (let p = item.parent; p; p = p.parent) {
      if (p.type === "mod_item") {
        const inner = p.childForFieldName("name")?.text.replace(/^r#/, "");
        if (inner) inline.unshift(inner);
      }
    }
    out.push({ name, node: item, pathAttr, inline, cfgs: cfgConditions(item).reverse() });
  }
  return out;
}

async function statKind(p: string): Promise<"file" | "missing" | "loop" | "other"> {
  try {
    return (await fsp.stat(p)).isFile() ? "file" : "other";
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ELOOP" ? "loop" : "missing";
  }
}

/**
 * Follows `mod x;` from a crate root the way rustc does: `x.rs` or `x/mod.rs` next to a directory-owning file,
 * `<stem>/x.rs` next to any other file, `#[path]` relative to the declaring file's directory. A missing file is an
 * error unless a `cfg` gates the declaration (it may be for another target); a symlink loop or a module that
 * includes itself is an error.
 */
export async function loadModuleTree(rootFile: string, store: SourceStore): Promise<ModuleFile[]> {
  const out: ModuleFile[] = [];
  const rootReal = await realpathOrThrow(rootFile);
  const visit = async (file: string, cfgs: string[], ownsDirectory: boolean, chain: string[]): Promise<void> => {
    const source = await store.load(file);
    const ownCfg = (/#!\[\s*cfg\b/.test(source.text) ? innerAttributes(source) : []).filter((a) => a.name === "cfg" && a.args !== undefined).map((a) => a.args!);
    const mod: ModuleFile = { path: file, source, cfgs: [...cfgs, ...ownCfg], ownsDirectory };
    out.push(mod);
    const baseDir = ownsDirectory ? path.dirname(file) : path.join(path.dirname(file), path.basename(file, ".rs"));
    for (const decl of modDeclarations(source)) {
      let candidates: string[];
      let owns: boolean;
      if (decl.pathAttr !== undefined) {
        const dir = decl.inline.length > 0 ? path.join(baseDir, ...decl.inline) : path.dirname(file);
        candidates = [path.resolve(dir, decl.pathAttr)];
        owns = true;
      } else {
        const dir = path.join(baseDir, ...decl.inline);
        candidates = [path.join(dir, `${decl.name}.rs`), path.join(dir, decl.name, "mod.rs")];
        owns = false;
      }
      let found: string | undefined;
      for (const c of candidates) {
        const kind = await statKind(c);
        if (kind === "loop") throw new FreestandError(`${c} is a symbolic link loop.`);
        if (kind === "file") {
          found = c;
          owns = owns || path.basename(c) === "mod.rs";
          break;
        }
      }
      const gated = decl.cfgs.length > 0 || cfgs.length > 0;
      if (!found) {
        if (gated) continue;
        const line = source.lineOf(decl.node.startIndex) + 1;
        const where = candidates.map((c) => path.relative(path.dirname(rootFile), c) || c).join(" or ");
        throw new FreestandError(`${file}:${line}: \`mod ${decl.name};\` has no source file (looked for ${where}).`);
      }
      const real = await realpathOrThrow(found);
      if (chain.includes(real)) throw new FreestandError(`${file}: \`mod ${decl.name};\` includes ${found}, which is already one of its parent modules (a module loop).`);
      if (out.some((m) => m.path === found)) continue;
      await visit(found, [...cfgs, ...decl.cfgs], owns, [...chain, real]);
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
