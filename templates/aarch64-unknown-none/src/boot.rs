//! Boot code for AArch64. QEMU jumps to `_start` at EL1 (or above, which it leaves) with the MMU off, no
//! stack, the FPU trapping and `.bss` not yet cleared, so this first part is assembly: Rust code may assume
//! all of those are ready.
//! It also installs an exception vector table, so that a fault says what happened instead of hanging.

use core::arch::{asm, global_asm};
use core::sync::atomic::Ordering;

global_asm!(
    ".section .text.start, \"ax\"", // Code; link.x puts this section first.
    ".global _start",                // Visible to link.x (ENTRY): QEMU jumps to the ELF's entry.
    "_start:",                       // At EL1, MMU and caches off.
    "    mrs x1, mpidr_el1",         // Every core may start here; only core 0 runs the program ...
    "    and x1, x1, #0xff",         // ... (affinity level 0 is the core number) ...
    "    cbnz x1, 2f",               // ... the others park below.
    "    mrs x1, currentel",         // Firmware or QEMU may start us above EL1 (a Raspberry Pi's firmware at
    "    cmp x1, #(3 << 2)",         // EL2, QEMU's raspi3b at EL3): drop to EL1, where the rest of this code
    "    b.ne 4f",                   // and the vector table run. At EL3:
    "    mov x2, #(1 << 10)",        // SCR_EL3.RW: the levels below run AArch64 code (NS stays 0: secure
    "    msr scr_el3, x2",           // EL1, so EL2 has no say) ...
    "    mov x2, #0x3c5",            // ... SPSR_EL3: return to EL1 with its own stack pointer (EL1h) and
    "    msr spsr_el3, x2",          // every interrupt masked (DAIF) ...
    "    adr x2, 3f",                // ... at 3 below: the return address ...
    "    msr elr_el3, x2",           // ...
    "    eret",                      // ... taken.
    "4:  cmp x1, #(2 << 2)",         // At EL2:
    "    b.ne 3f",                   // (at EL1 already, go on at 3)
    "    mov x2, #(1 << 31)",        // HCR_EL2.RW: EL1 runs AArch64 code (nothing else is trapped to EL2) ...
    "    msr hcr_el2, x2",           // ...
    "    mov x2, #0x3c5",            // ... SPSR_EL2: EL1h, interrupts masked, as above ...
    "    msr spsr_el2, x2",          // ...
    "    adr x2, 3f",                // ... returning to 3:
    "    msr elr_el2, x2",           // ...
    "    eret",                      // ... taken.
    "3:  ldr x1, =_stack_top",       // The stack, reserved by link.x.
    "    mov sp, x1",                // (sp cannot be loaded from memory directly.)
    "    mov x1, #(3 << 20)",        // CPACR_EL1.FPEN = 0b11: float and SIMD instructions no longer trap;
    "    msr cpacr_el1, x1",         // Rust uses them for floats and for copying memory.
    "    isb",                       // Make the new setting apply to the instructions that follow.
    "    ldr x1, =vectors",          // Exceptions go to the table below from now on ...
    "    msr vbar_el1, x1",          // ... (VBAR_EL1 holds its address) ...
    "    isb",                       // ... starting with the next instruction.
    "    ldr x1, =__sbss",           // Zero .bss: x1 runs from its start ...
    "    ldr x2, =__ebss",           // ... to its end (link.x aligns both to 16) ...
    "0:  cmp x1, x2",                // ... until x1 reaches the end,
    "    b.hs 1f",                   //     then go on into Rust;
    "    str xzr, [x1], #8",         // ... storing the zero register, 8 bytes at a time, advancing x1.
    "    b 0b",                      // Next 8 bytes.
    "1:  bl {start}",                // Memory is ready: enter Rust. `start` never returns.
    "2:  wfe",                       // Parked cores sleep ...
    "    b 2b",                      // ... forever.
    "",
    ".section .text.vectors, \"ax\"", // The exception vector table: 16 entries of 128 bytes, ...
    ".balign 2048",                  // ... starting on a 2 KiB boundary, as VBAR_EL1 requires.
    "vectors:",                      // Synchronous, IRQ, FIQ, SError, from 4 kinds of origin:
    ".rept 16",                      // this program enables no interrupts, so every one is a fault ...
    ".balign 128",                   // ... (each entry in its 128-byte slot) ...
    "    b {exception}",             // ... reported by `exception`.
    ".endr",                         // (end of the repetition)
    start = sym start,
    exception = sym exception,
);

/// The bridge from assembly into Rust, with the C calling convention `bl` expects.
extern "C" fn start() -> ! {
    crate::main()
}

/// Any exception: says which (ESR_EL1's class and syndrome, the address of the instruction, the faulting
/// address) and stops. Runs on the program's stack, which EL1 exceptions keep using.
extern "C" fn exception() -> ! {
    let (esr, elr, far): (u64, u64, u64);
    // SAFETY: reading the exception syndrome, link and fault address registers has no side effect.
    unsafe {
        asm!("mrs {}, esr_el1", "mrs {}, elr_el1", "mrs {}, far_el1", out(reg) esr, out(reg) elr, out(reg) far, options(nomem, nostack));
    }
    if crate::console::EXITING.load(Ordering::SeqCst) {
        // The semihosting `hlt` of `exit` itself: semihosting is not enabled, nothing can stop the machine.
        crate::console::park();
    }
    let class = esr >> 26;
    let name = match class {
        0x00 => "unknown reason: an undefined instruction",
        0x01 => "a trapped WFI or WFE",
        0x07 => "a float or SIMD instruction with FP off",
        0x0e => "an illegal execution state",
        0x15 => "a supervisor call (SVC)",
        0x20 | 0x21 => "an instruction abort",
        0x22 => "a misaligned PC",
        0x24 | 0x25 => "a data abort",
        0x26 => "a misaligned stack pointer",
        0x2c => "a floating-point exception",
        0x3c => "a breakpoint instruction (BRK)",
        _ => "another exception class",
    };
    println!(
        "exception: class {class:#x} ({name}), ESR {esr:#x}, at {elr:#x}, address {far:#x}: stopping"
    );
    crate::console::exit(1)
}
