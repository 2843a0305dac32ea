import type { CodeDescriptor } from "../../diagnostics/types.js";

/**
 * The checks of `freestand verify`: one descriptor per code, with the explanation `freestand explain <code>` and
 * SARIF show. docs/verify/<code>.md holds the same text (test/elf/verify-docs.test.ts keeps them equal;
 * `node scripts/code-docs.mjs` rewrites them after `npx tsc`).
 */
export const VERIFY_CODES: readonly CodeDescriptor[] = [
  {
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
  },
  {
    code: "verify_interpreter",
    defaultSeverity: "error",
    summary: "the ELF asks for a program interpreter (dynamic loader)",
    explanation: `A \`PT_INTERP\` segment names the dynamic loader (\`/lib64/ld-linux-x86-64.so.2\`) the kernel must run
first. A freestanding program has no loader to rely on: on bare metal nothing reads this segment, and on Linux the
program stops working wherever that loader is missing.

**Fix:** link statically. For the host flavour add \`-C link-arg=-nostartfiles -C link-arg=-nostdlib
-C link-arg=-static\` to the rustflags of \`target.x86_64-unknown-linux-gnu\` in \`.cargo/config.toml\`.`,
  },
  {
    code: "verify_dynamic_library",
    defaultSeverity: "error",
    summary: "the ELF needs a shared library (DT_NEEDED)",
    explanation: `Each \`DT_NEEDED\` entry in the dynamic section names a shared library the dynamic loader must find
and map before the program starts — usually \`libc.so.6\`, pulled in because the linker was allowed to use the C
library. A freestanding binary must not depend on any.

**Fix:** link with \`-nostdlib -static\` (host flavour) so the C library is never offered to the linker, and provide
what it used to supply (\`memcpy\`, \`memset\`, ...) yourself or through \`compiler_builtins\`' \`mem\` feature.`,
  },
  {
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
  },
  {
    code: "verify_undefined_symbol",
    defaultSeverity: "error",
    summary: "the ELF still has undefined symbols",
    explanation: `An executable with an undefined global symbol expects someone else — a dynamic loader resolving it
from a shared library — to provide it. Without one, every use of the symbol reads address 0. Undefined *weak*
symbols are allowed by the ELF rules (they resolve to 0 on purpose), so they are reported as warnings: check that
the code tests them before use.

**Fix:** link the object or crate that defines the symbol, or define it yourself. For the memory functions see
\`verify_libc_symbol\`.`,
  },
  {
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
  },
  {
    code: "verify_writable_executable",
    defaultSeverity: "error",
    summary: "a loaded segment is both writable and executable",
    explanation: `A \`PT_LOAD\` segment with both \`W\` and \`X\` flags lets any memory-corruption bug write code and run
it, and modern linkers warn about it (\`has a LOAD segment with RWX permissions\`). It usually comes from a linker
script that puts \`.text\` and \`.data\` in one output section or one \`PHDRS\` entry. On bare-metal targets without
an MMU the flags are not enforced, so it is only a warning there.

**Fix:** give code and data separate output sections (and \`PHDRS\` entries) in the linker script, aligned to a page
where paging is used.`,
  },
  {
    code: "verify_executable_stack",
    defaultSeverity: "error",
    summary: "the PT_GNU_STACK segment asks for an executable stack",
    explanation: `\`PT_GNU_STACK\` tells the Linux kernel whether the stack may be executed. An \`X\` flag there makes
the whole stack executable — usually because one assembly object lacked a \`.note.GNU-stack\` section, which makes
the GNU linker assume the worst.

**Fix:** add \`.section .note.GNU-stack,"",@progbits\` to hand-written assembly files, or link with
\`-z noexecstack\`.`,
  },
  {
    code: "verify_machine",
    defaultSeverity: "error",
    summary: "the ELF's machine, class or byte order is not the target's",
    explanation: `The ELF header says which processor (\`e_machine\`), word size (ELF32/ELF64) and byte order the code is
for. A binary built for another target cannot run: usually cargo built for the host because no target was set, or
the wrong \`--target\` was passed.

**Fix:** set the target in \`.cargo/config.toml\` (\`[build] target = "..."\`) or pass \`--target\`; check with
\`freestand targets\`.`,
  },
  {
    code: "verify_memory_region",
    defaultSeverity: "error",
    summary: "an allocated section lies outside the target's memory regions",
    explanation: `Every section that occupies memory at run time must lie inside one of the target's memory regions
(flash or RAM, from the target catalogue), both where it runs and, for initialised data, where it is loaded from.
A section outside them is written to an address with no memory behind it: the board faults or the image is
silently truncated.

**Fix:** check the \`MEMORY\` block and the section placement of the linker script against the target's memory map
(\`freestand targets --verbose\`).`,
  },
  {
    code: "verify_memory_overflow",
    defaultSeverity: "error",
    summary: "the program does not fit in the target's flash or RAM",
    explanation: `Flash must hold the code, the read-only data and the initial values of \`.data\`; RAM must hold
\`.data\`, \`.bss\` and the stack the target needs. When the sum exceeds a region the linker may not notice (a
linker script without \`MEMORY\` limits), and the program overwrites its own stack or never fits on the chip.

**Fix:** build with \`--release\` and \`opt-level = "s"\` or \`"z"\`, look at the largest symbols with
\`freestand size --top 20\`, and avoid \`core::fmt\` for floats where space is tight.`,
  },
  {
    code: "verify_vector_table",
    defaultSeverity: "error",
    summary: "a Cortex-M image lacks a valid vector table at the flash origin",
    explanation: `A Cortex-M core starts by reading two words at the start of flash: the initial stack pointer and the
address of the reset handler (with bit 0 set, because it is Thumb code). If the vector table is not placed there,
or the words are not a RAM address and an odd flash address, the core locks up before the first instruction.

**Fix:** place the vector table section (\`KEEP(*(.vector_table))\`) first in \`FLASH\` in the linker script,
with the stack top (\`ORIGIN(RAM) + LENGTH(RAM)\`) and the reset handler as its first two entries.`,
  },
  {
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
  },
];

export function describeVerifyCode(code: string): CodeDescriptor | undefined {
  return VERIFY_CODES.find((c) => c.code === code);
}

/** The docs/verify/<code>.md page for a code: the same words as its explanation. */
export function verifyDocPage(d: CodeDescriptor): string {
  return `# ${d.code}\n\nDefault level: ${d.defaultSeverity}. ${capitalise(d.summary)}.\n\n${d.explanation}\n`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
