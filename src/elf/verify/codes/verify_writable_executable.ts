import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyWritableExecutable: CodeDescriptor = {
  code: "verify_writable_executable",
  defaultSeverity: "error",
  summary: "a loaded segment is both writable and executable",
  explanation: `A \`PT_LOAD\` segment with both \`W\` and \`X\` flags lets any memory-corruption bug write code and run
it, and modern linkers warn about it (\`has a LOAD segment with RWX permissions\`). It usually comes from a linker
script that puts \`.text\` and \`.data\` in one output section or one \`PHDRS\` entry. On bare-metal targets without
an MMU the flags are not enforced, so it is only a warning there.

**Fix:** give code and data separate output sections (and \`PHDRS\` entries) in the linker script, aligned to a page
where paging is used.`,
};
