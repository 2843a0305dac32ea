import type { ExplainEntry } from "../entry.js";
import { quoted } from "./shared.js";

export const explainPanicHandlerWrongType: ExplainEntry = {
  code: "explain_panic_handler_wrong_type",
  title: "`#[panic_handler]` function has wrong type",
  summary: "the panic handler's signature is not `fn(&PanicInfo) -> !`",
  defaultSeverity: "error",
  rule: "panic_handler_signature",
  fixtures: ["panic-handler-wrong-type"],
  explanation: `The panic handler must take exactly one \`&core::panic::PanicInfo\` and never return (\`-> !\`): after a
panic there is nothing sensible to return to. Typical mistakes are a missing \`-> !\` or taking \`PanicInfo\` by value.

Caught before compiling by \`freestand check\` (\`panic_handler_signature\`).`,
  match(ctx) {
    if (!/`#\[panic_handler\]` function has wrong type/.test(ctx.msg.message)) return undefined;
    const found = quoted(ctx.text, /found signature `([^`]+)`/);
    return {
      message: "the `#[panic_handler]` must have the signature `fn(&core::panic::PanicInfo) -> !`",
      help: ["take `&PanicInfo` and end with `-> !` (loop forever, reset or exit instead of returning)"],
      data: { found: found ?? null },
    };
  },
};
