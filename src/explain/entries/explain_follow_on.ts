import type { ExplainEntry } from "../entry.js";

export const explainFollowOn: ExplainEntry = {
  code: "explain_follow_on",
  title: "Follow-on errors",
  summary: "an error caused by an earlier error in the same compilation",
  defaultSeverity: "info",
  fixtures: ["e0463-std-self", "e0463-std-dep", "e0514-incompatible"],
  explanation: `When \`std\` or \`core\` cannot be loaded, rustc goes on and reports what it then misses:
"cannot resolve a prelude import", "requires \`sized\` lang_item", "\`#[panic_handler]\` function required". These are
not separate problems; fix the first error of the compilation and they disappear.`,
  match(ctx) {
    if (!ctx.rootCause || ctx.msg.level !== "error") return undefined;
    const m = ctx.msg.message;
    if (!/^cannot resolve a prelude import|^requires `[^`]+` lang_item|^`#\[panic_handler\]` function required|^unwinding panics are not supported without std/.test(m))
      return undefined;
    return {
      message: `this follows from ${ctx.rootCause} reported above; fix that first`,
      severity: "info",
    };
  },
};
