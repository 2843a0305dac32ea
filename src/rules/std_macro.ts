import type { Rule, Finding } from "./types.js";
import type { CrateUnit } from "../crate/model.js";

/** A glob import from another crate (`use defmt::*;`, `use defmt::{todo, *};`), which may bring macros in. */
function externalGlob(text: string): boolean {
  if (!text.includes("*")) return false;
  for (const m of text.matchAll(/\buse\s+(?:::)?(\w+)::(?:[\w:]*::)?(?:\*|\{[^;]*\*[^;]*\})\s*;/g)) {
    if (!["core", "alloc", "std", "crate", "self", "super"].includes(m[1]!)) return true;
  }
  return false;
}

/** Crates named in `#[macro_use] extern crate x;` anywhere in the crate. */
function macroUseCrates(unit: CrateUnit): string[] {
  const out: string[] = [];
  for (const m of unit.modules) {
    if (!m.source.text.includes("macro_use")) continue;
    for (const match of m.source.text.matchAll(/#\s*\[\s*macro_use\s*\]\s*(?:#\s*\[[^\]]*\]\s*)*(?:pub\s+)?extern\s+crate\s+(\w+)/g)) out.push(match[1]!);
  }
  return out;
}

const PRINT_MACROS = new Set(["println", "print", "eprintln", "eprint", "dbg"]);
const ALLOC_MACROS = new Set(["format", "vec"]);

export const stdMacro: Rule = {
  id: "std_macro",
  defaultSeverity: "error",
  summary: "`println!`, `print!`, `eprintln!`, `dbg!` need std; `format!` and `vec!` need `alloc`",
  fixable: true,
  explanation: `## What it finds

In a \`#![no_std]\` crate: \`println!\`, \`print!\`, \`eprintln!\`, \`eprint!\` and \`dbg!\` (which write to the
process's standard output and error, which a freestanding program does not have), and \`format!\` / \`vec!\`
used without the \`alloc\` crate in scope. Only code the normal build compiles is reported (not
\`#[cfg(test)]\`, not \`#[cfg(feature = "std")]\` when that feature is off, not a cfg nobody can decide), and
not macros the crate defines itself with \`macro_rules!\`, imports with \`use\`, or gets from
\`#[macro_use] extern crate …;\` (its own library's are read; another crate's may define \`println!\`).

## Why it matters

rustc stops with \`error: cannot find macro \`println\` in this scope\`.

## How to fix it

Print through your own console: implement \`core::fmt::Write\` for your serial port, UART or \`write(2)\` system
call and define \`print!\`/\`println!\` macros over it (the crates \`freestand new\` creates do exactly that).
For \`format!\` and \`vec!\`, declare \`extern crate alloc;\`, provide a \`#[global_allocator]\`, and write
\`alloc::format!\` / \`alloc::vec!\` (or \`use alloc::{format, vec};\`). \`freestand check --fix\` rewrites
\`format!\` to \`alloc::format!\` when \`extern crate alloc;\` is already there.
`,
  check(ctx) {
    const out: Finding[] = [];
    for (const unit of ctx.crate.units) {
      const facts = ctx.rootFacts(unit);
      if (!ctx.isNoStd(unit) || facts.externStd) continue;
      const local = ctx.localMacros(unit);
      // `#[macro_use] extern crate x;` brings x's exported macros in: the package's own library is read; any
      // other crate may define `println!` itself, so print macros are not judged then.
      const macroUse = macroUseCrates(unit).filter((n) => n !== "alloc" && n !== "core");
      const lib = ctx.lib();
      const fromLib = lib && macroUse.includes(lib.spec.name) ? ctx.localMacros(lib) : new Set<string>();
      // Another crate's macros (`#[macro_use] extern crate log;`, or a glob `use defmt::*;`) may include any of
      // these names: they are then not judged in the unit (or the module) at all.
      const opaqueCrate = macroUse.some((n) => !lib || n !== lib.spec.name);
      const imported = (name: string) =>
        unit.modules.some((m) => new RegExp(`\\buse\\s[^;]*\\b${name}\\b[^;]*;`).test(m.source.text));
      for (const { module, value } of ctx.codeMatches(unit, "std_macro", /\b(println|print|eprintln|eprint|dbg|format|vec)\s*!/g)) {
        const name = value.match[1]!;
        const node = value.node;
        const inv = node.parent;
        if (node.type !== "identifier" || inv?.type !== "macro_invocation" || !inv.childForFieldName("macro")?.equals(node)) continue;
        if (local.has(name) || fromLib.has(name) || imported(name) || ctx.notCertainlyCompiled(module, node)) continue;
        if (opaqueCrate || externalGlob(module.source.text)) continue;
        const src = module.source;
        if (PRINT_MACROS.has(name)) {
          out.push({
            message: `\`${name}!\` needs the standard library`,
            file: module.path,
            span: src.spanOf(node.startIndex, node.endIndex + 1),
            label: "there is no standard output without an operating system",
            help: ["write to your console through a `core::fmt::Write` implementation and your own `print!`/`println!` macros"],
          });
        } else if (ALLOC_MACROS.has(name) && !facts.macroUseAlloc) {
          const at = src.byte(node.startIndex);
          out.push({
            message: `\`${name}!\` is not in scope without \`alloc\``,
            file: module.path,
            span: src.spanOf(node.startIndex, node.endIndex + 1),
            label: "`std` is not linked",
            help: facts.externAlloc
              ? [`write \`alloc::${name}!\` (or \`use alloc::${name};\`)`]
              : [`add \`extern crate alloc;\` to the crate root, provide a \`#[global_allocator]\`, and write \`alloc::${name}!\``],
            fix: facts.externAlloc ? { description: `write \`alloc::${name}!\``, edits: [{ file: module.path, start: at, end: at, text: "alloc::" }] } : undefined,
          });
        }
      }
    }
    return out;
  },
};
