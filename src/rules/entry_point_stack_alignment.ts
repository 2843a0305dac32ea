import type { Node } from "web-tree-sitter";
import type { Rule, Finding } from "./types.js";
import type { TextEdit } from "../diagnostics/types.js";
import { entryFunctions } from "./entry-points.js";
import { deleteLine, insertLineBefore } from "./helpers.js";

/** The trampoline `freestand new` writes (templates/host/src/rt.rs), calling `target` with the stack aligned. */
export function trampolineText(target: string, indent = ""): string {
  const lines = [
    "// Linux enters `_start` with the stack pointer aligned to 16 bytes; Rust code expects it 8 bytes off (as if a",
    "// `call` had pushed a return address). This trampoline aligns it and calls into Rust.",
    "core::arch::global_asm!(",
    '    ".globl _start",',
    '    "_start:",',
    '    "    xor ebp, ebp",',
    '    "    and rsp, -16",',
    '    "    call {entry}",',
    '    "    ud2",',
    `    entry = sym ${target},`,
    ");",
    "",
  ];
  return lines.map((l) => (l ? indent + l : l)).join("\n");
}

export const entryPointStackAlignment: Rule = {
  id: "entry_point_stack_alignment",
  defaultSeverity: "error",
  summary: "on x86_64 Linux a Rust `_start` runs with a misaligned stack; enter through an assembly trampoline",
  fixable: true,
  explanation: `## What it finds

A \`#![no_main]\` binary for the host (x86_64 Linux) whose \`_start\` is a Rust function:
\`#[unsafe(no_mangle)] pub extern "C" fn _start() -> !\`, the shape most tutorials show.

## Why it matters

The Linux kernel starts a process at \`_start\` with the stack pointer aligned to 16 bytes. A Rust (or C) function
expects it 8 bytes off that, as if a \`call\` had just pushed a return address. Code in a Rust \`_start\` therefore
runs misaligned: it builds and links, and then crashes (SIGSEGV) at the first SSE instruction that needs an aligned
stack slot — \`core::fmt\`'s float formatting is the usual place.

## How to fix it

Enter through a few lines of assembly that align the stack and call into Rust, as the crates \`freestand new\`
creates do:

\`\`\`rust
core::arch::global_asm!(
    ".globl _start",
    "_start:",
    "    xor ebp, ebp",
    "    and rsp, -16",
    "    call {entry}",
    "    ud2",
    entry = sym rust_start,
);

extern "C" fn rust_start() -> ! {
    // what _start did
    loop {}
}
\`\`\`

\`freestand check --fix\` writes exactly that: it renames the function to \`rust_start\`, removes its
\`no_mangle\` and puts the trampoline in front of it.
`,
  check(ctx) {
    const t = ctx.target;
    if (!t.hostLinux || t.arch !== "x86_64" || !ctx.targetKnown) return [];
    const out: Finding[] = [];
    for (const e of entryFunctions(ctx)) {
      const name = e.fn.childForFieldName("name");
      if (!name || name.text !== "_start") {
        if (e.export?.name !== "export_name") continue;
      }
      const src = e.module.source;
      const params = e.fn.childForFieldName("parameters")?.namedChildren.filter((p) => p && p.type === "parameter") ?? [];
      const edits: TextEdit[] = [];
      if (params.length === 0 && name) {
        if (e.export) {
          const attrItem = e.export.node;
          edits.push(deleteLine(src, attrItem));
        }
        // Keep `pub`, the ABI and the body; only the name changes, so the trampoline is the one `_start`.
        edits.push({ file: src.path, start: src.byte(name.startIndex), end: src.byte(name.endIndex), text: "rust_start" });
        const first = firstAttribute(e.fn, e.export?.node);
        edits.push(insertLineBefore(src, first, trampolineText("rust_start", src.indentAt(first.startIndex)).trimStart().replace(/\n$/, "")));
      }
      out.push({
        message: "on x86_64 Linux, a Rust `_start` runs with the stack misaligned for Rust code",
        file: e.module.path,
        span: src.span(name ?? e.fn),
        label: "entered by the kernel with the stack 16-byte aligned, not as after a `call`",
        notes: ["it builds and links, then crashes at the first SSE instruction that needs an aligned stack slot (float formatting in `core::fmt`)"],
        help: ["enter through an assembly trampoline that aligns the stack and calls into Rust (`global_asm!`), as the crates `freestand new` creates do"],
        ...(edits.length > 0 ? { fix: { description: "write the trampoline and call the Rust function `rust_start`", edits } } : {}),
      });
    }
    return out;
  },
};

/** The first outer attribute of an item other than `skip` (the trampoline goes above them), or the item itself. */
function firstAttribute(item: Node, skip?: Node): Node {
  let first = item;
  for (let s = item.previousNamedSibling; s; s = s.previousNamedSibling) {
    if (s.type === "attribute_item") {
      if (!skip || !s.equals(skip)) first = s;
    } else if (s.type !== "line_comment" && s.type !== "block_comment") break;
  }
  return first;
}
