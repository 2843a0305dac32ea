import type { Node } from "web-tree-sitter";
import type { CrateModel, CrateUnit } from "../crate/model.js";
import type { ModuleFile } from "../crate/modules.js";
import type { Edition } from "../crate/manifest.js";
import type { ToolchainInfo } from "../crate/toolchain.js";
import { versionAtLeast } from "../crate/toolchain.js";
import type { TargetFacts } from "../crate/target.js";
import { cfgConditions, findAttributes, innerAttributes, matchAll, codeNodeAt, outerAttributes, type AttributeInfo } from "../syntax/queries.js";
import type { Tri } from "../crate/target.js";
import { dependencyActive, dependencyProvides, type ProvidedItem, type Provision } from "../crate/providers.js";
import { splitCfgAttr } from "../toolchain/cfg.js";
import { promises as fsp } from "node:fs";
import path from "node:path";
import { readTextFile } from "../util/fs.js";
import { locateCore, plainCargo } from "../toolchain/invocation.js";
import { rlibCompiler } from "../toolchain/rlib.js";

/** Facts about a crate root that several rules need. */
export interface RootFacts {
  root: ModuleFile;
  /** `#![no_std]`, or `#![cfg_attr(<cond>, no_std)]` (then `noStdCondition` holds the condition). */
  noStd?: AttributeInfo;
  noStdCondition?: string;
  /** Does `#![no_std]` apply in this build: true (plain, or its cfg_attr holds), false, or unknown? */
  noStdState: Tri;
  noMain?: AttributeInfo;
  noMainCondition?: string;
  noMainState: Tri;
  features: AttributeInfo[];
  /** `extern crate alloc;` in the root. */
  externAlloc: boolean;
  /** `#[macro_use] extern crate alloc;`: `format!` and `vec!` are in scope everywhere. */
  macroUseAlloc: boolean;
  /** An `extern crate std;` in the root that is compiled (or may be): the crate links std on purpose. */
  externStd: boolean;
}

/** A place a rule found through the shared queries: the module file and the item. */
export interface Located<T> {
  module: ModuleFile;
  value: T;
}

/**
 * What every rule sees: the crate model plus shared, memoised questions about it (so ten rules asking
 * "where are the `#[panic_handler]`s" search the sources once).
 */
export class RuleContext {
  private readonly memo = new Map<string, unknown>();

  constructor(readonly crate: CrateModel) {}

  get edition(): Edition {
    return this.crate.manifest.edition;
  }
  get toolchain(): ToolchainInfo {
    return this.crate.toolchain;
  }
  get target(): TargetFacts {
    return this.crate.target;
  }
  get manifestPath(): string {
    return this.crate.manifest.doc.path;
  }

  private cached<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  // The disk and the toolchain, as rules may see them: through the context (asked once), never directly.

  /** The names in a directory; [] when it cannot be read. */
  listDir(dir: string): Promise<string[]> {
    return this.cached(`dir:${dir}`, () => fsp.readdir(dir).catch(() => [] as string[]));
  }

  /** A file's text (an editor's unsaved text when it stands in for it); undefined when it cannot be read. */
  readText(file: string): Promise<string | undefined> {
    return this.cached(`text:${file}`, () => readTextFile(file).catch(() => undefined));
  }

  /** The texts of the `.rs` files below a directory (a path dependency's sources), at most `max` of them. */
  rustTextsUnder(dir: string, max = 300): Promise<string[]> {
    return this.cached(`rs:${dir}`, async () => {
      const out: string[] = [];
      const walk = async (d: string): Promise<void> => {
        for (const e of await fsp.readdir(d, { withFileTypes: true }).catch(() => [])) {
          if (out.length >= max) return;
          const p = path.join(d, e.name);
          if (e.isDirectory()) await walk(p);
          else if (e.isFile() && e.name.endsWith(".rs")) out.push(await readTextFile(p).catch(() => ""));
        }
      };
      await walk(dir);
      return out;
    });
  }

  /** Where `core` for a target comes from for the compiler cargo runs in the workspace (toolchain/invocation.ts). */
  coreFor(triple: string): ReturnType<typeof locateCore> {
    return this.cached(`core:${triple}`, () => locateCore({ crateDir: this.crate.workspace.invocationDir, triple, env: this.crate.config.env }));
  }

  /** Whether plain `cargo build` works for the target in the workspace, and the command line that would. */
  plainCargo(triple: string): ReturnType<typeof plainCargo> {
    return this.cached(`plain:${triple}`, () => plainCargo({ crateDir: this.crate.workspace.invocationDir, triple, env: this.crate.config.env }));
  }

