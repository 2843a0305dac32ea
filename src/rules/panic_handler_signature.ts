import type { Rule, Finding } from "./types.js";
import { panicHandlers } from "./panic-handlers.js";

export const panicHandlerSignature: Rule = {
  id: "panic_handler_signature",
  defaultSeverity: "error",
  summary: "a `#[panic_handler]` must be `fn(&PanicInfo) -> !`",
  fixable: false,
  explanation: `## What it finds

A \`#[panic_handler]\` that is not a function taking one \`&PanicInfo\` and returning \`!\`.

## Why it matters

rustc checks the signature (\`error[E0308]\` or "return type should be \`!\`"); a handler that returned would
hand control back to code that cannot continue after a panic.

## How to fix it

\`\`\`rust
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    loop {}
}
\`\`\`

End with a loop, a halt instruction or an exit call, so the function never returns.
`,
  check(ctx) {
    const out: Finding[] = [];
    for (const unit of ctx.crate.units) {
      for (const h of panicHandlers(ctx, unit)) {
        if (h.unit !== unit || !h.item || h.compiled === false) continue;
        const item = h.item;
        const source = h.module.source;
        if (item.type !== "function_item") {
          out.push({ message: "`#[panic_handler]` is not on a function", file: h.module.path, span: source.span(h.attr), label: "expected `fn(&PanicInfo) -> !`" });
          continue;
        }
        const problems: string[] = [];
        const params = (item.childForFieldName("parameters")?.namedChildren ?? []).filter((p) => p && p.type !== "line_comment" && p.type !== "block_comment" && p.type !== "attribute_item");
        if (params.length !== 1) problems.push(`it takes ${params.length} parameters instead of one \`&PanicInfo\``);
        else {
          const type = params[0]!.childForFieldName("type");
          const ok = type?.type === "reference_type" && !type.text.includes("mut") && /PanicInfo\b(?:\s*<[^>]*>)?\s*$/.test(type.text);
          if (!ok) problems.push(`its parameter is \`${type?.text ?? params[0]!.text}\` instead of \`&PanicInfo\``);
        }
        const ret = item.childForFieldName("return_type");
        if (ret?.type !== "never_type") problems.push(ret ? `it returns \`${ret.text}\` instead of \`!\`` : "it does not return `!`");
        if (problems.length === 0) continue;
        const body = item.childForFieldName("body");
        out.push({
          message: `the panic handler has the wrong signature: ${problems.join("; ")}`,
          file: h.module.path,
          span: source.spanOf(item.startIndex, body ? body.startIndex : item.endIndex),
          label: "expected `fn(&core::panic::PanicInfo) -> !`",
          help: ["write it as `fn panic(info: &core::panic::PanicInfo) -> !` and end it with a loop or a halt"],
        });
      }
    }
    return out;
  },
};
