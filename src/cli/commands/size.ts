import { Option, type Command } from "commander";
import path from "node:path";
import pc from "picocolors";
import { FreestandError } from "../../errors.js";
import { action, parsePositiveInt, useColor, write, formatOption } from "../io.js";
import { addCargoFlags, colorWanted, type CargoFlagValues } from "../cargo-flags.js";
import type { TargetInfo } from "../../targets/types.js";

interface SizeFlags extends CargoFlagValues {
  format: "human" | "json";
  top: number;
  group?: boolean;
}

export function registerSize(program: Command): void {
  const cmd = program
    .command("size")
    .summary("Flash and RAM by section, against the memory map, and the largest symbols")
    .description(
      "Show flash and RAM usage by section against the target's memory map, and the largest symbols, demangled. With no file, builds the crate's binary (same flags as `build`) and measures it, as `cargo size` does.",
    )
    .usage("[OPTIONS] [PATH]")
    .argument("[PATH]", "An ELF file, or a crate directory to build [default: the current directory]");
  addCargoFlags(cmd, "size");
  cmd
    .addOption(new Option("--top <N>", "How many of the largest symbols to list").argParser(parsePositiveInt).default(10))
    .addOption(new Option("--group", "Collapse generic instantiations (drop_in_place<A>, drop_in_place<B>) into one line"))
    .addOption(formatOption(["human", "json"]))
    .addHelpText(
      "after",
      `
Examples:
  freestand size --release --bin app
  freestand size --top 20 --group
  freestand size firmware.elf --target thumbv7em-none-eabihf --format json`,
    )
    .action(
      action(async (given: string | undefined, flags: SizeFlags) => {
        const { sizeReport } = await import("../../elf/size.js");
        const { formatSizeReport } = await import("../../elf/format-size.js");
        const { inspected } = await import("../inspected-elf.js");
        const what = await inspected(given, flags, "size");
        let file: string;
        let target: TargetInfo | undefined;
        let note: string | undefined;
        if (what.kind === "file") {
          ({ file, target, note } = what);
        } else {
          if (!what.built.success) {
            await write(`${pc.createColors(colorWanted(flags, process.stderr, useColor)).red("error")}: the build failed; nothing to measure.\n`, process.stderr);
            return 1;
          }
          const bin = what.binaries[0];
          if (!bin) throw new FreestandError("the build produced no binary to measure (a library's size depends on what links it).");
          file = bin.path;
          target = what.built.targetInfo;
        }
        const report = await sizeReport(file, { target, top: flags.top, group: flags.group });
        const shown = path.relative(process.cwd(), report.file) || report.file;
        if (flags.format === "json") {
          await write(JSON.stringify({ schemaVersion: 1, tool: "freestand", command: "size", ...report, file: shown, ...(note ? { note } : {}) }, null, 2) + "\n");
        } else {
          const color = colorWanted(flags, process.stdout, useColor);
          const c = pc.createColors(color);
          await write(formatSizeReport(report, { color, name: shown }) + (note ? `${c.cyan("note")}: ${note}\n` : ""));
        }
        return 0;
      }),
    );
}
