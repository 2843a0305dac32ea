//! Boot code for RISC-V. QEMU starts `_start` (at the start of RAM) in machine mode with no stack and `.bss`
//! not yet cleared, so this first part is assembly: Rust code may assume a stack and initialised statics.

use core::arch::global_asm;

global_asm!(
    ".section .text.start, \"ax\"",
    ".global _start",
    "_start:",
    ".option push",
    ".option norelax",               // Keep the linker from rewriting the gp load into a gp-relative one.
    "    la gp, __global_pointer$",  // gp: the base the linker may use for short accesses to globals.
    ".option pop",
    "    csrr t0, mhartid",          // Every hart (core) starts here; only hart 0 runs the program ...
    "    bnez t0, 2f",               // ... the others park below.
    "    la sp, _stack_top",         // The stack, reserved by link.x.
    "    la t0, __sbss",             // Zero .bss, a word at a time, from __sbss ...
    "    la t1, __ebss",             // ... up to __ebss (link.x aligns both).
    "0:  bgeu t0, t1, 1f",
    "    sw zero, 0(t0)",
    "    addi t0, t0, 4",
    "    j 0b",
    "1:  call {start}",              // Memory is ready: enter Rust. `start` never returns.
    "2:  wfi",                       // Parked harts sleep ...
    "    j 2b",                      // ... forever.
    start = sym start,
);

/// The bridge from assembly into Rust, with the C calling convention `call` expects.
extern "C" fn start() -> ! {
    crate::main()
}
