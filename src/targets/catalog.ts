import { FreestandError } from "../errors.js";
import type { TargetInfo } from "./types.js";
import { closestName } from "./suggest.js";

const HOST_TRIPLE = "x86_64-unknown-linux-gnu";
const KiB = 1024;
const MiB = 1024 * KiB;

/** The flags every bare-metal template links with: its own link.x, and the linker's warnings shown. */
const BARE_METAL_RUSTFLAGS = ["-C", "link-arg=-Tlink.x", "-W", "linker-messages"];

/**
 * A Cortex-M board of QEMU's: code memory where the core finds its vector table at reset (address 0, or the
 * secure alias of TrustZone boards), SRAM at 0x2000_0000 (or its secure alias), semihosting for the console and
 * the exit code. The boards differ in machine, CPU, addresses and sizes.
 */
function cortexM(o: {
  triple: string;
  isa: string;
  description: string;
  machine: string;
  cpu: string;
  flash: number;
  ram: number;
  flashOrigin?: number;
  ramOrigin?: number;
  stackSize: number;
  heapSize: number;
  hasFpu: boolean;
  boot: string;
  targetNote: string;
  board: string;
}): TargetInfo {
  return {
    id: o.triple,
    triple: o.triple,
    description: o.description,
    isa: o.isa,
    flavour: "qemu",
    elf: { machine: "arm", class: 32, endian: "little" },
    entrySymbol: "Reset",
    defaultPanicStrategy: "abort",
    memory: [
      { name: "FLASH", origin: o.flashOrigin ?? 0x0, length: o.flash, kind: "flash" },
      { name: "RAM", origin: o.ramOrigin ?? 0x2000_0000, length: o.ram, kind: "ram" },
    ],
    stackSize: o.stackSize,
    qemu: {
      binary: "qemu-system-arm",
      // The first serial port on stdout too: a program for the board's own UART (the micro:bit's, whose map is
      // the generic ARMv6-M one) prints there.
      args: ["-M", o.machine, "-cpu", o.cpu, "-nodefaults", "-display", "none", "-serial", "stdio", "-semihosting-config", "enable=on,target=native"],
      debianPackage: "qemu-system-arm",
    },
    exit: { kind: "semihosting" },
    console: 'Arm semihosting (SYS_OPEN ":tt", SYS_WRITE)',
    hasFpu: o.hasFpu,
    layers: ["bare-metal", "cortex-m"],
    boot: o.boot,
    heapSize: o.heapSize,
    runner: `qemu-system-arm -M ${o.machine} -cpu ${o.cpu} -nographic -semihosting-config enable=on,target=native -kernel`,
    rustflags: [...BARE_METAL_RUSTFLAGS],
    configNotes: {
      target: o.targetNote,
      flags: { "link-arg=-Tlink.x": "Link with our linker script: it places the vector table at address 0 and lays out flash and RAM." },
      runner: [`\`cargo run\` boots the ELF on QEMU's ${o.board}; semihosting carries the console and the exit code.`, "Quit a hung program with Ctrl-A then X."],
    },
  };
}

/** QEMU's RISC-V `virt` machine without firmware: 128 MiB of RAM at 0x8000_0000, a 16550 UART, the SiFive test device. */
function riscvVirt(o: { bits: 32 | 64; triple: string; isa: string; description: string; hasFpu: boolean; boot: string; targetNote: string }): TargetInfo {
  return {
    id: o.triple,
    triple: o.triple,
    description: o.description,
    isa: o.isa,
    flavour: "qemu",
    elf: { machine: "riscv", class: o.bits, endian: "little" },
    entrySymbol: "_start",
    defaultPanicStrategy: "abort",
    memory: [{ name: "RAM", origin: 0x8000_0000, length: 128 * MiB, kind: "ram" }],
    stackSize: 64 * KiB,
    qemu: {
      binary: `qemu-system-riscv${o.bits}`,
      args: ["-M", "virt", "-bios", "none", "-nodefaults", "-display", "none", "-serial", "stdio"],
      debianPackage: "qemu-system-misc",
    },
    exit: { kind: "sifive-test", address: 0x10_0000 },
    console: "NS16550 UART (0x1000_0000)",
    hasFpu: o.hasFpu,
    layers: ["bare-metal", "riscv"],
    boot: o.boot,
    heapSize: 64 * KiB,
    runner: `qemu-system-riscv${o.bits} -M virt -bios none -nographic -kernel`,
    rustflags: [...BARE_METAL_RUSTFLAGS],
    configNotes: {
      target: o.targetNote,
      flags: { "link-arg=-Tlink.x": "Link with our linker script: it places everything in the RAM of QEMU's `virt` machine." },
      runner: ["`cargo run` boots the ELF on QEMU's `virt` board with no firmware: the ELF is the first code to run.", "Quit a hung program with Ctrl-A then X."],
    },
  };
}

