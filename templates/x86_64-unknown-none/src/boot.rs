//! Boot code for `x86_64`. QEMU's PVH loader enters `_start` in 32-bit protected mode with paging off, so the
//! assembly below builds identity-mapped page tables, switches the CPU to 64-bit long mode, sets up a stack and
//! clears `.bss` before any Rust code runs.
//! It also loads an interrupt descriptor table, so that a fault (an exception) says what happened instead of
//! triple-faulting the machine into a reset.

use core::arch::{asm, global_asm};

global_asm!(
    // The PVH ELF note (type 18, XEN_ELFNOTE_PHYS32_ENTRY): the 32-bit physical address QEMU jumps to.
    ".section .note.Xen, \"a\", @note", // A note section: the linker puts it in a PT_NOTE segment.
    ".p2align 2",                       // Notes are 4-byte aligned.
    ".long 4",                          // Name size: "Xen" and its NUL.
    ".long 4",                          // Descriptor size: one 32-bit address.
    ".long 18",                         // Note type: XEN_ELFNOTE_PHYS32_ENTRY.
    ".asciz \"Xen\"",                   // Name: the owner of the note type.
    ".p2align 2",                       // Descriptor aligned to 4 ...
    ".long _start",                     // ... the entry point's physical address.
    "",
    // Page tables, in .bss: zeroed with it, then filled in by _start.
    ".section .bss.page_tables, \"aw\", @nobits",
    ".p2align 12",                      // Each table must be 4 KiB aligned.
    "pml4: .skip 4096",                 // Level 4: one entry used, for the first 512 GiB.
    "pdpt: .skip 4096",                 // Level 3: one entry used, for the first GiB.
    "pd:   .skip 4096",                 // Level 2: 512 entries of 2 MiB pages.
    "",
    // The global descriptor table: long mode needs one 64-bit code segment.
    ".section .rodata.gdt, \"a\"",      // Read-only data.
    ".p2align 3",                       // Descriptors are 8 bytes.
    "gdt:",                             // The table:
    ".quad 0",                          // Entry 0 is always the null descriptor.
    ".quad 0x00af9a000000ffff",         // Selector 0x08: present, ring 0, executable, 64-bit (L bit).
    "gdt_ptr:",                         // The operand of lgdt:
    ".word gdt_ptr - gdt - 1",          // The table's limit (size - 1) ...
    ".long gdt",                        // ... and its address, for lgdt.
    "",
    ".section .text.start, \"ax\"",     // Code.
    ".code32",                          // PVH enters in 32-bit protected mode, paging off.
    ".global _start",                   // Visible to link.x (ENTRY) and to the note above.
    "_start:",                          // ebx holds the PVH start info, which this program does not need.
    "    cli",                          // Only exceptions have handlers (below): keep interrupts off.
    "    cld",                          // String instructions count upwards.
    "    movl $__sbss, %edi",           // Zero .bss (page tables included): from __sbss ...
    "    movl $__ebss, %ecx",           // ... to __ebss:
    "    subl %edi, %ecx",              // ecx = the byte count,
    "    xorl %eax, %eax",              // al = the zero to store,
    "    rep stosb",                    // a byte at a time.
    "    movl $pdpt, %eax",             // PML4[0] -> the PDPT ...
    "    orl $0x3, %eax",               // ... present and writable.
    "    movl %eax, pml4",
    "    movl $pd, %eax",               // PDPT[0] -> the page directory ...
    "    orl $0x3, %eax",               // ... present and writable.
    "    movl %eax, pdpt",
    "    xorl %ecx, %ecx",              // For i = 0 to 511, PD[i] maps the 2 MiB at i * 2 MiB onto itself:
    "1:  movl %ecx, %eax",
    "    shll $21, %eax",               // eax = i * 2 MiB,
    "    orl $0x83, %eax",              // present, writable, a 2 MiB page;
    "    movl %eax, pd(,%ecx,8)",       // entries are 8 bytes (the high half stays 0).
    "    incl %ecx",                    // Next entry ...
    "    cmpl $512, %ecx",              // ... until all 512 (1 GiB) are done.
    "    jne 1b",
    "    movl $pml4, %eax",             // CR3: the top-level table.
    "    movl %eax, %cr3",
    "    movl %cr4, %eax",              // CR4.PAE: long mode uses the 64-bit page table format.
    "    orl $(1 << 5), %eax",
    "    movl %eax, %cr4",
    "    movl $0xc0000080, %ecx",       // EFER (an MSR) ...
    "    rdmsr",                        // ... read into edx:eax ...
    "    orl $(1 << 8), %eax",          // ... LME: ask for long mode ...
    "    wrmsr",                        // ... written back.
    "    movl %cr0, %eax",              // Long mode starts once paging is on:
    "    orl $((1 << 31) | 1), %eax",   // CR0.PG (with CR0.PE, already set) ...
    "    movl %eax, %cr0",              // ... now.
    "    lgdt gdt_ptr",                 // Load the GDT with the 64-bit code segment ...
    "    ljmp $0x08, $2f",              // ... and jump into it: from here on the CPU runs 64-bit code.
    ".code64",                          // Assemble what follows as 64-bit code.
    "2:  xorl %eax, %eax",              // Null data segments: 64-bit mode does not use them, and the
    "    movw %ax, %ds",                // 32-bit selectors PVH left here do not exist in our GDT.
    "    movw %ax, %es",
    "    movw %ax, %ss",
    "    movq $_stack_top, %rsp",       // The stack, reserved by link.x.
    "    movq $exception_stubs, %rdi",  // `start`'s argument: where the exception stubs below are.
    "    call {start}",                 // Enter Rust. `start` never returns.
    "3:  hlt",                          // Not reached; halt if it ever is.
    "    jmp 3b",
    "",
    // One stub per exception vector (0 to 31), 16 bytes apart: stub n is at exception_stubs + 16 * n. Each
    // leaves the same frame for `exception_entry`: the vector on top, then an error code (the CPU pushes one
    // for some vectors; the stub pushes 0 for the others), then the CPU's RIP, CS, RFLAGS, RSP and SS.
    ".section .text.exceptions, \"ax\"",
    ".balign 16",
    "exception_stubs:",
    ".set vector, 0",                   // The vector of the stub being assembled.
    ".rept 32",                         // 32 stubs:
    ".balign 16",                       // each in its 16-byte slot;
    // The vectors the CPU pushes an error code for: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX.
    ".set error_code, vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector >= 29",
    ".if error_code == 0",              // For the others ...
    "    pushq $0",                     // ... a 0 in its place;
    ".endif",
    "    pushq $vector",                // then the vector,
    "    jmp exception_entry",          // and all go on to the same code.
    ".set vector, vector + 1",          // Next vector.
    ".endr",
    "exception_entry:",
    "    movq (%rsp), %rdi",            // 1st argument: the vector,
    "    movq 8(%rsp), %rsi",           // 2nd: the error code,
    "    movq 16(%rsp), %rdx",          // 3rd: the address of the instruction that faulted.
    "    andq $-16, %rsp",              // The C calling convention wants rsp 16-byte aligned at a call.
    "    call {exception}",             // Report and stop: `exception` never returns.
    start = sym start,
    exception = sym exception,
    options(att_syntax),
);

