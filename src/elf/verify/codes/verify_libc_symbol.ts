import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyLibcSymbol: CodeDescriptor = {
  code: "verify_libc_symbol",
  defaultSeverity: "error",
  summary: "the ELF uses a symbol only a C library or an unwinder provides",
  explanation: `Some names come only from a C library or an unwinder: \`__libc_start_main\` (glibc's start files),
\`_Unwind_Resume\` and \`rust_eh_personality\` (unwinding), \`malloc\`, \`printf\`, and the \`memcpy\` family when it
is left to libc. In a freestanding binary nothing provides them. An unwinder symbol means code was built to unwind:
the host's prebuilt \`core\` is, even with \`panic = "abort"\`.

**Fix:**
- \`__libc_start_main\`, \`__libc_csu_init\`: link with \`-nostartfiles\` and write your own \`_start\`;
- \`_Unwind_Resume\`, \`rust_eh_personality\`: set \`panic = "abort"\` in both profiles and, on the host flavour,
  provide a \`#[unsafe(no_mangle)] extern "C" fn rust_eh_personality() {}\` stub;
- \`memcpy\`, \`memmove\`, \`memset\`, \`memcmp\`, \`bcmp\`: define them (the host's \`compiler_builtins\` has none);
- anything else from libc: replace it with your own code (a serial writer instead of \`printf\`).

When the C library is linked *statically* (\`__libc_start_main\` defined inside the binary) the program runs on Linux
but is not freestanding; that is a warning.`,
};
