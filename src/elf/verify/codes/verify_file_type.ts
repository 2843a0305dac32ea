import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyFileType: CodeDescriptor = {
  code: "verify_file_type",
  defaultSeverity: "error",
  summary: "the ELF is not a static executable a freestanding loader can run as it is",
  explanation: `A freestanding program must be a *static executable*: ELF type \`EXEC\`, loaded at the addresses it
was linked for. Other kinds need something that is not there:

- a relocatable object (\`.o\`, type \`REL\`) has not been linked at all;
- a shared library (type \`DYN\` without the \`PIE\` flag) needs a program and a dynamic loader;
- a *static-PIE* (type \`DYN\` with \`DF_1_PIE\` and no interpreter) carries relocations that someone must apply at
  start-up. glibc's start files do that, but a freestanding binary has no start files, and QEMU's \`-kernel\` loader
  copies segments to their addresses without relocating anything. The program then jumps through unrelocated
  pointers and crashes.

**Fix:** link a static, non-PIE executable: \`-C relocation-model=static\` in the target's rustflags, plus
\`-C link-arg=-static\` (and \`-nostartfiles -nostdlib\`) for the host flavour. \`freestand new\` sets these.`,
};