/// The bridge from assembly into Rust, with the C calling convention `call` expects: installs the exception
/// handlers, then runs the program.
extern "C" fn start(exception_stubs: usize) -> ! {
    install_exception_handlers(exception_stubs);
    crate::main()
}

/// A 64-bit interrupt gate (Intel SDM vol. 3A, 6.14.1): 16 bytes, with the handler's address split in three.
#[derive(Clone, Copy)]
#[repr(C)]
struct Gate {
    offset_low: u16,
    selector: u16,
    options: u16,
    offset_mid: u16,
    offset_high: u32,
    reserved: u32,
}

impl Gate {
    const MISSING: Gate = Gate {
        offset_low: 0,
        selector: 0,
        options: 0,
        offset_mid: 0,
        offset_high: 0,
        reserved: 0,
    };

    fn to(handler: usize) -> Gate {
        Gate {
            offset_low: (handler & 0xffff) as u16,
            selector: 0x08,  // The 64-bit code segment of the GDT above.
            options: 0x8e00, // Present, ring 0, a 64-bit interrupt gate, no separate stack (IST 0).
            offset_mid: ((handler >> 16) & 0xffff) as u16,
            offset_high: (handler >> 32) as u32,
            reserved: 0,
        }
    }
}

/// The interrupt descriptor table: the 32 exceptions the CPU defines (no interrupt is ever enabled).
static mut IDT: [Gate; 32] = [Gate::MISSING; 32];