  /** The compiler that built an rlib (from its metadata). */
  rlibCompiler(file: string): ReturnType<typeof rlibCompiler> {
    return this.cached(`rlib:${file}`, () => rlibCompiler(file));
  }

  /** `#[unsafe(no_mangle)]` where the compiler accepts it (edition 2024 requires it; Rust >= 1.82 accepts it everywhere). */
  unsafeAttributesSupported(): boolean {
    return this.edition === "2024" || versionAtLeast(this.toolchain, 1, 82);
  }

  /** The attribute text the crate's edition and compiler want: `#[unsafe(no_mangle)]` or `#[no_mangle]`. */
  attributeText(inner: string): string {
    return this.unsafeAttributesSupported() ? `#[unsafe(${inner})]` : `#[${inner}]`;
  }

  /** Evaluates cfg conditions in the package's normal build: true, false, or unknown. */
  compiled(module: ModuleFile, node?: Node): Tri {
    return this.crate.cfgTest([...module.cfgs, ...(node ? cfgConditions(node) : [])]);
  }

  /** A `#![cfg_attr(<pred>, name)]` root attribute's state: whether `name` applies in this build. */
  private attrState(attrs: AttributeInfo[], name: string): { attr?: AttributeInfo; condition?: string; state: Tri } {
    const plain = attrs.find((a) => a.name === name);
    if (plain) return { attr: plain, state: true };
    let found: { attr?: AttributeInfo; condition?: string; state: Tri } = { state: false };
    for (const a of attrs) {
      if (a.name !== "cfg_attr" || a.args === undefined) continue;
      const split = splitCfgAttr(a.args);
      if (!split || !split.attrs.some((t) => t.replace(/\s+/g, "") === name)) continue;
      const state = this.crate.cfgTest([split.predicate]);
      if (state === true) return { attr: a, condition: split.predicate, state };
      if (found.attr === undefined || state === undefined) found = { attr: a, condition: split.predicate, state };
    }
    return found;
  }

  rootFacts(unit: CrateUnit): RootFacts {
    return this.cached(`root:${unit.spec.root}`, () => {
      const root = unit.modules[0]!;
      const attrs = innerAttributes(root.source);
      const noStd = this.attrState(attrs, "no_std");
      const noMain = this.attrState(attrs, "no_main");
      const features = attrs.filter((a) => a.name === "feature");
      let externAlloc = false;
      let macroUseAlloc = false;
      let externStd = false;
      for (const c of root.source.root.namedChildren) {
        if (c?.type !== "extern_crate_declaration") continue;
        const name = c.childForFieldName("name")?.text;
        const outer = outerAttributes(c);
        if (name === "alloc") {
          externAlloc = true;
          if (outer.some((a) => a.name === "macro_use")) macroUseAlloc = true;
        }
        if (name === "std" && this.compiled(root, c) !== false) externStd = true;
      }
      return {
        root,
        ...(noStd.attr ? { noStd: noStd.attr } : {}),
        ...(noStd.condition !== undefined ? { noStdCondition: noStd.condition } : {}),
        noStdState: noStd.state,
        ...(noMain.attr ? { noMain: noMain.attr } : {}),
        ...(noMain.condition !== undefined ? { noMainCondition: noMain.condition } : {}),
        noMainState: noMain.state,
        features,
        externAlloc,
        macroUseAlloc,
        externStd,
      };
    });
  }

  /** Is the crate built without std in this build (its `no_std` applies, and no `extern crate std` brings it back)? */
  isNoStd(unit: CrateUnit): boolean {
    const f = this.rootFacts(unit);
    return f.noStdState === true && !f.externStd;
  }

  /** Does cargo build this unit with the features chosen (its `required-features` are all on)? */
  enabled(unit: CrateUnit): boolean {
    return unit.spec.requiredFeatures.every((f) => this.crate.features.has(f));
  }

  /** The package is freestanding by evidence (see crate/roles.ts). */
  get freestanding(): boolean {
    return Boolean(this.crate.role.freestanding);
  }

  /** Whether the target has std, when the target is known at all. */
  get targetHasStd(): Tri {
    return this.targetKnown ? this.target.hasStd : undefined;
  }

  /**
   * Is the target known: chosen where cargo reads it, or nothing else could choose one? When a Makefile, an
   * alias or a build program may pass `--target`, the host is only cargo's default, not the target.
   */
  get targetKnown(): boolean {
    return this.target.explicit || this.crate.drivers.length === 0;
  }

