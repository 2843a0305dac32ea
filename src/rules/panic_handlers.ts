import type { Node } from "web-tree-sitter";
import type { CrateUnit } from "../crate/model.js";
import type { ModuleFile } from "../crate/modules.js";
import type { RuleContext } from "./context.js";
import { cfgConditions } from "../syntax/queries.js";

export interface PanicHandler {
  unit: CrateUnit;
  module: ModuleFile;
  attr: Node;
  item: Node | undefined;
  /** cfg conditions gating it (its module's and its own); empty: always compiled. */
  cfgs: string[];
}

/** The `#[panic_handler]`s a crate links: its own and, for a binary, its package library's. */
export function panicHandlers(ctx: RuleContext, unit: CrateUnit): PanicHandler[] {
  const units = [unit];
  const lib = ctx.lib();
  if (unit.spec.kind === "bin" && lib) units.push(lib);
  const out: PanicHandler[] = [];
  for (const u of units) {
    for (const { module, value } of ctx.attributes(u, ["panic_handler"])) {
      out.push({ unit: u, module, attr: value.attr.node, item: value.item, cfgs: [...module.cfgs, ...(value.item ? cfgConditions(value.item) : [])] });
    }
  }
  return out;
}

/** Dependencies known to provide a `#[panic_handler]`. */
export function panicCrate(ctx: RuleContext): string | undefined {
  for (const d of ctx.crate.manifest.dependencies) {
    const n = d.package.replace(/-/g, "_");
    if (n.includes("panic") || n === "esp_backtrace" || n === "uefi_services") return d.name;
  }
  return undefined;
}
