import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyUndefinedSymbol: CodeDescriptor = {
  code: "verify_undefined_symbol",
  defaultSeverity: "error",
  summary: "the ELF still has undefined symbols",
  explanation: `An executable with an undefined global symbol expects someone else — a dynamic loader resolving it
from a shared library — to provide it. Without one, every use of the symbol reads address 0. Undefined *weak*
symbols are allowed by the ELF rules (they resolve to 0 on purpose), so they are reported as warnings: check that
the code tests them before use.

**Fix:** link the object or crate that defines the symbol, or define it yourself. For the memory functions see
\`verify_libc_symbol\`.`,
};
