import type { ExplainEntry } from "../entry.js";

export const explainE0601NoMain: ExplainEntry = {
  code: "explain_e0601_no_main",
  compilerCodes: ["E0601"],
  title: "E0601: `main` function not found",
  summary: "a freestanding binary lacks `#![no_main]`",
  defaultSeverity: "error",
  rule: "missing_no_main",
  fixtures: ["e0601-no-main"],
  explanation: `\`fn main\` is called by \`std\`'s runtime after the C runtime has started the process. A freestanding binary has
neither: its entry point is \`_start\` (or the reset handler a runtime crate defines), so it must tell rustc not to
expect a \`main\` with \`#![no_main]\` at the top of \`src/main.rs\`.

Caught before compiling by \`freestand check\` (\`missing_no_main\`).`,
  match(ctx) {
    if (ctx.msg.code !== "E0601") return undefined;
    return {
      message: "a freestanding binary has no `main`: its entry point is `_start` (or the runtime's reset handler), so rustc must be told not to expect one",
      help: ["add `#![no_main]` at the top of `src/main.rs`"],
    };
  },
};
