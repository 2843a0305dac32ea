import type { ExplainEntry } from "../entry.js";
import path from "node:path";
import { quoted } from "./shared.js";

export const explainStdMacro: ExplainEntry = {
  code: "explain_std_macro",
  title: "cannot find macro `println` (print, eprintln, dbg, format, vec)",
  summary: "a `std` macro is used in a `no_std` crate",
  defaultSeverity: "error",
  rule: "std_macro",
  fixtures: ["std-macros"],
  explanation: `\`println!\`, \`print!\`, \`eprintln!\`, \`eprint!\` and \`dbg!\` write to the process's standard streams, which only
exist with an operating system; \`format!\` and \`vec!\` live in \`alloc\`, which a \`no_std\` crate must link explicitly.

- Console output: write a small serial (or semihosting) writer implementing \`core::fmt::Write\` and your own
  \`print!\`/\`println!\` macros over it; \`freestand new\` generates one for each target.
- \`format!\`/\`vec!\`: \`extern crate alloc;\`, then \`alloc::format!\` / \`alloc::vec!\` (with a \`#[global_allocator]\`).

Caught before compiling by \`freestand check\` (\`std_macro\`).`,
  match(ctx) {
    const name = quoted(ctx.msg.message, /^cannot find macro `(println|print|eprintln|eprint|dbg|format|vec)` in this scope/);
    if (!name) return undefined;
    const own = ctx.definesMacro(name);
    if (own) {
      // The crate has its own: it is defined where this use cannot see it.
      return {
        message: `this crate defines \`${name}!\` (${path.basename(own)}), but it is not in scope here`,
        help: [
          `put \`#[macro_use]\` on the \`mod\` that defines it and declare that module before the ones that use it, or export it with \`#[macro_export]\` and call it as \`crate::${name}!\``,
        ],
        data: { macro: name, definedIn: own },
        rule: null,
      };
    }
    const isAlloc = name === "format" || name === "vec";
    return {
      message: isAlloc
        ? `\`${name}!\` lives in \`alloc\`, which this \`no_std\` crate does not bring into scope`
        : `\`${name}!\` needs \`std\`'s standard streams, which a \`no_std\` crate does not have`,
      help: [
        isAlloc
          ? `add \`extern crate alloc;\` at the crate root and write \`alloc::${name}!\` (a \`#[global_allocator]\` is needed too)`
          : "print through a serial or semihosting writer that implements `core::fmt::Write`, with your own `print!`/`println!` macros over it",
      ],
      data: { macro: name },
    };
  },
};
