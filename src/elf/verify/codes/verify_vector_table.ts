import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyVectorTable: CodeDescriptor = {
  code: "verify_vector_table",
  defaultSeverity: "error",
  summary: "a Cortex-M image lacks a valid vector table at the flash origin",
  explanation: `A Cortex-M core starts by reading two words at the start of flash: the initial stack pointer and the
address of the reset handler (with bit 0 set, because it is Thumb code). If the vector table is not placed there,
or the words are not a RAM address and an odd flash address, the core locks up before the first instruction.

**Fix:** place the vector table section (\`KEEP(*(.vector_table))\`) first in \`FLASH\` in the linker script,
with the stack top (\`ORIGIN(RAM) + LENGTH(RAM)\`) and the reset handler as its first two entries.`,
};
