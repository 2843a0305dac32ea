import type { Node } from "web-tree-sitter";
import type { CrateUnit } from "../crate/model.js";
import type { ModuleFile } from "../crate/modules.js";
import type { Tri } from "../crate/target.js";
import type { RuleContext } from "./context.js";

export interface PanicHandler {
  unit: CrateUnit;
  module: ModuleFile;
  attr: Node;
  item: Node | undefined;
  /** Is it compiled in the package's normal build (its cfgs and its module's): true, false or unknown. */
  compiled: Tri;
}

/**
 * The `#[panic_handler]`s a crate links: its own and, for a program that uses it, its package library's
 * (compiled without `cfg(test)`, as a dependency always is). Handlers that cfg removes are left out.
 */
export function panicHandlers(ctx: RuleContext, unit: CrateUnit): PanicHandler[] {
  const units = [unit];
  const lib = ctx.lib();
  if (lib && unit !== lib && ctx.linksLib(unit)) units.push(lib);
  const out: PanicHandler[] = [];
  for (const u of units) {
    for (const { module, value } of ctx.attributes(u, ["panic_handler"])) {
      const compiled = ctx.compiled(module, value.item ?? value.attr.node);
      if (compiled !== false) out.push({ unit: u, module, attr: value.attr.node, item: value.item, compiled });
    }
  }
  return out;
}

/** Crates that exist to be the panic handler (`panic-halt`, `panic-probe`, …) or that provide one by default. */
export function isPanicCrate(name: string): boolean {
  const n = name.replace(/-/g, "_");
  return /^panic_/.test(n) || n.endsWith("_panic") || n === "esp_backtrace" || n === "uefi_services" || n === "rp2040_panic_usb_boot";
}
