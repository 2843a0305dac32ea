//! Boot code for Cortex-M. At reset the core loads the stack pointer from word 0 of the vector table and
//! jumps to the address in word 1, `Reset`, which prepares RAM for Rust: it copies `.data` from flash and
//! zeroes `.bss`. It is assembly because Rust code may assume its statics are initialised before they are.
// {{#if fpu}}
//! This core has an FPU and the target is hard-float, so `Reset` turns the FPU on first.
// {{/if}}

use core::arch::global_asm;

global_asm!(
    // The vector table (placed at address 0 by link.x).
    ".section .vector_table, \"a\"",
    ".word _stack_top",         // 0: initial stack pointer: the top of RAM.
    ".word Reset",              // 1: reset handler.
    ".rept 14",                 // 2-15: NMI, faults, SVCall, PendSV, SysTick (and reserved slots):
    ".word fault_entry",        //       all report and stop instead of hanging.
    ".endr",                    // (end of the repetition)
    "",
    ".section .text.Reset, \"ax\"", // Code, in a section of its own.
    ".global Reset",            // Visible to link.x (ENTRY) and to the vector table.
    ".type Reset, %function",   // A function ...
    ".thumb_func",              // ... of Thumb code: its address gets bit 0 set, as the core requires.
    "Reset:",                   // The core starts here after reset, in Thumb state, with the stack set.
    // {{#if fpu}}
    "    ldr r0, =0xe000ed88",  // CPACR: until coprocessors 10 and 11 (the FPU) are enabled there, any float
    "    ldr r1, [r0]",         // instruction faults, and hard-float code uses them freely. Read it ...
    "    orr r1, r1, #(0xf << 20)", // ... set CP10 and CP11 to full access (bits 20-23) ...
    "    str r1, [r0]",         // ... and write it back.
    "    dsb",                  // Let the write complete ...
    "    isb",                  // ... and refetch the instructions that follow with the FPU on.
    // {{/if}}
    "    ldr r0, =__sbss",      // Zero .bss: r0 runs from its start ...
    "    ldr r1, =__ebss",      // ... to its end (link.x aligns both to 4) ...
    "    movs r2, #0",          // ... storing this zero ...
    "0:  cmp r0, r1",           // ... until r0 reaches the end,
    "    beq 1f",               //     then go on to .data;
    "    str r2, [r0]",         // ... a word at a time ...
    "    adds r0, #4",          // ... advancing r0 (Thumb-1, which every Cortex-M has: no post-index).
    "    b 0b",                 // Next word.
    "1:  ldr r0, =__sdata",     // Copy .data: r0 runs over its place in RAM ...
    "    ldr r1, =__edata",     // ... up to its end ...
    "    ldr r2, =__sidata",    // ... reading from r2, its initial values in flash (link.x: LOADADDR).
    "2:  cmp r0, r1",           // Until r0 reaches the end,
    "    beq 3f",               //     then go on into Rust;
    "    ldr r3, [r2]",         // ... load a word from flash ...
    "    str r3, [r0]",         // ... store it in RAM ...
    "    adds r2, #4",          // ... and step both
    "    adds r0, #4",          //     to the next word.
    "    b 2b",                 // Next word.
    "3:  bl {start}",           // Memory is ready: enter Rust. `start` never returns ...
    "    udf #0",               // ... and if it ever did, this traps (a fault) instead of running on.
    ".size Reset, . - Reset",   // Reset's size, for debuggers and `freestand size`.
    "",
    // The stack's section (link.x) is writable memory that takes no room in flash: it says so here, since
    // nothing else goes in it.
    ".section .stack, \"aw\", %nobits",
    "",
    // Every exception but reset comes here first. The stack lies at the bottom of RAM (link.x): one that
    // overflowed ran below `_stack_bottom`, the core could not store the exception's frame, and sp points at
    // no memory. Reporting needs a stack, so on an overflow this starts a fresh one at the top (what was on the
    // old one is lost anyway) and tells `fault` so.
    ".section .text.fault_entry, \"ax\"",
    ".type fault_entry, %function",
    ".thumb_func",              // Thumb code: the vector table's words get bit 0 set.
    "fault_entry:",
    "    ldr r0, =_stack_bottom", // Is sp still inside the stack region?
    "    mov r1, sp",
    "    cmp r1, r0",
    "    bhs 4f",               // Yes: an ordinary fault, on a sound stack.
    "    ldr r0, =_stack_top",  // No: the stack overflowed. Take a fresh one ...
    "    mov sp, r0",
    "    movs r0, #1",          // ... and say so (`fault`'s argument).
    "    bl {fault}",
    "4:  movs r0, #0",          // An ordinary fault.
    "    bl {fault}",
    ".size fault_entry, . - fault_entry",
    start = sym start,
    fault = sym fault,
);

