import type { Rule, Finding } from "./types.js";
import type { CrateUnit } from "../crate/model.js";
import { namedList, rel } from "./helpers.js";

const ALLOCATOR_CRATES = ["embedded-alloc", "alloc-cortex-m", "linked_list_allocator", "talc", "buddy_system_allocator", "wee_alloc", "good_memory_allocator", "emballoc", "rlsf", "esp-alloc", "static-alloc", "dlmalloc", "slab_allocator_rs"];

export const allocWithoutGlobalAllocator: Rule = {
  id: "alloc_without_global_allocator",
  defaultSeverity: "error",
  summary: "a binary that uses `alloc` needs a `#[global_allocator]`",
  fixable: false,
  explanation: `## What it finds

A \`#![no_std]\` binary or example whose crate (or the package library it uses) declares \`extern crate alloc;\`,
with no compiled \`#[global_allocator]\` static in the program, its library, or a dependency whose source
declares one, and no heap crate among its dependencies (\`embedded-alloc\`, \`linked_list_allocator\`,
\`talc\`, \`buddy_system_allocator\`, …). When a dependency's source is not on this machine, it is a note.

## Why it matters

\`Vec\`, \`Box\` and \`String\` call the global allocator; without std nobody provides one. rustc stops with
\`error: no global memory allocator found but one is required; link to std or add \`#[global_allocator]\` to a
static item that implements the GlobalAlloc trait\`.

## How to fix it

Give the program a heap. \`freestand new --alloc\` makes a crate whose \`src/heap.rs\` is a small first-fit
\`#[global_allocator]\` over a region its linker script reserves (\`__heap_start\`..\`__heap_end\`): no dependency,
under two hundred lines to read. The \`embedded-alloc\` crate offers more strategies (\`LlffHeap\`, \`TlsfHeap\`) for one
dependency:

\`\`\`rust
use embedded_alloc::LlffHeap as Heap;

#[global_allocator]
static HEAP: Heap = Heap::empty();
\`\`\`

initialised with a memory region before the first allocation. (Since Rust 1.68 no \`#[alloc_error_handler]\` is
needed: allocation failures panic.)
`,
  async check(ctx) {
    const lib = ctx.lib();
    const libAlloc = lib ? ctx.rootFacts(lib).externAlloc : false;
    const allocators = (u: CrateUnit) => {
      const units = lib && u !== lib && ctx.linksLib(u) ? [u, lib] : [u];
      return units.flatMap((x) => ctx.attributes(x, ["global_allocator"]).filter((a) => ctx.compiled(a.module, a.value.item ?? a.value.attr.node) !== false));
    };
    const lacking = ctx
      .programs()
      .filter((u) => ctx.isNoStd(u) && u.spec.kind !== "lib")
      .filter((u) => ctx.rootFacts(u).externAlloc || (libAlloc && ctx.linksLib(u)))
      .filter((u) => allocators(u).length === 0);
    if (lacking.length === 0) return [];
    const out: Finding[] = [];
    for (const group of [lacking.filter((u) => u.spec.kind !== "example"), lacking.filter((u) => u.spec.kind === "example")]) {
      if (group.length === 0) continue;
      // A heap crate among the dependencies is taken as the allocator (some declare it through a macro of theirs,
      // which this text-level reading cannot see into): silent rather than wrong.
      const provided = await ctx.dependencyProvides("global_allocator", (n) => ALLOCATOR_CRATES.includes(n), group[0]);
      if (provided.kind === "yes") continue;
      const u = group[0]!;
      const facts = ctx.rootFacts(u);
      const decl = facts.root.source.root.namedChildren.find((c) => c?.type === "extern_crate_declaration" && c.childForFieldName("name")?.text === "alloc");
      const names = group.map((g) => rel(ctx.crate.dir, g.spec.root));
      const f: Finding = {
        message: group.length === 1 ? "the program uses `alloc` but has no `#[global_allocator]`" : `${group.length} programs use \`alloc\` but have no \`#[global_allocator]\`: ${namedList(names)}`,
        file: u.spec.root,
        span: decl ? facts.root.source.span(decl) : { start: 0, end: 0 },
        label: decl ? "`alloc` is linked here" : undefined,
        help: [
          `declare a \`#[global_allocator]\`: \`freestand new --alloc --target ${ctx.target.triple} <dir>\` makes a crate whose src/heap.rs is one (a first-fit heap over a region its link.x reserves) to start from, or use the \`embedded-alloc\` crate (more strategies, one dependency)`,
        ],
      };
      if (provided.kind === "unknown") {
        f.severity = "info";
        f.message = `${f.message}, unless a dependency provides one`;
        f.notes = [`freestand could not read ${namedList(provided.unread)}, which may declare it (or provide a macro that does)`];
      }
      out.push(f);
    }
    return out;
  },
};
