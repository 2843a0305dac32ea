import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyDynamicLibrary: CodeDescriptor = {
  code: "verify_dynamic_library",
  defaultSeverity: "error",
  summary: "the ELF needs a shared library (DT_NEEDED)",
  explanation: `Each \`DT_NEEDED\` entry in the dynamic section names a shared library the dynamic loader must find
and map before the program starts — usually \`libc.so.6\`, pulled in because the linker was allowed to use the C
library. A freestanding binary must not depend on any.

**Fix:** link with \`-nostdlib -static\` (host flavour) so the C library is never offered to the linker, and provide
what it used to supply (\`memcpy\`, \`memset\`, ...) yourself or through \`compiler_builtins\`' \`mem\` feature.`,
};
