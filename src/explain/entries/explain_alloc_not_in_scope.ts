import type { ExplainEntry } from "../entry.js";

export const explainAllocNotInScope: ExplainEntry = {
  code: "explain_alloc_not_in_scope",
  compilerCodes: ["E0433"],
  title: "E0433: `alloc` not in scope",
  summary: "`alloc::` is used without `extern crate alloc;`",
  defaultSeverity: "error",
  rule: "alloc_not_declared",
  fixtures: ["alloc-not-in-scope"],
  explanation: `\`alloc\` is not in the extern prelude the way \`core\` and \`std\` are: a \`no_std\` crate must say
\`extern crate alloc;\` once, at the crate root, before \`alloc::vec::Vec\` and friends resolve.

Caught before compiling by \`freestand check\` (\`alloc_not_declared\`, which adds the declaration).`,
  match(ctx) {
    if (ctx.msg.code !== "E0433" || !/`alloc`/.test(ctx.msg.message)) return undefined;
    return {
      message: "the `alloc` crate is not linked: a `no_std` crate must declare it before using `alloc::` paths",
      help: ["add `extern crate alloc;` at the crate root (and a `#[global_allocator]` in the binary)"],
    };
  },
};
