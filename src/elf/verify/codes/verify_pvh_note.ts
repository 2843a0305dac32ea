import type { CodeDescriptor } from "../../../diagnostics/types.js";

export const verifyPvhNote: CodeDescriptor = {
  code: "verify_pvh_note",
  defaultSeverity: "error",
  summary: "an x86_64 kernel for QEMU lacks the PVH entry note",
  explanation: `QEMU's \`-kernel\` loader for x86 refuses a plain 64-bit ELF. It boots one that carries a PVH note — an
ELF note named \`Xen\` of type 18 (\`XEN_ELFNOTE_PHYS32_ENTRY\`) in a \`PT_NOTE\` segment, whose descriptor is
the 32-bit physical address of the entry code, which runs in 32-bit protected mode.

**Fix:** emit the note from assembly and keep it in a \`PT_NOTE\` segment:

\`\`\`text
.section .note.pvh, "a"
.p2align 2
.long 4, 4, 18      /* namesz, descsz, XEN_ELFNOTE_PHYS32_ENTRY */
.asciz "Xen"
.long _start32      /* 32-bit entry point */
\`\`\`

with \`KEEP(*(.note.pvh))\` in an output section assigned to a \`PT_NOTE\` program header.`,
};
