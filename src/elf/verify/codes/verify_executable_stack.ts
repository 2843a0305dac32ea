import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyExecutableStack: CodeDescriptor = {
  code: "verify_executable_stack",
  defaultSeverity: "error",
  summary: "the PT_GNU_STACK segment asks for an executable stack",
  explanation: `\`PT_GNU_STACK\` tells the Linux kernel whether the stack may be executed. An \`X\` flag there makes
the whole stack executable — usually because one assembly object lacked a \`.note.GNU-stack\` section, which makes
the GNU linker assume the worst.

**Fix:** add \`.section .note.GNU-stack,"",@progbits\` to hand-written assembly files, or link with
\`-z noexecstack\`.`,
};
