//! Boot code for the Cortex-M4F. At reset the core loads the stack pointer from word 0 of the vector table and
//! jumps to the address in word 1, `Reset`, which prepares the core and RAM for Rust: it turns the FPU on,
//! copies `.data` from flash and zeroes `.bss`. It is assembly because Rust code may assume its statics are
//! initialised before they are.

use core::arch::global_asm;

global_asm!(
    // The vector table (placed at address 0 by link.x).
    ".section .vector_table, \"a\"",
    ".word _stack_top",         // 0: initial stack pointer: the top of RAM.
    ".word Reset",              // 1: reset handler.
    ".rept 14",                 // 2-15: NMI, faults, SVCall, PendSV, SysTick (and reserved slots):
    ".word {fault}",            //       all report and stop instead of hanging.
    ".endr",
    "",
    ".section .text.Reset, \"ax\"",
    ".global Reset",
    ".type Reset, %function",
    ".thumb_func",              // A Thumb function: its address gets bit 0 set, as the core requires.
    "Reset:",
    "    ldr r0, =0xe000ed88",  // CPACR: give full access to coprocessors 10 and 11, the FPU; until then
    "    ldr r1, [r0]",         // any float instruction faults, and hard-float code uses them freely.
    "    orr r1, r1, #(0xf << 20)",
    "    str r1, [r0]",
    "    dsb",                  // Let the write complete ...
    "    isb",                  // ... and refetch the instructions that follow with the FPU on.
    "    ldr r0, =__sbss",      // Zero .bss, a word at a time, from __sbss ...
    "    ldr r1, =__ebss",      // ... up to __ebss (link.x aligns both to 4).
    "    movs r2, #0",
    "0:  cmp r0, r1",
    "    beq 1f",
    "    str r2, [r0], #4",
    "    b 0b",
    "1:  ldr r0, =__sdata",     // Copy .data's initial values from flash (__sidata) to RAM.
    "    ldr r1, =__edata",
    "    ldr r2, =__sidata",
    "2:  cmp r0, r1",
    "    beq 3f",
    "    ldr r3, [r2], #4",
    "    str r3, [r0], #4",
    "    b 2b",
    "3:  bl {start}",           // Memory is ready: enter Rust. `start` never returns.
    start = sym start,
    fault = sym fault,
);

/// The bridge from assembly into Rust, with the C calling convention `bl` expects.
extern "C" fn start() -> ! {
    crate::main()
}

/// Any exception other than reset: this program enables no interrupts, so it is a fault.
extern "C" fn fault() -> ! {
    println!("unexpected exception (a fault): stopping");
    crate::console::exit(1)
}
