import type { Rule } from "./types.js";

const ALLOCATOR_CRATES = ["embedded-alloc", "alloc-cortex-m", "linked_list_allocator", "talc", "buddy_system_allocator", "wee_alloc", "good_memory_allocator", "emballoc", "rlsf", "esp-alloc", "static-alloc", "dlmalloc", "slab_allocator_rs"];

export const allocWithoutGlobalAllocator: Rule = {
  id: "alloc_without_global_allocator",
  defaultSeverity: "error",
  summary: "a binary that uses `alloc` needs a `#[global_allocator]`",
  fixable: false,
  explanation: `## What it finds

A \`#![no_std]\` binary whose crate (or package library) declares \`extern crate alloc;\`, with no
\`#[global_allocator]\` static in the binary or its library and no dependency known to provide a heap
(\`embedded-alloc\`, \`linked_list_allocator\`, \`talc\`, \`buddy_system_allocator\`, …).

## Why it matters

\`Vec\`, \`Box\` and \`String\` call the global allocator; without std nobody provides one. rustc stops with
\`error: no global memory allocator found but one is required; link to std or add \`#[global_allocator]\` to a
static item that implements the GlobalAlloc trait\`.

## How to fix it

Give the program a heap, for example with \`embedded-alloc\`:

\`\`\`rust
use embedded_alloc::LlffHeap as Heap;

#[global_allocator]
static HEAP: Heap = Heap::empty();
\`\`\`

and initialise it with a memory region before the first allocation. (Since Rust 1.68 no
\`#[alloc_error_handler]\` is needed: allocation failures panic.)
`,
  check(ctx) {
    const lib = ctx.lib();
    const libAlloc = lib ? ctx.rootFacts(lib).externAlloc : false;
    const hasAllocatorDep = ctx.hasDependency(...ALLOCATOR_CRATES);
    if (hasAllocatorDep) return [];
    const libHasAllocator = lib ? ctx.attributes(lib, ["global_allocator"]).length > 0 : false;
    return ctx
      .finalArtifacts()
      .filter((u) => ctx.isNoStd(u) && u.spec.kind === "bin")
      .filter((u) => ctx.rootFacts(u).externAlloc || libAlloc)
      .filter((u) => !libHasAllocator && ctx.attributes(u, ["global_allocator"]).length === 0)
      .map((u) => {
        const facts = ctx.rootFacts(u);
        const decl = facts.root.source.root.namedChildren.find((c) => c?.type === "extern_crate_declaration" && c.childForFieldName("name")?.text === "alloc");
        return {
          message: "the program uses `alloc` but has no `#[global_allocator]`",
          file: u.spec.root,
          span: decl ? facts.root.source.span(decl) : { start: 0, end: 0 },
          label: decl ? "`alloc` is linked here" : undefined,
          help: ["declare a `#[global_allocator]` static (for example `embedded_alloc::LlffHeap`) and initialise it before allocating"],
        };
      });
  },
};
