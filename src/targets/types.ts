/**
 * The target catalogue is data: everything freestand knows about a target lives in one record, so that
 * templates, `run`, `verify`, `size`, `doctor` and the rules read the same facts (docs/architecture.md).
 */

export type ElfMachine = "x86_64" | "arm" | "riscv" | "aarch64" | "loongarch";

export interface MemoryRegion {
  name: "FLASH" | "RAM" | string;
  origin: number;
  length: number;
  /** What lives there: code and read-only data (flash) or writable data, bss, stack and heap (ram). */
  kind: "flash" | "ram";
}

export interface QemuSpec {
  /** e.g. `qemu-system-arm`. */
  binary: string;
  /** Arguments before `-kernel <elf>`. Headless, no network, serial on stdio. */
  args: string[];
  /** The Debian package that provides `binary`. */
  debianPackage: string;
  /** Its console model drops bytes it cannot write at once: its stdout goes through a kernel pipe (src/run/console-pipe.ts). */
  lossyConsole?: boolean;
}

/** How the guest reports its exit code, and how to turn QEMU's exit status back into the guest's code. */
export type ExitMechanism =
  | { kind: "syscall" }
  /** The program writes `code + 1`: QEMU then exits with `((code + 1) << 1) | 1`, never its own failure's 1. */
  | { kind: "isa-debug-exit"; port: number }
  | { kind: "semihosting" }
  | { kind: "sifive-test"; address: number }
  /**
   * No device hands QEMU a code: the program prints `\u{1}freestand-exit <code>` as its last console line and
   * powers the machine off; `freestand run` and the generated runner read the line and leave it out.
   */
  | { kind: "console-marker" };

/**
 * A real board: a chip with its memory map and the peripheral used as the console, for one catalogue target. Its
 * record (`boards.ts`) is the target's with the board's facts in place: what QEMU boots, the memory, the console.
 */
export interface BoardInfo {
  /** What `--board` takes: `microbit`, `hifive1`. */
  name: string;
  /** The board's own name: "BBC micro:bit (v1)". */
  title: string;
  chip: string;
  core: string;
  /** The catalogue target (triple) whose code runs on it. */
  base: string;
  /** QEMU's machine for it (`-M`). */
  qemuMachine: string;
  /** Where the memory map's figures come from (the chip's datasheet or reference manual). */
  memorySource: string;
  /** The console peripheral's base address, as the chip's manual gives it. */
  consoleBase: number;
  /** What QEMU emulates of the board that the program uses, and what it does not. */
  emulates: string;
  lacks: string;
  /** How to put the same crate on the real board (docs/boards/<name>.md): markdown paragraphs, not tested here. */
  onHardware: string[];
  /** Template flags of the board's own code (the STM32F1's clock and pin registers differ from the F4's). */
  templateFlags?: readonly string[];
}

export interface TargetInfo {
  /** `host` for the native Linux flavour, otherwise the rustc target triple. */
  id: string;
  /** The rustc target triple cargo builds for. */
  triple: string;
  /** One line for `freestand targets`. */
  description: string;
  /** The instruction set architecture, as its manual names it (`ARMv6-M`, `RV64GC`): docs, and templates that differ by it. */
  isa: string;
  /** host: runs under the Linux kernel; qemu: boots in a QEMU machine. */
  flavour: "host" | "qemu";
  elf: { machine: ElfMachine; class: 32 | 64; endian: "little" | "big" };
  /** Symbol the ELF entry point must be. */
  entrySymbol: string;
  /** The target's default panic strategy (rustc's target spec): decides whether `panic = "abort"` is required. */
  defaultPanicStrategy: "unwind" | "abort";
  /** Memory map used by the linker script, `verify` and `size`; empty for the host (the kernel decides). */
  memory: MemoryRegion[];
  /** Minimum stack size the template reserves, in bytes (0: the kernel provides it). */
  stackSize: number;
  qemu?: QemuSpec;
  exit: ExitMechanism;
  /** Human description of the console: "write(1) syscall", "COM1 (0x3f8)". */
  console: string;
  /** Does the target have an FPU that boot code must enable? */
  hasFpu: boolean;
  /**
   * The template directories under templates/ that a binary crate is rendered from, after templates/common and
   * most general first; a later layer's file replaces an earlier one's with the same path. Bare-metal targets
   * stack `bare-metal` (main.rs, print macros, heap), a CPU family several targets share (`cortex-m`, `riscv`)
   * and their own directory (the board: memory map, runner).
   */
  layers: readonly string[];
  /** Bytes the linker script reserves for the heap when the crate is generated with `--alloc`. */
  heapSize?: number;
  /** The `runner` the template's .cargo/config.toml sets, so that a plain `cargo run` boots the ELF too. */
  runner?: string;
  /** What the template's boot code does before `main`, in a sentence (docs/targets.md). */
  boot?: string;
  /** rustflags the target needs in .cargo/config.toml (`check` reports a binary that lacks them). */
  rustflags: string[];
  /**
   * The comments of the `.cargo/config.toml` a generated binary gets (templates/cargo-config.ts renders the whole
   * file from this record): what the target is, why a flag is there (by the flag's value; common ones have a
   * default), what `cargo run` boots, and flags the generated crate adds that a binary does not need (`check`
   * does not ask for them).
   */
  configNotes?: { target: string; flags?: Record<string, string>; runner?: string[]; extraRustflags?: string[] };
  /** Set on a board's record: the board (its `id` is the board's name, its `triple` its target's). */
  board?: BoardInfo;
}
