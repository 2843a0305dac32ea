import { Option, type Command } from "commander";
import path from "node:path";
import { action, collect, parseDeny, useColor, write, formatOption } from "../io.js";
import { addCargoFlags, colorWanted, type CargoFlagValues } from "../cargo-flags.js";
import type { OutputFormat } from "../../diagnostics/index.js";
import { OUTPUT_FORMATS } from "../../diagnostics/formats.js";

interface CheckFlags extends CargoFlagValues {
  format: OutputFormat;
  fix?: boolean;
  deny?: string[];
  rule?: string[];
  confirm?: boolean;
}


export function registerCheck(program: Command): void {
  const cmd = program
    .command("check")
    .summary("Find the classic freestanding traps statically, with --fix")
    .description(
      "Find the classic freestanding traps statically — no_std, panic handler, entry point, target, linker script, link arguments, profiles — in the crate or workspace, as cargo resolves it (features, target, config). `--fix` applies the safe fixes.",
    )
    .usage("[OPTIONS] [DIR]")
    .argument("[DIR]", "Directory to run in; the crate is the nearest Cargo.toml at or above it [default: the current directory]");
  addCargoFlags(cmd, "check");
  cmd
    .addOption(new Option("--fix", "Apply the safe fixes, then check again"))
    .addOption(new Option("--rule <ID>", "Run only this rule (repeatable)").argParser(collect))
    .addOption(new Option("--deny <WHAT>", "`warnings`: make warnings count as errors for the exit code").argParser(parseDeny))
    .addOption(new Option("--confirm", "Also run `cargo check` for the target and match its std errors with the dependency findings"))
    .addOption(formatOption(OUTPUT_FORMATS))
    .addHelpText(
      "after",
      `
Examples:
  freestand check
  freestand check --fix -p firmware --features defmt
  freestand check --format sarif > freestand.sarif`,
    )
    .action(
      action(async (dirArg: string | undefined, flags: CheckFlags) => {
        const dir = dirArg ?? ".";
        const { check, fix } = await import("../../check/index.js");
        const { describeRule, RULES } = await import("../../rules/index.js");
        const { formatDiagnostics, exitCodeFor, pluralize } = await import("../../diagnostics/index.js");
        const { FreestandError } = await import("../../errors.js");
        const { packageVersion } = await import("../../version.js");
        for (const r of flags.rule ?? []) {
          if (!describeRule(r)) throw new FreestandError(`unknown rule \`${r}\`; the rules are: ${RULES.map((x) => x.id).join(", ")}.`);
        }
        const { splitFeatures } = await import("../../build/selection.js");
        const opts = {
          target: flags.target,
          only: flags.rule,
          confirm: flags.confirm,
          ...(flags.package ? { packages: flags.package } : {}),
          ...(flags.workspace ? { workspace: true } : {}),
          ...(flags.exclude ? { exclude: flags.exclude } : {}),
          ...(flags.manifestPath ? { manifestPath: path.resolve(flags.manifestPath) } : {}),
          ...(flags.config ? { config: flags.config } : {}),
          ...(flags.features ? { features: splitFeatures(flags.features) } : {}),
          ...(flags.allFeatures ? { allFeatures: true } : {}),
          ...(flags.defaultFeatures === false ? { noDefaultFeatures: true } : {}),
        };
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
          const { describeConfirmation } = await import("../../check/confirm.js");
          for (const c of result.confirmations) summaryNotes.push(describeConfirmation(c));
        }
        // The code registry holds every rule: loaded with the check, not for `--help` or `--version`.
        const { describeCode } = await import("../../codes/index.js");
        const text = formatDiagnostics(
          result.diagnostics,
          flags.format,
          { cwd: process.cwd(), color: colorWanted(flags, process.stdout, useColor), describe: describeCode, sources: result.sources, summaryNotes, toolVersion: packageVersion() },
          { command: "check", fixed: flags.fix ? fixedCount : undefined, ...(result.confirmations ? { confirmations: result.confirmations } : {}) },
        );
        await write(text);
        return exitCodeFor(result.diagnostics, { denyWarnings: (flags.deny ?? []).includes("warnings") });
      }),
    );
}
