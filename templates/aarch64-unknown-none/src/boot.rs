//! Boot code for AArch64. QEMU jumps to `_start` at EL1 with the MMU off, no stack, the FPU trapping and
//! `.bss` not yet cleared, so this first part is assembly: Rust code may assume all of those are ready.

use core::arch::global_asm;

global_asm!(
    ".section .text.start, \"ax\"", // Code; link.x puts this section first.
    ".global _start",                // Visible to link.x (ENTRY): QEMU jumps to the ELF's entry.
    "_start:",                       // At EL1, MMU and caches off.
    "    mrs x1, mpidr_el1",         // Every core may start here; only core 0 runs the program ...
    "    and x1, x1, #0xff",         // ... (affinity level 0 is the core number) ...
    "    cbnz x1, 2f",               // ... the others park below.
    "    ldr x1, =_stack_top",       // The stack, reserved by link.x.
    "    mov sp, x1",                // (sp cannot be loaded from memory directly.)
    "    mov x1, #(3 << 20)",        // CPACR_EL1.FPEN = 0b11: float and SIMD instructions no longer trap;
    "    msr cpacr_el1, x1",         // Rust uses them for floats and for copying memory.
    "    isb",                       // Make the new setting apply to the instructions that follow.
    "    ldr x1, =__sbss",           // Zero .bss: x1 runs from its start ...
    "    ldr x2, =__ebss",           // ... to its end (link.x aligns both to 16) ...
    "0:  cmp x1, x2",                // ... until x1 reaches the end,
    "    b.hs 1f",                   //     then go on into Rust;
    "    str xzr, [x1], #8",         // ... storing the zero register, 8 bytes at a time, advancing x1.
    "    b 0b",                      // Next 8 bytes.
    "1:  bl {start}",                // Memory is ready: enter Rust. `start` never returns.
    "2:  wfe",                       // Parked cores sleep ...
    "    b 2b",                      // ... forever.
    start = sym start,
);

/// The bridge from assembly into Rust, with the C calling convention `bl` expects.
extern "C" fn start() -> ! {
    crate::main()
}
