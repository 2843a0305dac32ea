import { FreestandError } from "../errors.js";
import type { BoardInfo, MemoryRegion, TargetInfo } from "./types.js";
import { TARGETS, findTarget, unknownTargetMessage } from "./catalog.js";

const KiB = 1024;
const MiB = 1024 * KiB;

/** QEMU arguments every board shares: headless, no default devices, the first serial port on stdout. */
const HEADLESS = ["-nodefaults", "-display", "none", "-serial", "stdio"];
const SEMIHOSTING = ["-semihosting-config", "enable=on,target=native"];

interface BoardFacts extends Omit<BoardInfo, "qemuMachine"> {
  machine: string;
  /** `-cpu` where the machine takes one. */
  cpu?: string;
  /** Machine options QEMU would otherwise warn about (a network card with no network). */
  extraArgs?: string[];
  /** QEMU's model of the console drops bytes (src/run/console-pipe.ts). */
  lossyConsole?: boolean;
  memory: MemoryRegion[];
  stackSize: number;
  heapSize: number;
  console: string;
  /** What the boot code does before `main` on this board, in a sentence (its docs page). */
  boot: string;
  /** The board's template layer under templates/boards/ (boards of one chip family share one). */
  layer: string;
}

/**
 * A board's record: its target's, with the board's machine, memory map, console and template layer in place.
 * The exit stays semihosting (QEMU's only way to take a code from these machines), behind the crate's
 * `semihosting-exit` feature, so that the same code without the feature is right for the hardware.
 */
function board(f: BoardFacts): TargetInfo {
  const base = TARGETS.find((t) => t.triple === f.base)!;
  const binary = base.qemu!.binary;
  const cpu = f.cpu ? ["-cpu", f.cpu] : [];
  const { machine, cpu: _cpu, extraArgs = [], lossyConsole, memory, stackSize, heapSize, console, boot, layer, ...info } = f;
  return {
    ...base,
    id: f.name,
    description: `${f.title} (${f.chip}, ${f.core}; QEMU ${machine}); ${console.split(" (")[0]} console`,
    memory,
    stackSize,
    heapSize,
    qemu: { binary, args: ["-M", machine, ...cpu, ...HEADLESS, ...extraArgs, ...SEMIHOSTING], debianPackage: base.qemu!.debianPackage, ...(lossyConsole ? { lossyConsole } : {}) },
    exit: { kind: "semihosting" },
    console,
    boot,
    layers: [...base.layers, `boards/${layer}`],
    runner: [binary, "-M", machine, ...cpu, "-nographic", ...extraArgs, ...SEMIHOSTING, "-kernel"].join(" "),
    configNotes: {
      ...base.configNotes!,
      flags: { "link-arg=-Tlink.x": `Link with our linker script: it lays out the ${f.chip}'s memory (${memory.map((r) => (r.kind === "flash" ? "flash" : "RAM")).join(" and ")}).` },
      runner: [
        `\`cargo run\` boots the ELF on QEMU's \`${machine}\`, which emulates the ${f.chip}: the program prints through its own ${console.split(" (")[0]};`,
        "semihosting carries only the exit code (the `semihosting-exit` feature; build for the board with `--no-default-features`).",
        "Quit a hung program with Ctrl-A then X.",
      ],
    },
    board: { ...info, qemuMachine: machine },
  };
}

/**
 * The boards `freestand new --board` creates crates for, each chosen because QEMU 7.2 emulates its chip's
 * console peripheral faithfully: the same binary prints on the board. Memory maps are the chips' figures (each
 * record names its source); docs/boards/<name>.md is rendered from these records.
 */