/**
 * QEMU's Arm `virt` machine, 32- or 64-bit: RAM at 0x4000_0000 with the device tree at its start (so the program
 * goes 512 KiB in), a PL011 UART, semihosting for the exit code. Each has its own boot code (its template layer).
 */
function armVirt(o: { triple: string; isa: string; bits: 32 | 64; cpu: string; description: string; hasFpu: boolean; boot: string; targetNote: string }): TargetInfo {
  const binary = o.bits === 64 ? "qemu-system-aarch64" : "qemu-system-arm";
  const name = o.cpu.replace(/^cortex-a/, "Cortex-A");
  return {
    id: o.triple,
    triple: o.triple,
    description: o.description,
    isa: o.isa,
    flavour: "qemu",
    elf: { machine: o.bits === 64 ? "aarch64" : "arm", class: o.bits, endian: "little" },
    entrySymbol: "_start",
    defaultPanicStrategy: "abort",
    memory: [{ name: "RAM", origin: 0x4008_0000, length: 127 * MiB, kind: "ram" }],
    stackSize: 64 * KiB,
    qemu: {
      binary,
      args: ["-M", "virt", "-cpu", o.cpu, "-nodefaults", "-display", "none", "-serial", "stdio", "-semihosting-config", "enable=on,target=native"],
      debianPackage: "qemu-system-arm",
    },
    exit: { kind: "semihosting" },
    console: "PL011 UART (0x0900_0000)",
    hasFpu: o.hasFpu,
    layers: ["bare-metal", o.triple],
    boot: o.boot,
    heapSize: 64 * KiB,
    runner: `${binary} -M virt -cpu ${o.cpu} -nographic -semihosting-config enable=on,target=native -kernel`,
    rustflags: [...BARE_METAL_RUSTFLAGS],
    configNotes: {
      target: o.targetNote,
      flags: { "link-arg=-Tlink.x": "Link with our linker script: it places the program in the RAM of QEMU's `virt` machine." },
      runner: [`\`cargo run\` boots the ELF on QEMU's \`virt\` board (a ${name}); semihosting carries the exit code.`, "Quit a hung program with Ctrl-A then X."],
    },
  };
}

/**
 * Facts measured on Debian 12 x86_64 (docs/targets.md lists them). Add a target by adding a record here (its
 * `.cargo/config.toml` is rendered from it, src/templates/cargo-config.ts) and, when its boot code or linker
 * script is its own, a template directory under templates/ as its last layer.
 */
