//! Boot code for RISC-V. QEMU starts `_start` (at the start of RAM) in machine mode with no stack and `.bss`
//! not yet cleared, so this first part is assembly: Rust code may assume a stack and initialised statics.
//! It also sets the trap vector, so that a fault says what happened instead of hanging.
// {{#if fpu}}
//! The FPU is off too, and the target is hard-float: `_start` turns it on before any Rust code runs.
// {{/if}}

use core::arch::{asm, global_asm};

global_asm!(
    ".section .text.start, \"ax\"", // Code; link.x puts this section first in RAM.
    ".global _start",                // Visible to link.x (ENTRY).
    "_start:",                       // Every hart starts here, in machine mode.
    ".option push",                  // Save the assembler options ...
    ".option norelax",               // Keep the linker from rewriting the gp load into a gp-relative one.
    "    la gp, __global_pointer$",  // gp: the base the linker may use for short accesses to globals.
    ".option pop",                   // ... and restore them.
    "    csrr t0, mhartid",          // Every hart (core) starts here; only hart 0 runs the program ...
    "    bnez t0, 2f",               // ... the others park below.
    "    la sp, _stack_top",         // The stack, reserved by link.x.
    "    la t0, 3f",                 // Traps (faults: no interrupt is enabled) go to 3 below from now on;
    "    csrw mtvec, t0",            // mtvec's low bits 0 select direct mode (3 is 4-byte aligned).
    // {{#if fpu}}
    "    li t0, (1 << 13)",          // mstatus.FS = Initial: turn the FPU on; while it is off every float
    "    csrs mstatus, t0",          // instruction traps, and the hard-float ABI uses them freely.
    // {{/if}}
    "    la t0, __sbss",             // Zero .bss: t0 runs from its start ...
    "    la t1, __ebss",             // ... to its end (link.x aligns both to 8) ...
    "0:  bgeu t0, t1, 1f",           // ... until t0 reaches the end, then go on;
    "    sw zero, 0(t0)",            // ... a word at a time ...
    "    addi t0, t0, 4",            // ... advancing t0.
    "    j 0b",                      // Next word.
    // {{#if rom}}
    "1:  la t0, __sdata",            // Copy .data from flash: t0 runs over its place in RAM ...
    "    la t1, __edata",            // ... up to its end (link.x aligns both to 8) ...
    "    la t2, __sidata",           // ... reading from t2, its first values in flash (link.x: LOADADDR).
    "4:  bgeu t0, t1, 1f",           // Until t0 reaches the end, then go on into Rust;
    "    lw t3, 0(t2)",              // ... load a word from flash ...
    "    sw t3, 0(t0)",              // ... store it in RAM ...
    "    addi t2, t2, 4",            // ... and step both
    "    addi t0, t0, 4",            //     to the next word.
    "    j 4b",                      // Next word.
    // {{/if}}
    "1:  call {start}",              // Memory is ready: enter Rust. `start` never returns.
    "2:  wfi",                       // Parked harts sleep ...
    "    j 2b",                      // ... forever.
    ".balign 4",                     // The trap vector must be 4-byte aligned (compressed code may not be).
    "3:  j {trap}",                  // A trap: report it, on the same stack (machine mode keeps sp).
    start = sym start,
    trap = sym trap,
);

/// The bridge from assembly into Rust, with the C calling convention `call` expects.
extern "C" fn start() -> ! {
    crate::main()
}

/// Any trap: says which (mcause and its name, the instruction's address, mtval) and stops.
extern "C" fn trap() -> ! {
    let (cause, pc, value): (usize, usize, usize);
    // SAFETY: reading the trap cause, exception PC and trap value registers has no side effect.
    unsafe {
        asm!("csrr {}, mcause", "csrr {}, mepc", "csrr {}, mtval", out(reg) cause, out(reg) pc, out(reg) value, options(nomem, nostack));
    }
    // Interrupts (the top bit) are never enabled here; an exception's code indexes the privileged spec's table.
    let name = TRAP_CAUSES
        .get(cause)
        .copied()
        .unwrap_or("an interrupt or reserved cause");
    println!("trap: mcause {cause:#x} ({name}) at {pc:#x}, mtval {value:#x}: stopping");
    crate::console::exit(1)
}

/// The exception codes of mcause (RISC-V privileged architecture, table 3.6).
const TRAP_CAUSES: [&str; 16] = [
    "instruction address misaligned",
    "instruction access fault",
    "illegal instruction",
    "breakpoint",
    "load address misaligned",
    "load access fault",
    "store address misaligned",
    "store access fault",
    "environment call from U-mode",
    "environment call from S-mode",
    "reserved",
    "environment call from M-mode",
    "instruction page fault",
    "load page fault",
    "reserved",
    "store page fault",
];
