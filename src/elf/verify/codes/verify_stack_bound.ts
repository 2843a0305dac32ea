import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyStackBound: CodeDescriptor = {
  code: "verify_stack_bound",
  defaultSeverity: "warning",
  summary: "the program's stack can outgrow the stack region",
  explanation: `\`freestand stack\` reads each function's frame from the machine code and follows the calls from the
entry point (and, with one exception taken at its deepest point, from the exception handlers). When every path is
known — no call through a pointer, no recursion, no frame sized at run time — and the deepest needs more than the
stack region link.x reserves (\`_stack_bottom\`..\`_stack_top\`), the stack can run into \`.bss\` or off the end of
RAM. The path may be one the program never takes (a panic inside a formatting routine), which is why this is a
warning: \`freestand stack\` prints the path. When some calls cannot be followed, the figure is an estimate and
\`verify\` says so in a note instead.

**Fix:** give the stack more room (\`_stack_size\` in link.x), or shorten the path \`freestand stack\` prints: a
large array on the stack moved to a \`static\`, \`core::fmt\` of floats avoided, recursion made a loop.
\`freestand run --stack\` measures what a run really used.`,
};
