//! Boot code for LoongArch64. QEMU jumps to `_start` in direct-address mode (no translation) at the highest
//! privilege level, with no stack, the FPU disabled and `.bss` not yet cleared, so this first part is assembly:
//! Rust code may assume those are ready. It also sets the exception entry, so that a fault says what happened
//! instead of hanging.

use core::arch::{asm, global_asm};

global_asm!(
    ".section .text.start, \"ax\"", // Code; link.x puts this section first.
    ".global _start",                // Visible to link.x (ENTRY): QEMU jumps to the ELF's entry.
    "_start:",                       // Direct-address mode, interrupts off.
    "    csrrd $t0, 0x20",           // CPUID: every core may start here; only core 0 runs the program ...
    "    andi $t0, $t0, 0x1ff",      // ... (the core number is its low 9 bits) ...
    "    bnez $t0, 2f",              // ... the others park below.
    "    la.pcrel $sp, _stack_top",  // The stack, reserved by link.x.
    "    li.w $t0, 1",               // EUEN.FPE = 1: float instructions no longer raise "FPU disabled"
    "    csrwr $t0, 0x2",            // (the target is hard-float: Rust uses them for every f32 and f64).
    "    la.pcrel $t0, 3f",          // Every exception and interrupt goes to one entry (ECFG.VS is 0) ...
    "    csrwr $t0, 0xc",            // ... whose address EENTRY holds.
    "    la.pcrel $t0, __sbss",      // Zero .bss: t0 runs from its start ...
    "    la.pcrel $t1, __ebss",      // ... to its end (link.x aligns both to 16) ...
    "0:  bgeu $t0, $t1, 1f",         // ... until t0 reaches the end, then go on into Rust;
    "    st.d $zero, $t0, 0",        // ... storing the zero register, 8 bytes at a time ...
    "    addi.d $t0, $t0, 8",        // ... advancing t0.
    "    b 0b",                      // Next 8 bytes.
    "1:  bl {start}",                // Memory is ready: enter Rust. `start` never returns.
    "2:  idle 0",                    // Parked cores sleep ...
    "    b 2b",                      // ... forever.
    "",
    ".section .text.exception, \"ax\"", // The exception entry ...
    ".balign 4096",                  // ... on a 4 KiB boundary, as EENTRY requires:
    "3:  b {exception}",             // reported by `exception`.
    start = sym start,
    exception = sym exception,
);

/// The bridge from assembly into Rust, with the C calling convention `bl` expects.
extern "C" fn start() -> ! {
    crate::main()
}

/// Any exception: says which (ESTAT's code, the address of the instruction, the faulting address) and stops.
/// It runs on the program's stack: LoongArch does not switch stacks on an exception.
extern "C" fn exception() -> ! {
    let (estat, era, badv): (u64, u64, u64);
    // SAFETY: reading the exception status, return address and bad virtual address CSRs has no side effect.
    unsafe {
        asm!("csrrd {}, 0x5", "csrrd {}, 0x6", "csrrd {}, 0x7", out(reg) estat, out(reg) era, out(reg) badv, options(nomem, nostack));
    }
    let code = (estat >> 16) & 0x3f;
    let name = match code {
        0x0 => "an interrupt, which this program never enables",
        0x8 => "an address error",
        0x9 => "a misaligned access",
        0xb => "a system call",
        0xc => "a breakpoint",
        0xd => "an instruction that does not exist",
        0xe => "a privileged instruction",
        0xf => "a float instruction with the FPU disabled",
        0x12 => "a floating-point exception",
        _ => "another exception",
    };
    println!("exception: code {code:#x} ({name}) at {era:#x}, address {badv:#x}: stopping");
    crate::console::exit(1)
}
