import type { Rule } from "./types.js";
import { entryFunctions } from "./entry-points.js";
import { insertLineBefore } from "./helpers.js";

export const entryPointMangled: Rule = {
  id: "entry_point_mangled",
  defaultSeverity: "error",
  summary: "the entry function has no `#[no_mangle]`, so the linker never finds it",
  fixable: true,
  explanation: `## What it finds

A function named like the target's entry symbol (\`_start\` for the host and most bare-metal targets) in a
\`#![no_main]\` binary, without \`#[no_mangle]\` (\`#[unsafe(no_mangle)]\`) or \`#[export_name = "_start"]\`.

## Why it matters

Rust mangles symbol names: the function is emitted as \`_ZN4demo6_start17h…E\`, not \`_start\`. The link still
succeeds — the linker only warns that it \`cannot find entry symbol _start; defaulting to 0\` — and the program
jumps to address 0 when it starts, or the unused function is dropped altogether.

## How to fix it

\`\`\`rust
#[unsafe(no_mangle)] // edition 2024, and any edition from Rust 1.82
pub extern "C" fn _start() -> ! {
    loop {}
}
\`\`\`

On older compilers and editions before 2024 the attribute is spelled \`#[no_mangle]\`. \`freestand check --fix\`
adds the spelling that fits the crate's edition and compiler.
`,
  check(ctx) {
    // On x86_64 Linux a Rust `_start` is the wrong shape altogether: entry_point_stack_alignment says so, with the
    // trampoline as its fix; telling the user to export it first would only lead to the crash.
    if (ctx.target.hostLinux && ctx.target.arch === "x86_64") return [];
    return entryFunctions(ctx)
      .filter((e) => !e.export)
      .map((e) => {
        const attr = ctx.attributeText("no_mangle");
        const name = e.fn.childForFieldName("name")!;
        return {
          message: `the entry function \`${name.text}\` has no \`${attr}\``,
          file: e.module.path,
          span: e.module.source.span(name),
          label: "this symbol will be mangled; the entry address becomes 0",
          help: [`add \`${attr}\` so the symbol is called \`${ctx.target.entrySymbol}\``],
          fix: { description: `add \`${attr}\``, edits: [insertLineBefore(e.module.source, e.fn, attr)] },
        };
      });
  },
};
