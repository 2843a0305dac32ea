import type { Rule } from "./types.js";
import { panicCrate, panicHandlers } from "./panic_handlers.js";
import { insertAt, rel } from "./helpers.js";

const HANDLER = `
/// Called on \`panic!\`: a freestanding program has no unwinder and nowhere to print, so it stops here.
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}
`;

export const missingPanicHandler: Rule = {
  id: "missing_panic_handler",
  defaultSeverity: "error",
  summary: "a no_std binary needs exactly one `#[panic_handler]`",
  fixable: true,
  explanation: `## What it finds

A \`#![no_std]\` binary (or staticlib / cdylib) with no \`#[panic_handler]\` function in the crate, in its
package's library, or in a dependency known to provide one (\`panic-halt\`, \`panic-abort\`, \`panic-probe\`,
\`panic-semihosting\`, any \`panic-*\` crate, \`esp-backtrace\`).

## Why it matters

\`core\` calls the panic handler on every \`panic!\`, failed bounds check or \`unwrap\` on \`None\`. The standard
library normally provides it; without std, rustc stops with
\`error: \`#[panic_handler]\` function required, but not found\`.

## How to fix it

Define one in the crate root:

\`\`\`rust
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    // print \`info\` on your console if you have one, then stop
    loop {}
}
\`\`\`

or depend on a panic crate and link it with \`use panic_halt as _;\`. \`freestand check --fix\` appends the
minimal handler above to the crate root.
`,
  check(ctx) {
    if (panicCrate(ctx)) return [];
    return ctx
      .finalArtifacts()
      .filter((u) => ctx.isNoStd(u) && panicHandlers(ctx, u).length === 0)
      .map((u) => {
        const facts = ctx.rootFacts(u);
        const source = facts.root.source;
        return {
          message: `no \`#[panic_handler]\` for \`${rel(ctx.crate.dir, u.spec.root)}\``,
          file: u.spec.root,
          span: source.span(facts.noStd!.node),
          label: "without std, the crate must provide the panic handler",
          help: ["define `#[panic_handler] fn panic(info: &core::panic::PanicInfo) -> !`, or depend on a panic crate such as `panic-halt` and write `use panic_halt as _;`"],
          fix: { description: "add a minimal `#[panic_handler]` to the crate root", edits: [insertAt(source, source.text.length, HANDLER)] },
        };
      });
  },
};