/// The bridge from assembly into Rust, with the C calling convention `bl` expects.
extern "C" fn start() -> ! {
    crate::main()
}

/// The stack overflowed: it grew past `_stack_bottom` (link.x), off the start of RAM, and the access faulted.
/// Says so and stops.
fn stack_overflow() -> ! {
    println!(
        "stack overflow: the stack grew past the bottom of its region (link.x's `_stack_size`): stopping"
    );
    crate::console::exit(1)
}

// {{#if armv6m}}
/// Any exception other than reset: this program enables no interrupts, so it is a fault. Says which and
/// stops. (ARMv6-M has no fault status registers to say why: a HardFault is all it records.) `overflowed` is
/// set when the stack ran past its bottom (`fault_entry`).
extern "C" fn fault(overflowed: u32) -> ! {
    if overflowed != 0 {
        stack_overflow();
    }
    let ipsr: u32;
    // SAFETY: reading IPSR (the number of the exception being handled) has no side effect.
    unsafe {
        core::arch::asm!("mrs {}, ipsr", out(reg) ipsr, options(nomem, nostack, preserves_flags));
    }
    let exception = match ipsr & 0x3f {
        2 => "NMI",
        3 => "HardFault",
        _ => "unexpected exception",
    };
    println!("{exception}: stopping");
    crate::console::exit(1)
}
// {{/if}}
// {{#unless armv6m}}
/// Any exception other than reset: this program enables no interrupts, so it is a fault. Says which (the
/// exception, and the cause the Configurable Fault Status Register recorded) and stops. `overflowed` is set
/// when the stack ran past its bottom (`fault_entry`).
extern "C" fn fault(overflowed: u32) -> ! {
    if overflowed != 0 {
        stack_overflow();
    }
    let ipsr: u32;
    // SAFETY: reading IPSR (the number of the exception being handled) has no side effect.
    unsafe {
        core::arch::asm!("mrs {}, ipsr", out(reg) ipsr, options(nomem, nostack, preserves_flags));
    }
    // SAFETY: CFSR is a readable register of the System Control Block, at this address on every Cortex-M3/M4.
    let cfsr = unsafe { core::ptr::read_volatile(0xe000_ed28 as *const u32) };
    let exception = match ipsr & 0x1ff {
        2 => "NMI",
        3 => "HardFault",
        4 => "MemManage fault",
        5 => "BusFault",
        6 => "UsageFault",
        _ => "unexpected exception",
    };
    let cause = FAULT_CAUSES
        .iter()
        .find(|(bit, _)| cfsr & (1 << bit) != 0)
        .map_or("no cause recorded", |(_, cause)| cause);
    println!("{exception} ({cause}, CFSR {cfsr:#010x}): stopping");
    crate::console::exit(1)
}

/// CFSR's bits (ARMv7-M Architecture Reference Manual, B3.2.15), the commonest first.
const FAULT_CAUSES: [(u32, &str); 11] = [
    (16, "an undefined instruction"),
    (25, "a division by zero"),
    (24, "an unaligned access"),
    (17, "an invalid state: a branch without the Thumb bit"),
    (18, "an invalid exception return"),
    (19, "a coprocessor instruction with the coprocessor off"),
    (1, "a data access the memory protection forbids"),
    (0, "an instruction fetch the memory protection forbids"),
    (9, "a bus error on a data access"),
    (10, "a bus error on a data access (imprecise)"),
    (8, "a bus error on an instruction fetch"),
];
// {{/if}}
