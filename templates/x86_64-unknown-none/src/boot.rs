//! Boot code for x86_64. QEMU's PVH loader enters `_start` in 32-bit protected mode with paging off, so the
//! assembly below builds identity-mapped page tables, switches the CPU to 64-bit long mode, sets up a stack and
//! clears `.bss` before any Rust code runs.

use core::arch::global_asm;

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
    "    cli",                          // No interrupt handlers exist: keep interrupts off.
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
