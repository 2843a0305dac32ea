import type { Rule } from "./types.js";
import { entryFunctions } from "./entry_points.js";

export const entryPointReturns: Rule = {
  id: "entry_point_returns",
  defaultSeverity: "error",
  summary: "the entry function can return, but there is nothing to return to",
  fixable: false,
  explanation: `## What it finds

The entry function (\`_start\`) declared without the never type \`-> !\`.

## Why it matters

Nothing called the entry point: there is no return address on the stack. Returning from \`_start\` jumps to
whatever happens to be there — on Linux usually a segmentation fault after the program "finished", on a
microcontroller a HardFault or a reset loop.

## How to fix it

Declare it \`-> !\` and end it by exiting (an \`exit_group\` system call, a QEMU exit device, semihosting) or
by looping forever:

\`\`\`rust
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    main();
    exit(0)
}
\`\`\`
`,
  check(ctx) {
    return entryFunctions(ctx)
      .filter((e) => e.fn.childForFieldName("return_type")?.type !== "never_type")
      .map((e) => {
        const name = e.fn.childForFieldName("name")!;
        const params = e.fn.childForFieldName("parameters");
        const ret = e.fn.childForFieldName("return_type");
        const span = e.module.source.spanOf(name.startIndex, (ret ?? params ?? name).endIndex);
        return {
          message: `the entry function \`${name.text}\` ${ret ? `returns \`${ret.text}\`` : "can return"}`,
          file: e.module.path,
          span,
          label: "expected `-> !`",
          help: ["declare it `-> !` and finish with an exit call or an endless loop"],
        };
      });
  },
};