export const TARGETS: readonly TargetInfo[] = [
  {
    id: "host",
    triple: HOST_TRIPLE,
    description: "static freestanding Linux executable (no libc), run directly by the kernel",
    isa: "x86-64",
    flavour: "host",
    elf: { machine: "x86_64", class: 64, endian: "little" },
    entrySymbol: "_start",
    defaultPanicStrategy: "unwind",
    memory: [],
    stackSize: 0,
    exit: { kind: "syscall" },
    console: "write(2) syscall on fd 1, exit_group(2)",
    hasFpu: true,
    layers: ["host"],
    // No C start files or libc, a static non-PIE executable: a static-PIE would need a loader to relocate it.
    rustflags: ["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static", "-C", "relocation-model=static"],
    configNotes: {
      target: "Build for Linux, but without the standard library or libc (see the rustflags below).",
      flags: {
        "link-arg=-nostartfiles": "No C runtime start files (crt1.o's _start would call libc's __libc_start_main): ours is in src/rt.rs.",
        "link-arg=-nostdlib": "No libc, no libgcc: everything the program needs is in this crate and in `core`.",
        "link-arg=-static": "A static executable: no dynamic loader, no shared libraries.",
        "relocation-model=static": "Not position-independent: a static-PIE would need a loader to apply its relocations, and there is none.",
        "force-unwind-tables=no": 'Nothing unwinds (panic = "abort"): leave out the unwind tables, which would outweigh a small program.',
        "link-arg=-Wl,--build-id=none": "No build-id note: nothing here looks it up, and it costs a note section and a program header.",
        "panic=abort": 'Abort on panic in test builds too: cargo gives tests `panic = "unwind"` whatever the profiles say (for libtest, which these tests do not use), and nothing here can unwind.',
      },
      // Not needed to run: they keep the program small, show the linker's warnings, and let `cargo test` build.
      extraRustflags: ["-C", "force-unwind-tables=no", "-C", "link-arg=-Wl,--build-id=none", "-C", "panic=abort", "-W", "linker-messages"],
    },
  },
  // Bare-metal targets: booted by QEMU (`freestand run`, or `cargo run` through the template's runner).
  // QEMU arguments: headless (-display none), -nodefaults (no network card, monitor or default serial), and the
  // console on stdout (the serial port, or semihosting on the Arm boards).
  {
    id: "x86_64-unknown-none",
    triple: "x86_64-unknown-none",
    description: "64-bit x86 kernel booted by QEMU (q35) through the PVH entry; COM1 console",
    isa: "x86-64",
    flavour: "qemu",
    elf: { machine: "x86_64", class: 64, endian: "little" },
    entrySymbol: "_start",
    defaultPanicStrategy: "abort",
    memory: [{ name: "RAM", origin: 0x10_0000, length: 127 * MiB, kind: "ram" }],
    stackSize: 64 * KiB,
    qemu: {
      binary: "qemu-system-x86_64",
      args: ["-M", "q35", "-nodefaults", "-display", "none", "-serial", "stdio", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"],
      debianPackage: "qemu-system-x86",
    },
    exit: { kind: "isa-debug-exit", port: 0xf4 },
    console: "COM1 16550 UART (I/O port 0x3f8)",
    // The target is soft-float (no SSE): there is no FPU state for the boot code to enable.
    hasFpu: false,
    layers: ["bare-metal", "x86_64-unknown-none"],
    boot: "QEMU finds the 32-bit entry through a PVH ELF note (type 18, XEN_ELFNOTE_PHYS32_ENTRY) and enters it in protected mode with paging off; `_start` zeroes .bss, identity-maps the first GiB with 2 MiB pages, enables PAE, EFER.LME and paging, loads a GDT with a 64-bit code segment and far-jumps into long mode, sets the stack, loads an IDT whose 32 exception stubs print the exception (vector, error code, address) and exit 1, and calls `main`.",
    heapSize: 64 * KiB,
    runner: "qemu-system-x86_64 -M q35 -nodefaults -display none -serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel",
    // The target defaults to a static PIE, which nothing would relocate.
    rustflags: ["-C", "link-arg=-Tlink.x", "-C", "relocation-model=static", "-W", "linker-messages"],
    configNotes: {
      target: "Cross-compile for 64-bit x86 with no operating system (soft-float: no SSE state to set up).",
      flags: { "link-arg=-Tlink.x": "Link with our linker script: it loads the program at 1 MiB, where QEMU expects a kernel." },
      runner: [
        "`cargo run` boots the ELF with QEMU's PVH loader; COM1 is the console and the isa-debug-exit device stops QEMU",
        "with status ((code + 1) << 1) | 1, which the shell around QEMU turns back into the program's code (as `freestand run` does).",
      ],
    },
  },
  cortexM({
    triple: "thumbv6m-none-eabi",
    isa: "ARMv6-M",
    description: "Cortex-M0/M0+ microcontroller (QEMU microbit, an nRF51822); semihosting console",
    machine: "microbit",
    cpu: "cortex-m0",
    // The nRF51822's 256 KiB of flash and 16 KiB of RAM (nRF51 Series Reference Manual, memory map).
    flash: 256 * KiB,
    ram: 16 * KiB,
    // 8 KiB: a failed assert_eq! in a debug test build formats its message deeper than 4 KiB (measured: the stack
    // overflow the Cortex-M layout now catches).
    stackSize: 8 * KiB,
    heapSize: 4 * KiB,
    hasFpu: false,
    targetNote: "Cross-compile for the Cortex-M0/M0+: ARMv6-M, the Thumb-1 subset (no compare-and-swap atomics, no hardware divide), no FPU.",
    board: "BBC micro:bit (an nRF51822, Cortex-M0)",
    boot: "As for the Cortex-M3, in the Thumb-1 instructions ARMv6-M has; the fault handler names the exception only (ARMv6-M has no fault status registers).",
  }),
  cortexM({
    triple: "thumbv7m-none-eabi",
    isa: "ARMv7-M",
    description: "Cortex-M3 microcontroller (QEMU lm3s6965evb); semihosting console",
    machine: "lm3s6965evb",
    cpu: "cortex-m3",
    flash: 256 * KiB,
    ram: 64 * KiB,
    stackSize: 8 * KiB,
    heapSize: 16 * KiB,
    hasFpu: false,
    targetNote: "Cross-compile for the Cortex-M3: plain Thumb-2, no FPU, no operating system.",
    board: "Stellaris LM3S6965 board",
    boot: "The vector table at address 0 holds the initial stack pointer and `Reset`; `Reset` zeroes .bss, copies .data from flash to RAM and calls `main`; every other exception prints a message and exits 1.",
  }),
  cortexM({
    triple: "thumbv7em-none-eabihf",
    isa: "ARMv7E-M",
    description: "Cortex-M4F/M7F microcontroller with FPU (QEMU mps2-an386); semihosting console",
    machine: "mps2-an386",
    cpu: "cortex-m4",
    flash: 4 * MiB,
    ram: 4 * MiB,
    stackSize: 64 * KiB,
    heapSize: 64 * KiB,
    hasFpu: true,
    targetNote: "Cross-compile for the Cortex-M4F/M7F: Thumb-2 with DSP instructions and a hardware FPU (hard-float ABI).",
    board: "MPS2-AN386 board (a Cortex-M4 with FPU)",
    boot: "As for the Cortex-M3, and first `Reset` grants access to the FPU (CPACR bits 20-23, then `dsb; isb`): until then the first float instruction faults.",
  }),
  cortexM({
    triple: "thumbv8m.main-none-eabihf",
    isa: "ARMv8-M Mainline",
    description: "Cortex-M33 microcontroller with FPU and TrustZone (QEMU mps2-an505), secure state; semihosting console",
    machine: "mps2-an505",
    cpu: "cortex-m33",
    // The core starts in the secure state with its vector table at 0x1000_0000 (AN505's initial SVTOR): the
    // secure alias of the 4 MiB SSRAM at 0; RAM is the secure alias (0x3800_0000) of the SSRAM at 0x2800_0000.
    flashOrigin: 0x1000_0000,
    flash: 4 * MiB,
    ramOrigin: 0x3800_0000,
    ram: 4 * MiB,
    stackSize: 64 * KiB,
    heapSize: 64 * KiB,
    hasFpu: true,
    targetNote: "Cross-compile for the Cortex-M33: ARMv8-M Mainline with DSP instructions and a hardware FPU (hard-float ABI).",
    board: "MPS2-AN505 board (a Cortex-M33 with FPU and TrustZone)",
    boot: "As for the Cortex-M4F, in the secure state the core starts in (this program never configures TrustZone).",
  }),
  riscvVirt({
    bits: 32,
    triple: "riscv32imac-unknown-none-elf",
    isa: "RV32IMAC",
    description: "32-bit RISC-V (QEMU virt, machine mode, no firmware); 16550 UART console",
    hasFpu: false,
    targetNote: "Cross-compile for 32-bit RISC-V with the integer, multiply, atomic and compressed extensions; no FPU.",
    boot: "`_start` (machine mode, no firmware) loads gp with linker relaxation off, parks every hart but hart 0, sets the stack, points mtvec at a handler that prints the trap's cause and exits 1, zeroes .bss and calls `main`.",
  }),
  riscvVirt({
    bits: 64,
    triple: "riscv64gc-unknown-none-elf",
    isa: "RV64GC",
    description: "64-bit RISC-V with FPU (QEMU virt, machine mode, no firmware); 16550 UART console",
    hasFpu: true,
    targetNote: 'Cross-compile for 64-bit RISC-V, "general purpose" (IMAFD) with compressed instructions: it has an FPU.',
    boot: "As for riscv32, and `_start` also turns the FPU on (mstatus.FS = Initial): until then every float instruction traps.",
  }),
  armVirt({
    triple: "armv7a-none-eabi",
    isa: "ARMv7-A",
    bits: 32,
    cpu: "cortex-a15",
    description: "32-bit Arm Cortex-A (QEMU virt, Cortex-A15, supervisor mode, MMU off); PL011 console, semihosting exit",
    // The target is soft-float: the compiler never uses the FPU, so nothing turns it on.
    hasFpu: false,
    boot: "`_start` (supervisor mode, MMU off) parks every core but core 0, sets the stack, points VBAR at a vector table whose entries say which exception it was (with the fault status and address of an abort) and exit 1, zeroes .bss and calls `main`.",
    targetNote: "Cross-compile for 32-bit Arm Cortex-A (ARMv7-A, A32 and Thumb-2) with no operating system; soft-float.",
  }),
  armVirt({
    triple: "aarch64-unknown-none",
    isa: "ARMv8-A (AArch64)",
    bits: 64,
    cpu: "cortex-a53",
    description: "64-bit Arm (QEMU virt, Cortex-A53, EL1, MMU off); PL011 console, semihosting exit",
    hasFpu: true,
    boot: "`_start` (EL1, MMU off) parks every core but core 0, sets the stack, enables FP/SIMD (CPACR_EL1.FPEN = 0b11, then `isb`), points VBAR_EL1 at a vector table whose entries print the exception and exit 1, zeroes .bss and calls `main`.",
    targetNote: "Cross-compile for 64-bit Arm (AArch64) with no operating system.",
  }),
  {
    id: "loongarch64-unknown-none",
    triple: "loongarch64-unknown-none",
    description: "64-bit LoongArch (QEMU virt, a Loongson 3A5000, direct-address mode); 16550 UART console",
    isa: "LoongArch64",
    flavour: "qemu",
    elf: { machine: "loongarch", class: 64, endian: "little" },
    entrySymbol: "_start",
    defaultPanicStrategy: "abort",
    // Low RAM at 0 (256 MiB of it); the program 2 MiB in, clear of the first pages.
    memory: [{ name: "RAM", origin: 0x20_0000, length: 126 * MiB, kind: "ram" }],
    stackSize: 64 * KiB,
    qemu: {
      binary: "qemu-system-loongarch64",
      args: ["-M", "virt", "-nodefaults", "-display", "none", "-serial", "stdio"],
      debianPackage: "qemu-system-misc",
    },
    exit: { kind: "console-marker" },
    console: "NS16550 UART (0x1fe0_01e0)",
    hasFpu: true,
    layers: ["bare-metal", "loongarch64-unknown-none"],
    boot: "`_start` (direct-address mode) parks every core but core 0, sets the stack, turns the FPU on (EUEN.FPE), points EENTRY at an entry that prints the exception (ESTAT's code, ERA, BADV) and exits 1, zeroes .bss and calls `main`; `exit` prints the code on a last console line and powers off through the ACPI GED.",
    heapSize: 64 * KiB,
    runner: "qemu-system-loongarch64 -M virt -nographic -kernel",
    rustflags: [...BARE_METAL_RUSTFLAGS],
    configNotes: {
      target: "Cross-compile for 64-bit LoongArch with no operating system (hard-float: the boot code turns the FPU on).",
      flags: { "link-arg=-Tlink.x": "Link with our linker script: it places the program in the low RAM of QEMU's `virt` machine." },
      runner: [
        "`cargo run` boots the ELF on QEMU's LoongArch `virt` board; the machine has no exit device, so the program prints its",
        "code on a last console line and powers off, and the shell around QEMU turns that line back into the exit code.",
      ],
    },
  },
];

export function listTargets(): readonly TargetInfo[] {
  return TARGETS;
}

/** Finds a target by id (`host`) or triple; the host triple maps to the host flavour. */
export function findTarget(idOrTriple: string): TargetInfo | undefined {
  return TARGETS.find((t) => t.id === idOrTriple) ?? TARGETS.find((t) => t.triple === idOrTriple);
}

export function requireTarget(idOrTriple: string): TargetInfo {
  const t = findTarget(idOrTriple);
  if (!t) throw new FreestandError(unknownTargetMessage(idOrTriple));
  return t;
}

/** One sentence for a target the catalogue does not have: the nearest one it has, and the list. */
export function unknownTargetMessage(idOrTriple: string, rustcKnows = false): string {
  const near = closestName(idOrTriple, TARGETS.flatMap((x) => (x.id === x.triple ? [x.id] : [x.id, x.triple])));
  const known = TARGETS.map((x) => x.id).join(", ");
  const what = rustcKnows ? `freestand has no template for \`${idOrTriple}\` (rustc knows the triple)` : `unknown target \`${idOrTriple}\``;
  return `${what}${near ? `; did you mean \`${near}\`?` : ""} The targets freestand knows: ${known}.`;
}
