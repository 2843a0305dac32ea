import { Option, type Command } from "commander";
import path from "node:path";
import pc from "picocolors";
import { action, parseDeny, useColor, write, formatOption } from "../io.js";
import { addCargoFlags, colorWanted, type CargoFlagValues } from "../cargo-flags.js";
import type { OutputFormat } from "../../diagnostics/index.js";
import type { VerifyResult } from "../../elf/verify/index.js";
import { OUTPUT_FORMATS } from "../../diagnostics/formats.js";

interface VerifyFlags extends CargoFlagValues {
  format: OutputFormat;
  entry?: string;
  deny?: string[];
}


const MARK = { passed: "ok  ", failed: "FAIL", skipped: "skip" } as const;

export function registerVerify(program: Command): void {
  const cmd = program
    .command("verify")
    .summary("Prove an ELF is freestanding")
    .description(
      "Prove that an ELF is freestanding: no interpreter or shared libraries, entry point = entry symbol, no undefined symbols, W^X, the right machine, inside the memory map. With no file, builds the crate's binaries (same flags as `build`) and verifies each.",
    )
    .usage("[OPTIONS] [PATH]")
    .argument("[PATH]", "An ELF file, or a crate directory to build [default: the current directory]");
  addCargoFlags(cmd, "verify");
  cmd
    .addOption(new Option("--entry <SYMBOL>", "Entry symbol to expect [default: the target's, else _start]"))
    .addOption(formatOption(OUTPUT_FORMATS))
    .addOption(new Option("--deny <WHAT>", "`warnings`: make warnings count as errors for the exit code").argParser(parseDeny))
    .addHelpText(
      "after",
      `
Examples:
  freestand verify --release
  freestand verify -v target/thumbv7em-none-eabihf/debug/blinky
  freestand verify kernel.elf --target x86_64-unknown-none --format sarif`,
    )
    .action(
      action(async (given: string | undefined, flags: VerifyFlags) => {
        const { verifyVerdict } = await import("../../elf/verify/index.js");
        const { describeCode } = await import("../../codes/index.js");
        const { formatDiagnostics, exitCodeFor } = await import("../../diagnostics/index.js");
        const { packageVersion } = await import("../../version.js");
        const verified = await verifiedBinaries(given, flags);
        if (verified === "build failed") {
          await write(`${pc.createColors(colorWanted(flags, process.stderr, useColor)).red("error")}: the build failed; nothing to verify.\n`, process.stderr);
          return 1;
        }
        const { results, skipped } = verified;
        const color = colorWanted(flags, process.stdout, useColor);
        const diagnostics = results.flatMap((r) => r.result.diagnostics);
        let text: string;
        if (flags.format === "human" && (results.length !== 1 || (flags.verbose ?? 0) > 0 || skipped.length > 0)) {
          text = await perBinaryText(results, skipped, (flags.verbose ?? 0) > 0, color);
        } else {
          const notes = results.flatMap((r) => (r.note ? [r.note] : []));
          text = formatDiagnostics(
            diagnostics,
            flags.format,
            { cwd: process.cwd(), color, describe: describeCode, toolVersion: packageVersion(), summaryNotes: [...notes, ...results.map((r) => verifyVerdict(r.result))] },
            results.length === 1
              ? { command: "verify", facts: results[0]!.result.facts, checks: results[0]!.result.steps }
              : { command: "verify", binaries: results.map((r) => ({ facts: r.result.facts, checks: r.result.steps })) },
          );
        }
        await write(text);
        return exitCodeFor(diagnostics, { denyWarnings: (flags.deny ?? []).includes("warnings") });
      }),
    );
}

interface Verified {
  result: VerifyResult;
  note?: string;
}

/** The file's verification, or each freestanding binary's of the crate built with the same flags (std tools skipped, and said). */
async function verifiedBinaries(given: string | undefined, flags: VerifyFlags): Promise<{ results: Verified[]; skipped: string[] } | "build failed"> {
  const { verifyElf } = await import("../../elf/verify/index.js");
  const { FreestandError } = await import("../../errors.js");
  const { inspected } = await import("../inspected-elf.js");
  const what = await inspected(given, flags, "verify");
  if (what.kind === "file") {
    return { results: [{ result: await verifyElf(what.file, { ...(what.target ? { target: what.target } : {}), entry: flags.entry }), ...(what.note ? { note: what.note } : {}) }], skipped: [] };
  }
  if (!what.built.success) return "build failed";
  if (what.binaries.length === 0) throw new FreestandError("the build produced no binary to verify (a library has nothing to verify).");
  const results: Verified[] = [];
  const skipped: string[] = [];
  for (const a of what.binaries) {
    if (!a.freestanding) {
      skipped.push(`${a.name} is a std program (its crate root says neither \`no_std\` nor \`no_main\`): not verified`);
      continue;
    }
    const target = what.built.targetInfo;
    results.push({ result: flags.entry || !a.verification ? await verifyElf(a.path, { ...(target ? { target } : {}), entry: flags.entry }) : a.verification });
  }
  return { results, skipped };
}

/** One block per binary: its findings, then (with -v) every check on a line, then its verdict; the skipped ones last. */
async function perBinaryText(results: readonly Verified[], skipped: readonly string[], verbose: boolean, color: boolean): Promise<string> {
  const { verifyVerdict } = await import("../../elf/verify/index.js");
  const { describeCode } = await import("../../codes/index.js");
  const { formatHumanDiagnostic } = await import("../../diagnostics/reporters/human.js");
  const c = pc.createColors(color);
  const blocks: string[] = [];
  for (const { result, note } of results) {
    const lines: string[] = [];
    for (const d of result.diagnostics) lines.push(formatHumanDiagnostic(d, { color, describe: describeCode }).trimEnd());
    if (verbose) {
      lines.push(c.bold(`Checks of ${path.relative(process.cwd(), result.facts.file) || result.facts.file}:`));
      for (const s of result.steps) {
        const mark = s.status === "passed" ? c.green(MARK.passed) : s.status === "failed" ? c.red(MARK.failed) : c.dim(MARK.skipped);
        lines.push(`  ${mark} ${s.code}: ${s.summary}`);
      }
    }
    if (note) lines.push(`${c.cyan("note")}: ${note}`);
    const failed = result.diagnostics.some((d) => d.severity === "error");
    lines.push(`${failed ? c.red(c.bold("Verified")) : c.green(c.bold("Verified"))} ${verifyVerdict(result)}`);
    blocks.push(lines.join("\n"));
  }
  for (const s of skipped) blocks.push(`${c.cyan("note")}: ${s}`);
  return blocks.join("\n\n") + "\n";
}
