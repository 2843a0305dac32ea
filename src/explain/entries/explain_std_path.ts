import type { ExplainEntry } from "../entry.js";

export const explainStdPath: ExplainEntry = {
  code: "explain_std_path",
  compilerCodes: ["E0433"],
  title: "E0433: cannot find module or crate `std`",
  summary: "a `std::` path in a `no_std` crate",
  defaultSeverity: "error",
  rule: "std_path",
  fixtures: ["std-path"],
  explanation: `A \`#![no_std]\` crate has no \`std\` in scope: \`use std::fmt::Write;\` stops with
\`error[E0433]: cannot find module or crate \`std\` in this scope\` (rustc 1.95 and later; before, "failed to resolve:
use of unresolved module or unlinked crate \`std\`"). Most of \`std\` re-exports \`core\` (\`fmt\`, \`mem\`, \`ptr\`,
atomics) or \`alloc\` (\`Vec\`, \`String\`, \`Box\`): write the path of the crate that really has the item.

Caught before compiling by \`freestand check\` (\`std_path\`, which rewrites paths whose equivalent is known).`,
  match(ctx) {
    if (ctx.msg.code !== "E0433" || !/`std`/.test(ctx.msg.message) || /`alloc`/.test(ctx.msg.message)) return undefined;
    return {
      message: "`std` is not linked into this `no_std` crate, so `std::` paths do not resolve",
      help: ["use the `core::` path of the item (`core::fmt::Write`, `core::mem`), or `alloc::` for collections (with `extern crate alloc;`)"],
    };
  },
};
