/** docs/targets.md, rendered from the catalogue so that the page and `freestand targets` never differ. */
import { TARGETS } from "./catalog.js";
import { BOARDS } from "./boards.js";
import type { MemoryRegion, TargetInfo } from "./types.js";
import { addressText as hex, humanBytes } from "../util/bytes.js";

/** "FLASH 256 KiB at 0x0000_0000, RAM 16 KiB at 0x2000_0000" (the docs pages and `freestand boards`). */
export function memory(regions: readonly MemoryRegion[]): string {
  return regions.map((r) => `${r.name} ${humanBytes(r.length)} at ${hex(r.origin)}`).join(", ");
}

function exitText(t: TargetInfo): string {
  switch (t.exit.kind) {
    case "isa-debug-exit":
      return `isa-debug-exit device at I/O port 0x${t.exit.port.toString(16)}: the program writes \`code + 1\` and QEMU exits with \`((code + 1) << 1) | 1\`, which \`freestand run\` and the generated runner decode`;
    case "semihosting":
      return "Arm semihosting exit (ADP_Stopped_ApplicationExit with the code)";
    case "sifive-test":
      return `SiFive test device at ${hex(t.exit.address)}: \`0x5555\` passes, \`(code << 16) | 0x3333\` fails with the code`;
    case "syscall":
      return "`exit_group` system call";
    case "console-marker":
      return "no exit device: the program prints `\\u{1}freestand-exit <code>` as its last console line and powers off (ACPI GED, S5); `freestand run` and the generated runner read the line, leave it out and exit with the code";
  }
}

export function targetsDocMarkdown(): string {
  const bare = TARGETS.filter((t) => t.flavour === "qemu");
  const out: string[] = [
    "# Bare-metal targets",
    "",
    "<!-- Generated from src/targets/catalog.ts; regenerate with",
    "     FREESTAND_UPDATE_DOCS=1 node --test dist/test/targets/docs.test.js -->",
    "",
    "`freestand new <dir> --target <triple>` creates a crate that boots in QEMU and prints on the first try;",
    "`freestand run` builds it and boots it (headless, no network, console on stdout, `--timeout` 10 s by default)",
    "and exits with the program's exit code; a plain `cargo run` boots it too, through the `runner` in",
    "`.cargo/config.toml`. `freestand targets` says which targets are ready on this machine, and",
    "`freestand sysroot --target <triple>` builds a `core` for one when the compiler has none.",
    "",
    "Real boards (`freestand new <dir> --board <name>`: the chip's own memory map and UART) have a page each:",
    BOARDS.map((b) => `[${b.id}](boards/${b.id}.md)`).join(", ") + ".",
    "",
    "| target | ISA | QEMU machine | memory | console |",
    "|---|---|---|---|---|",
  ];
  for (const t of bare) {
    const args = t.qemu!.args;
    const machine = `\`${t.qemu!.binary} -M ${args[args.indexOf("-M") + 1]}\``;
    out.push(`| \`${t.id}\` | ${t.isa} | ${machine} | ${memory(t.memory)} | ${t.console} |`);
  }
  out.push(
    "",
    "## What a generated crate contains",
    "",
    "- `src/main.rs`: `#![no_std]`, `#![no_main]`, a `main() -> !` that prints a greeting with an integer and a",
    "  float, and a `#[panic_handler]` that prints the `PanicInfo` and exits with 101.",
    "- `src/boot.rs`: the entry point in assembly (below, per target), every line with a comment saying why.",
    "- `src/console.rs`: the console as a `core::fmt::Write` type, and `exit(code)`.",
    "- `src/print.rs`: `print!` / `println!`, formatting straight into the console.",
    "- `src/stack.rs`: under `freestand run --stack`, the stack's high-water mark (the region is filled before the",
    "  program starts; `main` and the panic handler report the deepest byte changed); silent otherwise.",
    "- `link.x`: the memory map and section layout; `build.rs` makes cargo relink when it changes.",
    "- `.cargo/config.toml`: the target, `-C link-arg=-Tlink.x` (and the target's other flags), the QEMU `runner`.",
    "- With `--alloc`: `src/heap.rs`, a first-fit free-list `#[global_allocator]` (no dependency) over a heap",
    "  region the linker script reserves; freed blocks are merged and reused. `main` also formats into a",
    "  `String`, fills a `Vec`, and allocates and frees twice the heap's size.",
    "",
  );
  for (const t of bare) {
    out.push(
      `## ${t.id}`,
      "",
      t.description.charAt(0).toUpperCase() + t.description.slice(1) + ".",
      "",
      `- QEMU: \`${[t.qemu!.binary, ...t.qemu!.args].join(" ")} -kernel <elf>\` (Debian package \`${t.qemu!.debianPackage}\`)`,
      `- Memory: ${memory(t.memory)}; stack ${humanBytes(t.stackSize)}${t.heapSize ? `; heap with \`--alloc\` ${humanBytes(t.heapSize)}` : ""}`,
      `- Entry: \`${t.entrySymbol}\`; console: ${t.console}`,
      `- Exit: ${exitText(t)}`,
      `- Boot: ${t.boot ?? "—"}`,
      `- rustflags: \`${t.rustflags.join(" ")}\``,
      "",
    );
  }
  return out.join("\n");
}

/** docs/boards/<name>.md, rendered from the board's record: what runs in QEMU, and how to run it on the board. */
export function boardDocMarkdown(t: TargetInfo): string {
  const b = t.board!;
  return [
    `# ${b.title} — \`--board ${b.name}\``,
    "",
    "<!-- Generated from src/targets/boards.ts; regenerate with",
    "     FREESTAND_UPDATE_DOCS=1 node --test dist/test/targets/docs.test.js -->",
    "",
    `The ${b.chip} (${b.core}), programmed in Rust for \`${t.triple}\`. \`freestand new <dir> --board ${b.name}\``,
    `creates a crate that prints through the chip's own ${t.console.split(" (")[0]}: the same code is right for QEMU's`,
    `\`${b.qemuMachine}\` machine and for the board.`,
    "",
    "## The crate",
    "",
    `- Memory (\`link.x\`): ${memory(t.memory)}; stack ${humanBytes(t.stackSize)}${t.heapSize ? `, heap with \`--alloc\` ${humanBytes(t.heapSize)}` : ""}. From: ${b.memorySource}.`,
    `- Console (\`src/console.rs\`): ${t.console}; 115200 baud, 8N1.`,
    `- Boot (\`src/boot.rs\`): ${t.boot ?? "—"}`,
    "- Exit: QEMU has no device on this machine that takes an exit code, so `exit` uses semihosting, behind the",
    "  crate's `semihosting-exit` feature (on by default). On the board, without a debugger, that trap faults:",
    "  build for the board with `--no-default-features`, and `exit` sleeps instead.",
    "- `Cargo.toml` names the board (`[package.metadata.freestand] board`): `freestand run`, `verify` and `size` use",
    "  its QEMU machine and memory map.",
    "",
    "## In QEMU (tested)",
    "",
    `\`freestand run\` (or \`cargo run\`) boots it with \`${[t.qemu!.binary, ...t.qemu!.args].join(" ")} -kernel <elf>\``,
    `(Debian package \`${t.qemu!.debianPackage}\`) and exits with the program's exit code.`,
    "",
    `- QEMU emulates ${b.emulates}.`,
    `- It does not emulate ${b.lacks}.`,
    "",
    "## On the board (not tested here)",
    "",
    ...b.onHardware.flatMap((p) => [p, ""]),
  ].join("\n");
}
