import type { Node } from "web-tree-sitter";
import type { CrateModel, CrateUnit } from "../crate/model.js";
import type { ModuleFile } from "../crate/modules.js";
import type { Edition } from "../crate/manifest.js";
import type { ToolchainInfo } from "../crate/toolchain.js";
import { versionAtLeast } from "../crate/toolchain.js";
import type { TargetFacts } from "../crate/target.js";
import type { RustSource } from "../syntax/source.js";
import { cfgConditions, cfgImpliesStd, findAttributes, innerAttributes, matchAll, codeNodeAt, outerAttributes, type AttributeInfo } from "../syntax/queries.js";

/** Facts about a crate root that several rules need. */
export interface RootFacts {
  root: ModuleFile;
  /** `#![no_std]`, or `#![cfg_attr(<cond>, no_std)]` (then `noStdCondition` holds the condition). */
  noStd?: AttributeInfo;
  noStdCondition?: string;
  noMain?: AttributeInfo;
  features: AttributeInfo[];
  /** `extern crate alloc;` in the root. */
  externAlloc: boolean;
  /** `#[macro_use] extern crate alloc;`: `format!` and `vec!` are in scope everywhere. */
  macroUseAlloc: boolean;
  /** An unconditional `extern crate std;`: the crate links std on purpose. */
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

  /** `#[unsafe(no_mangle)]` where the compiler accepts it (edition 2024 requires it; Rust >= 1.82 accepts it everywhere). */
  unsafeAttributesSupported(): boolean {
    return this.edition === "2024" || versionAtLeast(this.toolchain, 1, 82);
  }

  /** The attribute text the crate's edition and compiler want: `#[unsafe(no_mangle)]` or `#[no_mangle]`. */
  attributeText(inner: string): string {
    return this.unsafeAttributesSupported() ? `#[unsafe(${inner})]` : `#[${inner}]`;
  }

  rootFacts(unit: CrateUnit): RootFacts {
    return this.cached(`root:${unit.spec.root}`, () => {
      const root = unit.modules[0]!;
      const attrs = innerAttributes(root.source);
      let noStd = attrs.find((a) => a.name === "no_std");
      let noStdCondition: string | undefined;
      if (!noStd) {
        for (const a of attrs) {
          if (a.name !== "cfg_attr" || a.args === undefined) continue;
          const m = /^(.*),\s*no_std\s*$/s.exec(a.args);
          if (m) {
            noStd = a;
            noStdCondition = m[1]!.trim();
            break;
          }
        }
      }
      const noMain = attrs.find((a) => a.name === "no_main") ?? attrs.find((a) => a.name === "cfg_attr" && /,\s*no_main\s*$/.test(a.args ?? ""));
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
        if (name === "std" && !outer.some((a) => a.name === "cfg")) externStd = true;
      }
      return { root, noStd, noStdCondition, noMain, features, externAlloc, macroUseAlloc, externStd };
    });
  }

  /** Does the crate build without std (at least in its normal, non-test configuration)? */
  isNoStd(unit: CrateUnit): boolean {
    const f = this.rootFacts(unit);
    if (!f.noStd) return false;
    return true;
  }

  /** The library of the package, if it has one. */
  lib(): CrateUnit | undefined {
    return this.crate.units.find((u) => u.spec.kind === "lib");
  }
  bins(): CrateUnit[] {
    return this.crate.units.filter((u) => u.spec.kind === "bin");
  }

  /** Crates that end up as a program and so need a panic handler and an entry point: binaries, staticlibs, cdylibs. */
  finalArtifacts(): CrateUnit[] {
    return this.crate.units.filter((u) => u.spec.kind === "bin" || u.spec.crateTypes.some((t) => t === "staticlib" || t === "cdylib"));
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

  /** Is this place compiled only where std exists (`#[cfg(test)]`, `cfg(feature = "std")`, on it or its module)? */
  inStdContext(module: ModuleFile, node: Node): boolean {
    return module.cfgs.some(cfgImpliesStd) || cfgConditions(node).some(cfgImpliesStd);
  }

  /** Is this place under any cfg at all (it may not be compiled for this target)? */
  isCfgGated(module: ModuleFile, node: Node): boolean {
    return module.cfgs.length > 0 || cfgConditions(node).length > 0;
  }

  /** Names of the package's dependencies (keys and package names), with `-` and `_` treated alike. */
  dependencyNames(): Set<string> {
    return this.cached("deps", () => {
      const s = new Set<string>();
      for (const d of this.crate.manifest.dependencies) {
        s.add(d.name.replace(/-/g, "_"));
        s.add(d.package.replace(/-/g, "_"));
      }
      return s;
    });
  }

  hasDependency(...names: string[]): string | undefined {
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

  /** Byte offset of the end of a file's text. */
  endOf(source: RustSource): number {
    return source.byte(source.text.length);
  }
}
