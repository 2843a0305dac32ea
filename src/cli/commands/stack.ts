import { Option, type Command } from "commander";
import path from "node:path";
import pc from "picocolors";
import { action, parsePositiveInt, useColor, write, formatOption } from "../io.js";
import { addCargoFlags, colorWanted, type CargoFlagValues } from "../cargo-flags.js";

interface StackFlags extends CargoFlagValues {
  format: "human" | "json";
  top: number;
}

export function registerStack(program: Command): void {
  const cmd = program
    .command("stack")
    .summary("How much stack the program can use: each entry's worst call path, read from the machine code")
    .description(
      "A static bound on the stack, from the ELF alone, on stable Rust: each function's frame read from its machine code (Thumb, Arm, AArch64, RISC-V, x86-64, LoongArch), the call graph from its direct calls and tail calls, and the worst path from each entry (the ELF's entry point, the Cortex-M vector table's handlers, the trap vector the code installs). Calls through a register (function pointers, `dyn` methods) are taken to reach any function whose address the program takes, recursion is counted once, and both are named: the total is then an estimate, not a bound. With no file, builds the crate's binary (same flags as `build`). `freestand run --stack` measures what a run really used.",
    )
    .usage("[OPTIONS] [PATH]")
    .argument("[PATH]", "An ELF file, or a crate directory to build [default: the current directory]");
  addCargoFlags(cmd, "size");
  cmd
    .addOption(new Option("--top <N>", "How many of the largest frames to list").argParser(parsePositiveInt).default(10))
    .addOption(formatOption(["human", "json"]))
    .addHelpText(
      "after",
      `
Exit status: 1 when every path (from the entry, or from the whole program) is known and the deepest needs more than the stack region (link.x's _stack_bottom.._stack_top).

Examples:
  freestand stack --release
  freestand stack target/thumbv7em-none-eabihf/release/app --format json
  freestand run --stack   (what a run really used)`,
    )
    .action(
      action(async (given: string | undefined, flags: StackFlags) => {
        const { stackBound } = await import("../../elf/stack/index.js");
        const { formatStackReport } = await import("../../elf/format-stack.js");
        const { inspected } = await import("../inspected-elf.js");
        const what = await inspected(given, flags, "stack");
        let file: string;
        if (what.kind === "file") file = what.file;
        else {
          if (!what.built.success) {
            await write(`${pc.createColors(colorWanted(flags, process.stderr, useColor)).red("error")}: the build failed; nothing to bound.\n`, process.stderr);
            return 1;
          }
          const bin = what.binaries[0];
          if (!bin) throw new (await import("../../errors.js")).FreestandError("the build produced no binary to bound (a library's stack depends on what calls it).");
          file = bin.path;
        }
        const report = await stackBound(file, { top: flags.top });
        const shown = path.relative(process.cwd(), report.file) || report.file;
        if (flags.format === "json") await write(JSON.stringify({ schemaVersion: 1, tool: "freestand", command: "stack", ...report, file: shown }, null, 2) + "\n");
        else await write(formatStackReport(report, { color: colorWanted(flags, process.stdout, useColor), name: shown }));
        const { knownOverflow } = await import("../../elf/stack/index.js");
        return knownOverflow(report) ? 1 : 0;
      }),
    );
}
