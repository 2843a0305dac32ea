import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyEntryPoint: CodeDescriptor = {
  code: "verify_entry_point",
  defaultSeverity: "error",
  summary: "the ELF entry point is 0 or is not the entry symbol",
  explanation: `The ELF header's entry address is where execution starts. It must be the address of the entry
symbol (\`_start\` by default, or the target's). The classic failure is silent: \`fn _start()\` without
\`#[unsafe(no_mangle)]\` gets a mangled name, the linker cannot find \`_start\`, says at most a warning, and
writes entry 0 (lld) or the start of \`.text\` (GNU ld). The binary links and then jumps into nothing.

**Fix:** export the entry function under its exact name:

\`\`\`rust
#[unsafe(no_mangle)] // edition 2024; #[no_mangle] before it
pub extern "C" fn _start() -> ! { ... }
\`\`\`

and check that the linker script's \`ENTRY(...)\` names the same symbol.`,
};