export const BOARDS: readonly TargetInfo[] = [
  board({
    name: "microbit",
    title: "BBC micro:bit (v1)",
    chip: "Nordic nRF51822",
    core: "Cortex-M0",
    base: "thumbv6m-none-eabi",
    machine: "microbit",
    cpu: "cortex-m0",
    memorySource: "nRF51822 Product Specification v3.x, memory map (QFAA variant: 256 kB flash, 16 kB RAM)",
    memory: [
      { name: "FLASH", origin: 0x0, length: 256 * KiB, kind: "flash" },
      { name: "RAM", origin: 0x2000_0000, length: 16 * KiB, kind: "ram" },
    ],
    // As the thumbv6m target's: a debug test's assert_eq! message needs more than 4 KiB.
    stackSize: 8 * KiB,
    heapSize: 4 * KiB,
    consoleBase: 0x4000_2000,
    console: "nRF51 UART (0x4000_2000), TX on P0.24",
    boot: "The vector table at address 0 holds the initial stack pointer and `Reset`; `Reset` zeroes .bss and copies .data from flash to RAM in Thumb-1 instructions (all ARMv6-M has) and calls `main`; every other exception prints its name (ARMv6-M has no fault status registers) and exits 1. The UART is set up on the first byte printed.",
    layer: "microbit",
    emulates: "the Cortex-M0, flash and RAM, the UART (QEMU's first serial port), GPIO, the RNG and the timers",
    lacks: "the radio, the LED matrix's display as pixels, the accelerometer and compass (I2C devices), the USB interface chip",
    onHardware: [
      "Build without the semihosting exit, which would fault without a debugger: `cargo build --release --no-default-features`.",
      "Flash it through the board's USB interface (CMSIS-DAP) with probe-rs: `probe-rs run --chip nRF51822_xxAA target/thumbv6m-none-eabi/release/<name>` (or `probe-rs download` and reset). The greeting arrives on the board's USB serial port at 115200 baud (`/dev/ttyACM0` on Linux).",
    ],
  }),
  board({
    name: "netduinoplus2",
    title: "Netduino Plus 2",
    chip: "STM32F405RG",
    core: "Cortex-M4F",
    base: "thumbv7em-none-eabihf",
    machine: "netduinoplus2",
    cpu: "cortex-m4",
    memorySource: "STM32F405xx datasheet (DS8626), memory map: 1 MB flash at 0x0800_0000, SRAM1 + SRAM2 (112 + 16 KB) at 0x2000_0000",
    memory: [
      { name: "FLASH", origin: 0x0800_0000, length: 1 * MiB, kind: "flash" },
      { name: "RAM", origin: 0x2000_0000, length: 128 * KiB, kind: "ram" },
    ],
    stackSize: 16 * KiB,
    heapSize: 16 * KiB,
    consoleBase: 0x4001_1000,
    console: "STM32 USART1 (0x4001_1000), TX on PA9",
    boot: "The vector table at the start of flash (0x0800_0000, which the chip also maps at address 0 when it boots from flash) holds the initial stack pointer and `Reset`; `Reset` turns the FPU on (CPACR), zeroes .bss, copies .data from flash and calls `main`; a fault prints its status registers and exits 1. The first byte printed clocks GPIOA and USART1, routes PA9 to USART1 (alternate function 7) and sets 115200 baud from the 16 MHz internal oscillator.",
    layer: "stm32",
    emulates: "the Cortex-M4F, flash (also at address 0, where the core boots from) and SRAM, the USARTs (USART1 is QEMU's first serial port), the timers, SYSCFG, EXTI, the ADCs and the SPI controllers",
    lacks: "the RCC (clock tree: writes are accepted and ignored), GPIO, the 64 KB CCM RAM, the Ethernet controller, USB, the SD card",
    onHardware: [
      "Build without the semihosting exit, which would fault without a debugger: `cargo build --release --no-default-features`.",
      "Flash it over SWD with a probe (ST-Link or CMSIS-DAP on the board's SWD pads) and probe-rs: `probe-rs run --chip STM32F405RGTx target/thumbv7em-none-eabihf/release/<name>`. The Netduino's own bootloader is replaced. Connect a 3.3 V serial adapter to PA9 (TX) at 115200 baud.",
    ],
  }),
  board({
    name: "stm32vldiscovery",
    title: "STM32VLDISCOVERY",
    chip: "STM32F100RB",
    core: "Cortex-M3",
    base: "thumbv7m-none-eabi",
    machine: "stm32vldiscovery",
    cpu: "cortex-m3",
    memorySource: "STM32F100xB datasheet (DS6517), memory map: 128 KB flash at 0x0800_0000, 8 KB SRAM at 0x2000_0000",
    memory: [
      { name: "FLASH", origin: 0x0800_0000, length: 128 * KiB, kind: "flash" },
      { name: "RAM", origin: 0x2000_0000, length: 8 * KiB, kind: "ram" },
    ],
    // The greeting's float formatting alone takes 1.7 KB of stack in a debug build (`run --stack`).
    stackSize: 4 * KiB,
    heapSize: 2 * KiB,
    consoleBase: 0x4001_3800,
    console: "STM32 USART1 (0x4001_3800), TX on PA9",
    boot: "The vector table at the start of flash (0x0800_0000, also mapped at address 0 when booting from flash) holds the initial stack pointer and `Reset`; `Reset` zeroes .bss, copies .data from flash and calls `main`; a fault prints its status registers and exits 1. The first byte printed clocks GPIOA and USART1, makes PA9 an alternate-function output and sets 115200 baud from the 8 MHz internal oscillator.",
    layer: "stm32",
    templateFlags: ["stm32f1"],
    emulates: "the Cortex-M3, flash (also at address 0, where the core boots from) and SRAM, the USARTs (USART1 is QEMU's first serial port), the timers, AFIO and EXTI",
    lacks: "the RCC (writes are accepted and ignored), GPIO, the ADC and DAC, the LEDs and button",
    onHardware: [
      "Build without the semihosting exit, which would fault without a debugger: `cargo build --release --no-default-features`.",
      "Flash it through the board's ST-Link/V1 with probe-rs: `probe-rs run --chip STM32F100RBTx target/thumbv7m-none-eabi/release/<name>` (the ST-Link/V1 is not a USB serial port: connect a 3.3 V serial adapter to PA9, 115200 baud).",
    ],
  }),
  board({
    name: "hifive1",
    title: "SiFive HiFive1 (rev A)",
    chip: "SiFive FE310-G000",
    core: "E31 core, RV32IMAC",
    base: "riscv32imac-unknown-none-elf",
    machine: "sifive_e",
    // QEMU 7.2's SiFive UART ignores short writes to its chardev (QEMU issue #2114).
    lossyConsole: true,
    memorySource: "FE310-G000 manual, memory map (16 KiB DTIM at 0x8000_0000, SPI flash mapped at 0x2000_0000) and the HiFive1 Getting Started Guide (the boot loader's first 4 MiB; programs at 0x2040_0000 of the 16 MiB flash)",
    memory: [
      { name: "FLASH", origin: 0x2040_0000, length: 12 * MiB, kind: "flash" },
      { name: "RAM", origin: 0x8000_0000, length: 16 * KiB, kind: "ram" },
    ],
    stackSize: 4 * KiB,
    heapSize: 4 * KiB,
    consoleBase: 0x1001_3000,
    console: "SiFive UART0 (0x1001_3000), TX on GPIO 17",
    boot: "The mask ROM jumps to 0x2040_0000, where `_start` runs in place from flash (machine mode): it loads gp, parks every hart but hart 0, sets the stack in the DTIM, points mtvec at a handler that prints the trap's cause and exits 1, zeroes .bss, copies .data from flash and calls `main`. The first byte printed routes GPIO 16/17 to UART0 and enables its transmitter at 115200 baud.",
    layer: "sifive_e",
    emulates: "the E31 core (machine mode), the mask ROM that jumps to 0x2040_0000, the flash mapped for execution, the DTIM, UART0 and UART1 (UART0 is QEMU's first serial port), GPIO, the CLINT and the PLIC",
    lacks: "the PRCI clock setup (accepted, no effect), the SPI controllers' writes to flash, the PWM outputs, the always-on block's watchdog",
    onHardware: [
      "Build without the semihosting exit, a breakpoint exception without a debugger: `cargo build --release --no-default-features`.",
      "Flash it through the board's J-Link/FTDI debug interface, with probe-rs: `probe-rs run --chip FE310 target/riscv32imac-unknown-none-elf/release/<name>` (or SiFive's OpenOCD and `load` in gdb). The program starts at 0x2040_0000, after the board's boot loader; UART0 is the board's USB serial port at 115200 baud.",
    ],
  }),
  board({
    name: "raspi3b",
    title: "Raspberry Pi 3 Model B",
    chip: "Broadcom BCM2837",
    core: "Cortex-A53 (4 cores)",
    base: "aarch64-unknown-none",
    machine: "raspi3b",
    memorySource: "BCM2837 ARM Peripherals (peripherals at 0x3f00_0000) and the firmware's boot documentation: a 64-bit kernel at 0x8_0000, the ARM's RAM below the GPU's share (64 MiB by default) of the 1 GiB",
    memory: [{ name: "RAM", origin: 0x8_0000, length: 0x3c00_0000 - 0x8_0000, kind: "ram" }],
    stackSize: 64 * KiB,
    heapSize: 64 * KiB,
    consoleBase: 0x3f20_1000,
    console: "PL011 UART0 (0x3f20_1000), TX on GPIO 14",
    boot: "Core 0 starts at `_start` (0x8_0000) at EL2 on the board (the firmware's) and at EL3 in QEMU, the others wait in a spin loop; `_start` drops to EL1 (an `eret` into EL1h with interrupts masked, AArch64 below through HCR_EL2.RW or SCR_EL3.RW), sets the stack, enables FP/SIMD, points VBAR_EL1 at a vector table whose entries print the exception and exit 1, zeroes .bss and calls `main`. The first byte printed sets the PL011 to 115200 baud, 8N1.",
    layer: "raspi3b",
    emulates: "the four Cortex-A53 cores (core 0 entered at EL3, as QEMU loads the ELF itself; the others waiting), RAM, the PL011 (QEMU's first serial port) and the mini UART, the GPIO block, the system timer, the mailboxes and the framebuffer",
    lacks: "USB and Ethernet, the VideoCore's firmware itself (QEMU loads the ELF directly), the clocks (the PL011 works at any divisor)",
    onHardware: [
      "Build without the semihosting exit, an undefined instruction without a debugger: `cargo build --release --no-default-features`.",
      "Make a raw image of the ELF and put it on the SD card's boot partition beside the firmware files (`bootcode.bin`, `start.elf`, `fixup.dat`): `rust-objcopy -O binary target/aarch64-unknown-none/release/<name> kernel8.img` (or `llvm-objcopy`), and in `config.txt`: `arm_64bit=1`, `enable_uart=1`, `dtoverlay=disable-bt` (the PL011 on GPIO 14/15 instead of Bluetooth). The firmware loads `kernel8.img` at 0x8_0000 and starts it at EL2; connect a 3.3 V serial adapter to GPIO 14 (pin 8), 115200 baud.",
    ],
  }),
  board({
    name: "mps3-an547",
    title: "Arm MPS3 with the AN547 image",
    chip: "Corstone SSE-300",
    core: "Cortex-M55",
    base: "thumbv8m.main-none-eabihf",
    machine: "mps3-an547",
    cpu: "cortex-m55",
    extraArgs: ["-nic", "none"],
    memorySource: "Arm Application Note AN547, memory map: 512 KB ITCM at 0x1000_0000 and 512 KB DTCM at 0x3000_0000 (their secure aliases; the core starts secure, with SVTOR at the ITCM)",
    memory: [
      { name: "FLASH", origin: 0x1000_0000, length: 512 * KiB, kind: "flash" },
      { name: "RAM", origin: 0x3000_0000, length: 512 * KiB, kind: "ram" },
    ],
    stackSize: 64 * KiB,
    heapSize: 64 * KiB,
    consoleBase: 0x5930_3000,
    console: "CMSDK UART0 (0x5930_3000, secure alias)",
    boot: "The core starts secure, with its vector table at the ITCM's secure alias (SVTOR 0x1000_0000): the initial stack pointer and `Reset`, which turns the FPU on (CPACR), zeroes .bss, copies .data and calls `main`; a fault prints its status registers and exits 1. The first byte printed sets UART0's baud divider and enables its transmitter.",
    layer: "mps3-an547",
    emulates: "the Cortex-M55 (with its FPU and M-profile vector extension), ITCM, DTCM and SRAM, the CMSDK UARTs (UART0 is QEMU's first serial port), timers, the TrustZone controllers (MPC, PPC)",
    lacks: "the Ethos-U55 NPU, the display, audio, the board's configuration MCU",
    onHardware: [
      "Build without the semihosting exit, which would fault without a debugger: `cargo build --release --no-default-features`.",
      "Copy the ELF (or `rust-objcopy -O binary … app.bin`) to the MPS3's USB mass-storage device and name it in the board's `images.txt` for the AN547 image, loaded at 0x0000_0000 (the ITCM); or load it over the board's debug port with a CMSIS-DAP probe and probe-rs. UART0 is the board's first USB serial port at 115200 baud.",
    ],
  }),
];

