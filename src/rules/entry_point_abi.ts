import type { Rule } from "./types.js";
import { entryFunctions } from "./entry-points.js";
import { fnKeyword, functionAbi } from "../syntax/queries.js";

export const entryPointAbi: Rule = {
  id: "entry_point_abi",
  defaultSeverity: "error",
  summary: "the entry function is not `extern \"C\"`",
  fixable: true,
  explanation: `## What it finds

The entry function (\`_start\`, or whatever the target's entry symbol is) declared without \`extern "C"\`.

## Why it matters

The code that jumps to the entry — the kernel, a boot loader, the reset vector, an assembly stub — follows the
platform's C calling convention. The Rust ABI is unspecified and may pass arguments or expect the stack
differently, so arguments arrive wrong and the prologue may misbehave.

## How to fix it

\`\`\`rust
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! { loop {} }
\`\`\`

\`freestand check --fix\` inserts \`extern "C"\` before \`fn\`.
`,
  check(ctx) {
    return entryFunctions(ctx)
      .filter((e) => {
        const abi = functionAbi(e.fn);
        return abi === undefined || abi === "Rust";
      })
      .map((e) => {
        const name = e.fn.childForFieldName("name")!;
        const kw = fnKeyword(e.fn);
        const at = e.module.source.byte((kw ?? name).startIndex);
        return {
          message: `the entry function \`${name.text}\` does not use the C calling convention`,
          file: e.module.path,
          span: e.module.source.span(name),
          label: "declared with the unspecified Rust ABI",
          help: ['declare it `extern "C" fn`'],
          fix: kw ? { description: 'add `extern "C"`', edits: [{ file: e.module.path, start: at, end: at, text: 'extern "C" ' }] } : undefined,
        };
      });
  },
};
