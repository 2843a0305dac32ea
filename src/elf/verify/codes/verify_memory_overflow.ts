import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyMemoryOverflow: CodeDescriptor = {
  code: "verify_memory_overflow",
  defaultSeverity: "error",
  summary: "the program does not fit in the target's flash or RAM",
  explanation: `Flash must hold the code, the read-only data and the initial values of \`.data\`; RAM must hold
\`.data\`, \`.bss\` and the stack the target needs. When the sum exceeds a region the linker may not notice (a
linker script without \`MEMORY\` limits), and the program overwrites its own stack or never fits on the chip.

**Fix:** build with \`--release\` and \`opt-level = "s"\` or \`"z"\`, look at the largest symbols with
\`freestand size --top 20\`, and avoid \`core::fmt\` for floats where space is tight.`,
};
