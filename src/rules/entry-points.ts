import type { Node } from "web-tree-sitter";
import type { CrateUnit } from "../crate/model.js";
import type { ModuleFile } from "../crate/modules.js";
import type { RuleContext } from "./context.js";
import { outerAttributes, type AttributeInfo } from "../syntax/queries.js";

export interface EntryFunction {
  unit: CrateUnit;
  module: ModuleFile;
  fn: Node;
  /** `no_mangle` / `export_name = "<entry>"` on it, if any. */
  export?: AttributeInfo;
}

/**
 * The Rust functions that are the program's entry: named like the target's entry symbol (`_start`), or exported
 * under that name with `#[export_name]`, in `#![no_main]` binaries. An entry written in `global_asm!` is not one.
 */
export function entryFunctions(ctx: RuleContext): EntryFunction[] {
  const symbol = ctx.target.entrySymbol;
  const out: EntryFunction[] = [];
  for (const unit of ctx.programs()) {
    if (unit.spec.kind === "lib" || ctx.rootFacts(unit).noMainState !== true) continue;
    const seen = new Set<number>();
    const consider = (module: ModuleFile, fn: Node | undefined | null) => {
      if (!fn || fn.type !== "function_item" || seen.has(fn.startIndex) || ctx.compiled(module, fn) === false) return;
      const attrs = outerAttributes(fn);
      const exportAttr = attrs.find((a) => a.name === "no_mangle" || a.name === "export_name");
      if (exportAttr?.name === "export_name" && exportAttr.value !== symbol) return;
      if (!exportAttr && fn.childForFieldName("name")?.text !== symbol) return;
      seen.add(fn.startIndex);
      out.push({ unit, module, fn, export: exportAttr });
    };
    const re = new RegExp(`\\bfn\\s+${symbol.replace(/[^\w]/g, "")}\\b`, "g");
    for (const m of ctx.codeMatches(unit, `fn:${symbol}`, re)) {
      const name = m.value.node;
      if (name.parent?.childForFieldName("name")?.equals(name)) consider(m.module, name.parent);
      else if (name.type === "fn") consider(m.module, name.parent);
    }
    for (const { module, value } of ctx.attributes(unit, ["export_name"])) if (value.attr.value === symbol) consider(module, value.item);
  }
  return out;
}
