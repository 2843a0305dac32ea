import { Option, type Command } from "commander";
import path from "node:path";
import pc from "picocolors";
import { action, useColor, write, formatOption } from "../io.js";

export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .summary("What this machine has and lacks, with the command that fixes each gap")
    .description(
      "Show what this machine has and lacks for freestand — the compiler cargo really runs, cargo, library sources, a linker, each target's core and QEMU, whether plain cargo builds the target — with the exact command that fixes each gap.",
    )
    .usage("[OPTIONS] [DIR]")
    .argument("[DIR]", "Crate directory whose toolchain counts (rust-toolchain.toml) [default: the current directory]")
    .addOption(new Option("--target <TRIPLE>", "Check this target strictly: a missing part makes doctor fail"))
    .addOption(formatOption(["human", "json"]))
    .addHelpText(
      "after",
      `
Examples:
  freestand doctor
  freestand doctor --target thumbv7em-none-eabihf`,
    )
    .action(
      action(async (dir: string | undefined, flags: { target?: string; format: "human" | "json" }) => {
        const { doctor } = await import("../../doctor/index.js");
        const report = await doctor({ dir: path.resolve(dir ?? "."), target: flags.target });
        if (flags.format === "json") {
          await write(JSON.stringify({ ok: report.ok, requirements: report.requirements }, null, 2) + "\n");
          return report.ok ? 0 : 1;
        }
        const c = pc.createColors(useColor());
        const lines: string[] = [];
        for (const r of report.requirements) {
          const mark = r.warning ? c.yellow("warning") : r.ok ? c.green("ok     ") : r.required ? c.red("missing") : c.yellow("absent ");
          lines.push(`${mark} ${r.name}: ${r.detail}`);
          if (r.warning) lines.push(`        ${r.warning}`);
          if ((!r.ok || r.warning) && r.fix) lines.push(`        ${c.dim("fix:")} ${r.fix}`);
        }
        lines.push(report.ok ? "Everything required is present." : c.red("Something required is missing (see the fix lines above)."));
        await write(lines.join("\n") + "\n");
        return report.ok ? 0 : 1;
      }),
    );
}
