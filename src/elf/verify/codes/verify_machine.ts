import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyMachine: CodeDescriptor = {
  code: "verify_machine",
  defaultSeverity: "error",
  summary: "the ELF's machine, class or byte order is not the target's",
  explanation: `The ELF header says which processor (\`e_machine\`), word size (ELF32/ELF64) and byte order the code is
for. A binary built for another target cannot run: usually cargo built for the host because no target was set, or
the wrong \`--target\` was passed.

**Fix:** set the target in \`.cargo/config.toml\` (\`[build] target = "..."\`) or pass \`--target\`; check with
\`freestand targets\`.`,
};
