import type { Command } from "commander";
import path from "node:path";
import pc from "picocolors";
import { action, useColor, write, parseHumanOrJson } from "../io.js";

export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("what this machine has and lacks for freestand, with the exact command that fixes each gap")
    .argument("[dir]", "crate directory whose toolchain counts (rust-toolchain.toml)", ".")
    .option("--target <triple>", "check this target strictly: a missing part makes doctor fail")
    .option("--format <format>", "output format: human or json", parseHumanOrJson, "human")
    .action(
      action(async (dir: string, flags: { target?: string; format: "human" | "json" }) => {
        const { doctor } = await import("../../toolchain/index.js");
        const report = await doctor({ dir: path.resolve(dir), target: flags.target });
        if (flags.format === "json") {
          await write(JSON.stringify({ ok: report.ok, requirements: report.requirements }, null, 2) + "\n");
          return report.ok ? 0 : 1;
        }
        const c = pc.createColors(useColor());
        const lines: string[] = [];
        for (const r of report.requirements) {
          const mark = r.ok ? c.green("ok     ") : r.required ? c.red("missing") : c.yellow("absent ");
          lines.push(`${mark} ${r.name}: ${r.detail}`);
          if (!r.ok && r.fix) lines.push(`        ${c.dim("fix:")} ${r.fix}`);
        }
        lines.push(report.ok ? "Everything required is present." : c.red("Something required is missing (see the fix lines above)."));
        await write(lines.join("\n") + "\n");
        return report.ok ? 0 : 1;
      }),
    );
}