  /** The library of the package, if it has one. */
  lib(): CrateUnit | undefined {
    return this.crate.units.find((u) => u.spec.kind === "lib");
  }
  /** The package's binaries that `cargo build` builds (their required features are on). */
  bins(): CrateUnit[] {
    return this.crate.units.filter((u) => u.spec.kind === "bin" && this.enabled(u));
  }
  /** Units that end up as programs: binaries, examples, staticlibs and cdylibs. */
  programs(): CrateUnit[] {
    return this.crate.units.filter((u) => ((u.spec.kind === "bin" || u.spec.kind === "example") && this.enabled(u)) || (u.spec.kind === "lib" && u.spec.crateTypes.some((t) => t === "staticlib" || t === "cdylib")));
  }

  /** Crates that end up as a program built by `cargo build`: binaries, staticlibs, cdylibs (examples are not built). */
  finalArtifacts(): CrateUnit[] {
    return this.programs().filter((u) => u.spec.kind !== "example");
  }

  /**
   * Does this unit link the package's library? A Rust 2018+ crate loads a dependency only when its code names
   * it (`use lib::…`, `lib::f()`, `extern crate lib`), so a library the binary never mentions is not linked and
   * its lang items do not count.
   */
  linksLib(unit: CrateUnit): boolean {
    const lib = this.lib();
    if (!lib || unit === lib || lib.spec.crateTypes.every((t) => t === "staticlib" || t === "cdylib" || t === "proc-macro")) return false;
    const re = new RegExp(`\\b${lib.spec.name}\\b`);
    return unit.modules.some((m) => re.test(m.source.text));
  }

  /**
   * Does a dependency provide this item for the unit? Examples, tests and benches also link the
   * dev-dependencies. (Memoised per package.)
   */
  dependencyProvides(item: ProvidedItem, knownProvider: (name: string) => boolean, unit?: CrateUnit): Promise<Provision> {
    const dev = unit !== undefined && unit.spec.kind !== "lib" && unit.spec.kind !== "bin";
    return this.cached(`provides:${item}:${dev}`, () => dependencyProvides(this.crate, item, knownProvider, dev));
  }

  /** Normal dependencies that take part in this build (platform and feature considered; unknown counts as taking part). */
  activeDependencies() {
    return this.crate.manifest.dependencies.filter((d) => dependencyActive(this.crate, d) !== false);
  }

  /** Attributes with these names across a crate's module files, with the item each is written on. */
  attributes(unit: CrateUnit, names: readonly string[]): Located<{ attr: AttributeInfo; item: Node | undefined }>[] {
    return this.cached(`attrs:${unit.spec.root}:${names.join(",")}`, () => {
      const out: Located<{ attr: AttributeInfo; item: Node | undefined }>[] = [];
      for (const module of unit.modules) for (const value of findAttributes(module.source, names)) out.push({ module, value });
      return out;
    });
  }

  /** Every regular-expression match that is real code (not a comment or string), per module file. */
  codeMatches(unit: CrateUnit, key: string, re: RegExp): Located<{ match: RegExpExecArray; node: Node }>[] {
    return this.cached(`re:${unit.spec.root}:${key}`, () => {
      const out: Located<{ match: RegExpExecArray; node: Node }>[] = [];
      for (const module of unit.modules) {
        for (const match of matchAll(module.source, re)) {
          if (module.source.inLineComment(match.index)) continue;
          const node = codeNodeAt(module.source, match.index);
          if (node) out.push({ module, value: { match, node } });
        }
      }
      return out;
    });
  }

  /**
   * Is this place outside the package's normal build, or possibly so (`#[cfg(test)]`, a feature that is off, a
   * cfg nobody can decide)? Rules that report errors skip such places.
   */
  notCertainlyCompiled(module: ModuleFile, node: Node): boolean {
    return this.compiled(module, node) !== true;
  }

  /** Names of the package's active normal dependencies (keys and package names), with `-` and `_` treated alike. */
  dependencyNames(): Set<string> {
    return this.cached("deps", () => {
      const s = new Set<string>();
      for (const d of this.activeDependencies()) {
        s.add(d.name.replace(/-/g, "_"));
        if (d.rename) s.add(d.rename.replace(/-/g, "_"));
      }
      return s;
    });
  }

  /** The first of these names that is an active dependency. */
  dependencyNamed(...names: string[]): string | undefined {
    const deps = this.dependencyNames();
    return names.find((n) => deps.has(n.replace(/-/g, "_")));
  }

  /** Names defined by `macro_rules!` anywhere in the crate (templates define their own `print!`/`println!`). */
  localMacros(unit: CrateUnit): Set<string> {
    return this.cached(`macros:${unit.spec.root}`, () => {
      const s = new Set<string>();
      for (const m of this.codeMatches(unit, "macro_rules", /\bmacro_rules!\s*(\w+)/g)) s.add(m.value.match[1]!);
      return s;
    });
  }

}
