import type { Command } from "commander";
import path from "node:path";
import { action, parsePositiveInt, useColor, write, parseHumanOrJson } from "../io.js";

interface SizeFlags {
  format: string;
  target?: string;
  top: number;
  group?: boolean;
}

export function registerSize(program: Command): void {
  program
    .command("size")
    .description("flash and RAM usage by section, against the target's memory map, and the largest symbols, demangled")
    .argument("<elf>", "the ELF file to measure")
    .option("--target <target>", "target id or triple: show usage against its flash and RAM regions (default: from the path target/<triple>/...)")
    .option("--top <n>", "how many of the largest symbols to list", parsePositiveInt, 10)
    .option("--group", "collapse generic instantiations (drop_in_place<A>, drop_in_place<B>) into one line")
    .option("--format <format>", "output format: human or json", parseHumanOrJson, "human")
    .action(
      action(async (file: string, flags: SizeFlags) => {
        const { sizeReport } = await import("../../elf/size.js");
        const { formatSizeReport } = await import("../../elf/format-size.js");
        const { requireTarget } = await import("../../targets/catalog.js");
        const { targetFromArtifactPath } = await import("../../elf/verify/artifact-target.js");
        const target = flags.target ? requireTarget(flags.target) : targetFromArtifactPath(file);
        const report = await sizeReport(file, { target, top: flags.top, group: flags.group });
        if (flags.format === "json") {
          await write(JSON.stringify({ schemaVersion: 1, tool: "freestand", command: "size", ...report, file: path.relative(process.cwd(), report.file) || report.file }, null, 2) + "\n");
        } else {
          await write(formatSizeReport(report, { color: useColor(), name: file }));
        }
        return 0;
      }),
    );
}