export function listBoards(): readonly TargetInfo[] {
  return BOARDS;
}

/** A board's record by its name. */
export function findBoard(name: string): TargetInfo | undefined {
  return BOARDS.find((b) => b.id === name);
}

/** The board a package's manifest names (`[package.metadata.freestand] board = "…"`, written by `new --board`). */
export function boardNamed(metadata: unknown): string | undefined {
  const freestand = (metadata as { freestand?: { board?: unknown } } | null | undefined)?.freestand;
  return typeof freestand?.board === "string" ? freestand.board : undefined;
}

/**
 * What a crate's programs for `triple` run on: the board its packages name, when that board is for this triple
 * (a crate switched to another target leaves its board behind), else the catalogue's target. A board the
 * catalogue does not know is said, not guessed.
 */
export function machineFor(triple: string, packages: readonly { name: string; metadata: unknown }[]): TargetInfo | undefined {
  const named = [...new Set(packages.map((p) => boardNamed(p.metadata)).filter((b): b is string => b !== undefined))];
  const target = TARGETS.find((t) => t.id === triple) ?? TARGETS.find((t) => t.triple === triple);
  if (named.length === 0) return target;
  const unknown = named.find((n) => !findBoard(n));
  if (unknown) {
    throw new FreestandError(`Cargo.toml names the board \`${unknown}\` (package.metadata.freestand.board), which freestand does not know; the boards it knows: ${BOARDS.map((b) => b.id).join(", ")}.`);
  }
  const boards = named.map((n) => findBoard(n)!).filter((b) => b.triple === triple);
  if (boards.length > 1) throw new FreestandError(`the selected packages are for different boards (${boards.map((b) => b.id).join(", ")}); choose one with -p.`);
  return boards[0] ?? target;
}

/** `--target` of a command on an ELF file: a catalogue target (id or triple) or a board, by name. */
export function requireMachine(name: string): TargetInfo {
  const found = findTarget(name) ?? findBoard(name);
  if (!found) throw new FreestandError(`${unknownTargetMessage(name).replace(/\.$/, "")}; and the boards: ${BOARDS.map((b) => b.id).join(", ")}.`);
  return found;
}