/// The operand of `lidt`: the table's limit (its size - 1) and address.
#[repr(C, packed)]
struct IdtPointer {
    limit: u16,
    base: u64,
}

/// Points every exception at its stub and loads the table: from then on a fault calls `exception`.
fn install_exception_handlers(stubs: usize) {
    let mut table = [Gate::MISSING; 32];
    for (vector, gate) in table.iter_mut().enumerate() {
        *gate = Gate::to(stubs + 16 * vector);
    }
    // SAFETY: this runs once, before `main`, on the only core running: nothing else uses `IDT`.
    unsafe { IDT = table };
    let pointer = IdtPointer {
        limit: (size_of::<[Gate; 32]>() - 1) as u16,
        base: (&raw const IDT) as u64,
    };
    // SAFETY: the table is complete and static (it lives as long as the program); `lidt` only reads `pointer`.
    unsafe {
        asm!("lidt [{}]", in(reg) &raw const pointer, options(readonly, nostack, preserves_flags));
    }
}

/// The exceptions' names, by vector (Intel SDM vol. 3A, table 6-1).
const EXCEPTIONS: [&str; 32] = [
    "#DE, divide error",
    "#DB, debug",
    "NMI",
    "#BP, breakpoint",
    "#OF, overflow",
    "#BR, bound range exceeded",
    "#UD, invalid opcode",
    "#NM, no FPU",
    "#DF, double fault",
    "coprocessor segment overrun",
    "#TS, invalid TSS",
    "#NP, segment not present",
    "#SS, stack-segment fault",
    "#GP, general protection",
    "#PF, page fault",
    "reserved",
    "#MF, x87 floating-point error",
    "#AC, alignment check",
    "#MC, machine check",
    "#XM, SIMD floating-point exception",
    "#VE, virtualization exception",
    "#CP, control protection",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "#HV, hypervisor injection",
    "#VC, VMM communication",
    "#SX, security exception",
    "reserved",
];

/// Any exception: says which (its vector, the error code, the instruction's address, and for a page fault the
/// address it touched) and stops. Runs on the program's stack.
extern "C" fn exception(vector: u64, error_code: u64, rip: u64) -> ! {
    let name = usize::try_from(vector)
        .ok()
        .and_then(|v| EXCEPTIONS.get(v))
        .copied()
        .unwrap_or("reserved");
    if vector == 14 {
        let address: u64;
        // SAFETY: reading CR2 (the address a page fault touched) has no side effect.
        unsafe { asm!("mov {}, cr2", out(reg) address, options(nomem, nostack, preserves_flags)) };
        println!(
            "exception {vector} ({name}), error code {error_code:#x}, at {rip:#x}, address {address:#x}: stopping"
        );
    } else {
        println!("exception {vector} ({name}), error code {error_code:#x}, at {rip:#x}: stopping");
    }
    crate::console::exit(1)
}
