//! Boot code for x86_64. QEMU's PVH loader enters `_start` in 32-bit protected mode with paging off, so the
//! assembly below builds identity-mapped page tables, switches the CPU to 64-bit long mode, sets up a stack and
//! clears `.bss` before any Rust code runs.

use core::arch::global_asm;

global_asm!(
    // The PVH ELF note (type 18, XEN_ELFNOTE_PHYS32_ENTRY): the 32-bit physical address QEMU jumps to.
    ".section .note.Xen, \"a\", @note",
    ".p2align 2",
    ".long 4",                          // Name size: "Xen" and its NUL.
    ".long 4",                          // Descriptor size: one 32-bit address.
    ".long 18",                         // Note type: XEN_ELFNOTE_PHYS32_ENTRY.
    ".asciz \"Xen\"",
    ".p2align 2",
    ".long _start",
    "",
    // Page tables, in .bss: zeroed with it, then filled in by _start.
    ".section .bss.page_tables, \"aw\", @nobits",
    ".p2align 12",                      // Each table must be 4 KiB aligned.
    "pml4: .skip 4096",
    "pdpt: .skip 4096",
    "pd:   .skip 4096",
    "",
    // The global descriptor table: long mode needs one 64-bit code segment.
    ".section .rodata.gdt, \"a\"",
    ".p2align 3",
    "gdt:",
    ".quad 0",                          // Entry 0 is always the null descriptor.
    ".quad 0x00af9a000000ffff",         // Selector 0x08: present, ring 0, executable, 64-bit (L bit).
    "gdt_ptr:",
    ".word gdt_ptr - gdt - 1",          // The table's limit (size - 1) ...
    ".long gdt",                        // ... and its address, for lgdt.
    "",
    ".section .text.start, \"ax\"",
    ".code32",
    ".global _start",
    "_start:",
    "    cli",                          // No interrupt handlers exist: keep interrupts off.
    "    cld",                          // String instructions count upwards.
    "    movl $__sbss, %edi",           // Zero .bss (page tables included): from __sbss ...
    "    movl $__ebss, %ecx",           // ... to __ebss ...
    "    subl %edi, %ecx",
    "    xorl %eax, %eax",
    "    rep stosb",                    // ... a byte at a time.
    "    movl $pdpt, %eax",             // PML4[0] -> the PDPT (present, writable).
    "    orl $0x3, %eax",
    "    movl %eax, pml4",
    "    movl $pd, %eax",               // PDPT[0] -> the page directory (present, writable).
    "    orl $0x3, %eax",
    "    movl %eax, pdpt",
    "    xorl %ecx, %ecx",              // PD[i] maps 2 MiB at i * 2 MiB onto itself: identity-map 1 GiB.
    "1:  movl %ecx, %eax",
    "    shll $21, %eax",
    "    orl $0x83, %eax",              // Present, writable, 2 MiB page.
    "    movl %eax, pd(,%ecx,8)",
    "    incl %ecx",
    "    cmpl $512, %ecx",
    "    jne 1b",
    "    movl $pml4, %eax",             // CR3: the top-level table.
    "    movl %eax, %cr3",
    "    movl %cr4, %eax",              // CR4.PAE: long mode uses the 64-bit page table format.
    "    orl $(1 << 5), %eax",
    "    movl %eax, %cr4",
    "    movl $0xc0000080, %ecx",       // EFER.LME: ask for long mode ...
    "    rdmsr",
    "    orl $(1 << 8), %eax",
    "    wrmsr",
    "    movl %cr0, %eax",              // ... which starts once paging is on (CR0.PG, with CR0.PE).
    "    orl $((1 << 31) | 1), %eax",
    "    movl %eax, %cr0",
    "    lgdt gdt_ptr",                 // Load the GDT with the 64-bit code segment ...
    "    ljmp $0x08, $2f",              // ... and jump into it: from here on the CPU runs 64-bit code.
    ".code64",
    "2:  xorl %eax, %eax",              // Null data segments: 64-bit mode does not use them.
    "    movw %ax, %ds",
    "    movw %ax, %es",
    "    movw %ax, %ss",
    "    movq $_stack_top, %rsp",       // The stack, reserved by link.x.
    "    call {start}",                 // Enter Rust. `start` never returns.
    "3:  hlt",                          // Not reached; halt if it ever is.
    "    jmp 3b",
    start = sym start,
    options(att_syntax),
);

/// The bridge from assembly into Rust, with the C calling convention `call` expects.
extern "C" fn start() -> ! {
    crate::main()
}
