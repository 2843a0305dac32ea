import type { ExplainEntry } from "../entry.js";
import { PANIC_ABORT_PROFILES } from "./shared.js";

export const explainUnwindingWithoutStd: ExplainEntry = {
  code: "explain_unwinding_without_std",
  title: "unwinding panics are not supported without std",
  summary: "the panic strategy is unwind in a `no_std` binary",
  defaultSeverity: "error",
  rule: "panic_strategy_unwind",
  fixtures: ["unwinding-without-std"],
  explanation: `Host targets default to \`panic = "unwind"\`, and unwinding needs \`std\`'s runtime. A freestanding binary
for such a target must abort on panic, in every profile it is built with:

\`\`\`toml
${PANIC_ABORT_PROFILES}
\`\`\`

Bare-metal targets already default to abort. Caught before compiling by \`freestand check\` (\`panic_strategy_unwind\`).`,
  match(ctx) {
    if (!/^unwinding panics are not supported without std/.test(ctx.msg.message)) return undefined;
    return {
      message: 'the target\'s panic strategy is "unwind", which needs `std`; a freestanding binary must abort on panic',
      help: [`add to Cargo.toml:\n${PANIC_ABORT_PROFILES}`],
    };
  },
};
