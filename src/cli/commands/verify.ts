import type { Command } from "commander";
import { action, parseFormat, useColor, write } from "../io.js";
import type { OutputFormat } from "../../diagnostics/index.js";

interface VerifyFlags {
  format: OutputFormat;
  target?: string;
  entry?: string;
  deny?: string[];
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description("prove an ELF is freestanding: no interpreter or shared libraries, entry point = entry symbol, no undefined symbols, W^X, right machine, fits the memory map")
    .argument("<elf>", "the ELF file to check")
    .option("--target <target>", "target id or triple: also checks machine, memory map, vector table, PVH note (default: from the path target/<triple>/...)")
    .option("--entry <symbol>", "entry symbol to expect (default: the target's, else _start)")
    .option("--format <format>", "output format: human, json or sarif", parseFormat, "human")
    .option("--deny <what>", "`warnings`: make warnings count as errors for the exit code", collect)
    .action(
      action(async (file: string, flags: VerifyFlags) => {
        const { verifyElf, verifyVerdict, describeVerifyCode, targetFromArtifactPath } = await import("../../elf/verify/index.js");
        const { requireTarget } = await import("../../targets/catalog.js");
        const { formatDiagnostics, exitCodeFor } = await import("../../diagnostics/index.js");
        const { FreestandError } = await import("../../errors.js");
        const { packageVersion } = await import("../../version.js");
        for (const d of flags.deny ?? []) if (d !== "warnings") throw new FreestandError(`--deny takes \`warnings\`, not \`${d}\`.`);
        const target = flags.target ? requireTarget(flags.target) : targetFromArtifactPath(file);
        const result = await verifyElf(file, { target, entry: flags.entry });
        const color = useColor();
        const text = formatDiagnostics(
          result.diagnostics,
          flags.format,
          { cwd: process.cwd(), color, describe: describeVerifyCode, toolVersion: packageVersion(), summaryNotes: [verifyVerdict(result)] },
          { command: "verify", facts: result.facts },
        );
        await write(text);
        return exitCodeFor(result.diagnostics, { denyWarnings: (flags.deny ?? []).includes("warnings") });
      }),
    );
}
