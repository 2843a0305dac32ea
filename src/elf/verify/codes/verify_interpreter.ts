import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyInterpreter: CodeDescriptor = {
  code: "verify_interpreter",
  defaultSeverity: "error",
  summary: "the ELF asks for a program interpreter (dynamic loader)",
  explanation: `A \`PT_INTERP\` segment names the dynamic loader (\`/lib64/ld-linux-x86-64.so.2\`) the kernel must run
first. A freestanding program has no loader to rely on: on bare metal nothing reads this segment, and on Linux the
program stops working wherever that loader is missing.

**Fix:** link statically. For the host flavour add \`-C link-arg=-nostartfiles -C link-arg=-nostdlib
-C link-arg=-static\` to the rustflags of \`target.x86_64-unknown-linux-gnu\` in \`.cargo/config.toml\`.`,
};
