import type { Command } from "commander";
import { action, parseFormat, useColor, write } from "../io.js";
import type { OutputFormat } from "../../diagnostics/index.js";

interface CheckFlags {
  format: OutputFormat;
  fix?: boolean;
  target?: string;
  deny?: string[];
  rule?: string[];
  confirm?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("find the classic freestanding traps statically (no_std, panic handler, entry point, target, link args)")
    .argument("[dir]", "crate or workspace directory", ".")
    .option("--format <format>", "output format: human, json or sarif", parseFormat, "human")
    .option("--fix", "apply the safe fixes, then check again")
    .option("--target <triple>", "check for this target instead of the configured one")
    .option("--deny <what>", "`warnings`: make warnings count as errors for the exit code", collect)
    .option("--rule <id>", "run only this rule (repeatable)", collect)
    .option("--confirm", "also run `cargo check` for the target and match its std errors with the dependency findings")
    .action(
      action(async (dir: string, flags: CheckFlags) => {
        const { check, fix } = await import("../../check/index.js");
        const { describeRule, RULES } = await import("../../rules/index.js");
        const { formatDiagnostics, exitCodeFor, pluralize } = await import("../../diagnostics/index.js");
        const { FreestandError } = await import("../../errors.js");
        const { packageVersion } = await import("../../version.js");
        for (const r of flags.rule ?? []) {
          if (!describeRule(r)) throw new FreestandError(`unknown rule \`${r}\`; the rules are: ${RULES.map((x) => x.id).join(", ")}.`);
        }
        for (const d of flags.deny ?? []) if (d !== "warnings") throw new FreestandError(`--deny takes \`warnings\`, not \`${d}\`.`);
        const opts = { target: flags.target, only: flags.rule, confirm: flags.confirm };
        const summaryNotes: string[] = [];
        let result;
        let fixedCount = 0;
        if (flags.fix) {
          const fixed = await fix(dir, opts);
          result = fixed.after;
          fixedCount = fixed.fixed.length;
          if (flags.format === "human") {
            // What was fixed first, then what remains (the report below), as cargo fix does.
            const { displayPath } = await import("../../diagnostics/reporters/context.js");
            const lines = fixed.fixed.map((d) => `fixed[${d.code}]: ${d.fix!.description}${d.file ? ` (${displayPath(d.file, process.cwd())})` : ""}`);
            lines.push(fixedCount > 0 ? `applied ${`${fixedCount} ${fixedCount === 1 ? "fix" : "fixes"}`} to ${pluralize(fixed.files.length, "file")}` : "nothing to fix");
            await write(`${lines.join("\n")}\n\n`);
          }
        } else {
          result = await check(dir, opts);
        }
        if (flags.format === "human" && result.confirmations?.length) {
          const { describeConfirmation } = await import("../../deps/confirm-check.js");
          for (const c of result.confirmations) summaryNotes.push(describeConfirmation(c));
        }
        const text = formatDiagnostics(
          result.diagnostics,
          flags.format,
          { cwd: process.cwd(), color: useColor(), describe: describeRule, sources: result.sources, summaryNotes, toolVersion: packageVersion() },
          { command: "check", fixed: flags.fix ? fixedCount : undefined, ...(result.confirmations ? { confirmations: result.confirmations } : {}) },
        );
        await write(text);
        return exitCodeFor(result.diagnostics, { denyWarnings: (flags.deny ?? []).includes("warnings") });
      }),
    );
}
