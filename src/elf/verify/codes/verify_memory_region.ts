import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyMemoryRegion: CodeDescriptor = {
  code: "verify_memory_region",
  defaultSeverity: "error",
  summary: "an allocated section lies outside the target's memory regions",
  explanation: `Every section that occupies memory at run time must lie inside one of the target's memory regions
(flash or RAM, from the target catalogue), both where it runs and, for initialised data, where it is loaded from.
A section outside them is written to an address with no memory behind it: the board faults or the image is
silently truncated.

**Fix:** check the \`MEMORY\` block and the section placement of the linker script against the target's memory map
(\`freestand targets --verbose\`).`,
};
