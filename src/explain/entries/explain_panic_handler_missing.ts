import type { ExplainEntry } from "../entry.js";

export const explainPanicHandlerMissing: ExplainEntry = {
  code: "explain_panic_handler_missing",
  title: "`#[panic_handler]` function required, but not found",
  summary: "a `no_std` binary has no panic handler",
  defaultSeverity: "error",
  rule: "missing_panic_handler",
  fixtures: ["panic-handler-missing"],
  explanation: `Without \`std\`, nothing decides what a panic does: a \`no_std\` binary must define exactly one function
\`#[panic_handler] fn panic(info: &core::panic::PanicInfo) -> !\`, or depend on a crate that does (\`panic-halt\`,
\`panic-probe\`, …, pulled in with \`use panic_halt as _;\`).

\`\`\`rust
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    // print \`info\` on your serial port, then stop
    loop {}
}
\`\`\`

Caught before compiling by \`freestand check\` (\`missing_panic_handler\`).`,
  match(ctx) {
    if (!/^`#\[panic_handler\]` function required, but not found/.test(ctx.msg.message)) return undefined;
    return {
      message: "this `no_std` binary defines no `#[panic_handler]`, and no dependency provides one",
      help: [
        "add `#[panic_handler] fn panic(info: &core::panic::PanicInfo) -> ! { loop {} }` to the crate root, or depend on a panic crate such as `panic-halt` and write `use panic_halt as _;`",
      ],
    };
  },
};
