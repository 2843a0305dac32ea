//! Boot code for 32-bit Arm (ARMv7-A). QEMU jumps to `_start` in supervisor mode with the MMU and caches off,
//! no stack and `.bss` not yet cleared, so this first part is assembly: Rust code may assume those are ready.
//! It also installs an exception vector table, so that a fault says what happened instead of hanging. (The
//! target is soft-float: no FPU to turn on.)

use core::arch::{asm, global_asm};
use core::sync::atomic::Ordering;

global_asm!(
    ".section .text.start, \"ax\"", // Code; link.x puts this section first.
    ".arm",                          // A32 instructions, the state the core starts in.
    ".global _start",                // Visible to link.x (ENTRY): QEMU jumps to the ELF's entry.
    "_start:",                       // Supervisor mode, MMU and caches off.
    "    mrc p15, 0, r0, c0, c0, 5", // MPIDR: every core may start here; only core 0 runs the program ...
    "    ands r0, r0, #0xff",        // ... (affinity level 0 is the core number) ...
    "    bne 2f",                    // ... the others park below.
    "    ldr sp, =_stack_top",       // The stack, reserved by link.x.
    "    ldr r0, =vectors",          // Exceptions go to the table below from now on ...
    "    mcr p15, 0, r0, c12, c0, 0", // ... (VBAR holds its address; SCTLR.V is 0 after reset) ...
    "    isb",                       // ... starting with the next instruction.
    "    ldr r0, =__sbss",           // Zero .bss: r0 runs from its start ...
    "    ldr r1, =__ebss",           // ... to its end (link.x aligns both to 16) ...
    "    mov r2, #0",                // ... storing this zero ...
    "0:  cmp r0, r1",                // ... until r0 reaches the end,
    "    bhs 1f",                    //     then go on into Rust;
    "    str r2, [r0], #4",          // ... a word at a time, advancing r0.
    "    b 0b",                      // Next word.
    "1:  bl {start}",                // Memory is ready: enter Rust. `start` never returns.
    "2:  wfe",                       // Parked cores sleep ...
    "    b 2b",                      // ... forever.
    "",
    ".section .text.vectors, \"ax\"", // The exception vector table: eight branches, ...
    ".balign 32",                    // ... on a 32-byte boundary, as VBAR requires.
    "vectors:",                      // Each kind of exception has its own entry:
    "    b .",                       // 0x00 reset (never taken through VBAR);
    "    b 10f",                     // 0x04 undefined instruction;
    "    b 11f",                     // 0x08 supervisor call;
    "    b 12f",                     // 0x0c prefetch abort (an instruction fetch failed);
    "    b 13f",                     // 0x10 data abort (a load or store failed);
    "    b .",                       // 0x14 reserved;
    "    b 15f",                     // 0x18 IRQ and
    "    b 15f",                     // 0x1c FIQ: this program enables no interrupts.
    "10: mov r0, #1",                // r0: which exception (the `kind` of `exception`).
    "    b 20f",
    "11: mov r0, #2",
    "    b 20f",
    "12: mov r0, #3",
    "    b 20f",
    "13: mov r0, #4",
    "    b 20f",
    "15: mov r0, #5",
    "20: mov r1, lr",                // The exception mode's link register: near the faulting instruction.
    "    cps #0x13",                 // Back to supervisor mode, whose stack is the program's: the exception
    "    b {exception}",             // mode's own sp was never set. r0 and r1 are the arguments.
    start = sym start,
    exception = sym exception,
);

/// The bridge from assembly into Rust, with the C calling convention `bl` expects.
extern "C" fn start() -> ! {
    crate::main()
}

/// Any exception: says which (and, for an abort, the fault status and address the core recorded) and stops.
/// `kind` is set by the vector table's entry, `lr` is the exception mode's link register.
extern "C" fn exception(kind: u32, lr: u32) -> ! {
    if crate::console::EXITING.load(Ordering::SeqCst) {
        // The semihosting `svc` of `exit` itself: semihosting is not enabled, nothing can stop the machine.
        crate::console::park();
    }
    let (dfsr, dfar, ifsr, ifar): (u32, u32, u32, u32);
    // SAFETY: reading the fault status and address registers (CP15 c5 and c6) has no side effect.
    unsafe {
        asm!(
            "mrc p15, 0, {}, c5, c0, 0",
            "mrc p15, 0, {}, c6, c0, 0",
            "mrc p15, 0, {}, c5, c0, 1",
            "mrc p15, 0, {}, c6, c0, 2",
            out(reg) dfsr, out(reg) dfar, out(reg) ifsr, out(reg) ifar,
            options(nomem, nostack),
        );
    }
    match kind {
        // The link register points past the undefined instruction (4 in A32 state).
        1 => println!(
            "exception: an undefined instruction at {:#x}: stopping",
            lr.wrapping_sub(4)
        ),
        2 => println!(
            "exception: a supervisor call (SVC) at {:#x}: stopping",
            lr.wrapping_sub(4)
        ),
        3 => println!("exception: a prefetch abort at {ifar:#x} (IFSR {ifsr:#x}): stopping"),
        4 => println!(
            "exception: a data abort at {:#x}, address {dfar:#x} (DFSR {dfsr:#x}): stopping",
            lr.wrapping_sub(8)
        ),
        _ => println!("exception: an interrupt, which this program never enables: stopping"),
    }
    crate::console::exit(1)
}

/// The personality routine that the Arm EHABI's unwind tables name: the compiler emits them on this target even
/// with `panic = "abort"` (for its allocator shim), and the linker then wants the routine. Nothing unwinds here,
/// so nothing calls it; link.x drops the tables, and this definition leaves no undefined symbol in the ELF.
#[unsafe(no_mangle)]
extern "C" fn __aeabi_unwind_cpp_pr0() -> ! {
    crate::console::exit(1)
}
