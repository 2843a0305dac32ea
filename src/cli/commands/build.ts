import { Option, type Command } from "commander";
import path from "node:path";
import pc from "picocolors";
import { action, passThrough, useColor, write, formatOption } from "../io.js";
import { addCargoFlags, colorWanted, selectionFrom, type CargoFlagValues } from "../cargo-flags.js";
import { createProgress } from "../progress.js";
import type { Artifact, BuildResult, CargoSelection, Project } from "../../build/index.js";
import type { ExplainResult } from "../../explain/index.js";
import type { OutputFormat } from "../../diagnostics/index.js";
import { humanBytes } from "../../util/bytes.js";
import { stripVTControlCharacters } from "node:util";
import { OUTPUT_FORMATS } from "../../diagnostics/formats.js";

export interface BuildFlags extends CargoFlagValues {
  /** human: explanations on stderr as errors arrive; json/sarif: collected for one report on stdout. */
  format?: OutputFormat;
  /** cargo's own `--message-format`: human, short, or json (cargo's JSON messages on stdout). */
  messageFormat?: "human" | "short" | "json";
}

/** The parts of a build every command that builds shares: the selection, colour and verbosity. */
export interface BuildRequest {
  selection: CargoSelection;
  flags: BuildFlags;
  /** Already loaded, when the command chose what to build first (run, size). */
  project?: Project;
  /** Arguments after `--`, for cargo. */
  cargoArgs?: string[];
  /** Build the test binaries (`cargo test --no-run`), unverified: they are not the program. */
  tests?: boolean;
}

/** Errors after which the rest of the build only repeats them: every crate is compiled against the same `core`. */
const STOPPING_CODES = new Set(["E0514", "E0460"]);

/**
 * Runs the build with progress on stderr and cargo's rendered diagnostics as they arrive; shared by `build`,
 * `run`, `size` and `verify`. Known errors are explained inside cargo's own text (human format) and returned in
 * `explained`. How the toolchain was chosen is said first, once per crate and compiler (every time with -v).
 */
export async function buildWithProgress(req: BuildRequest): Promise<BuildResult & { explained: ExplainResult }> {
  const { build, buildTarget, loadProject } = await import("../../build/index.js");
  const { unsaidNotes } = await import("../../build/said-once.js");
  const { flags, selection } = req;
  const color = colorWanted(flags, process.stderr, useColor);
  const progress = createProgress(process.stderr);
  const c = pc.createColors(color);
  const project = req.project ?? (await loadProject(selection));
  // Known compiler and linker errors get an explanation right after cargo's own text, and a count at the end.
  const { Explainer, formatExplanations, formatExplainSummary } = await import("../../explain/index.js");
  const explainer = new Explainer({ root: path.dirname(project.manifestPath), target: await buildTarget(selection).catch(() => undefined) });
  const human = (flags.format ?? "human") === "human" && flags.messageFormat !== "json";
  const showExplanations = (e: import("../../explain/index.js").ExplainedMessage | undefined) => {
    if (human && e?.diagnostics.length) progress.log(`${formatExplanations(e, { color, cwd: process.cwd() })}\n`);
  };
  // cargo's own errors (a refused -Z flag, a failed rustc probe) come as text on stderr.
  const cargoText = explainer.textReader();
  let cargoLineNo = 0;
  const isStatus = (line: string) => /^\s*(Compiling|Checking|Finished|Fresh|Building|Locking|Updating|Downloading|Downloaded|Blocking|Adding)\b/.test(stripVTControlCharacters(line));
  let stoppedBy: string | undefined;
  try {
    const result = await build({
      ...selection,
      project,
      color,
      ...(flags.messageFormat === "short" ? { messageFormat: "short" as const } : {}),
      cargoArgs: req.cargoArgs,
      ...(req.tests ? { tests: true, verify: false } : {}),
      onNotes: async (toolchain, situational) => {
        const shown = (flags.verbose ?? 0) > 0 ? toolchain : await unsaidNotes(selection.targetDir ?? project.graph?.targetDirectory, toolchain);
        for (const note of situational) progress.log(`${c.yellow("warning")}: ${note}`);
        if (!flags.quiet) for (const note of shown) progress.log(`${c.cyan("note")}: ${note}`);
      },
      onCargoLine: (line) => {
        if (isStatus(line)) progress.status(line);
        else progress.log(line);
        const block = cargoText.line(line, cargoLineNo++);
        if (block) showExplanations(explainer.textBlock(block));
      },
      onOutputLine: (line) => progress.log(line),
      ...(flags.messageFormat === "json" ? { onMessage: (line: string) => process.stdout.write(`${line}\n`) } : {}),
      onDiagnostic: (m) => {
        // explain: explanations of known compiler and linker errors are attached under cargo's own text.
        const e = explainer.cargoMessage(m);
        const attached = human && e?.diagnostics.length ? `\n${formatExplanations(e, { color, cwd: process.cwd() })}` : "";
        if (flags.messageFormat !== "json") {
          if (m.message.rendered) progress.log(`${m.message.rendered.trimEnd()}${attached}\n`);
          else if (attached) progress.log(attached.trimStart());
        }
        const code = m.message.code?.code;
        if (m.message.level === "error" && code && STOPPING_CODES.has(code)) {
          stoppedBy = code;
          return "stop";
        }
        return undefined;
      },
    });
    const lastCargoBlock = cargoText.end();
    if (lastCargoBlock) showExplanations(explainer.textBlock(lastCargoBlock));
    if (stoppedBy && human) {
      progress.log(`${c.cyan("note")}: the build was stopped after this error: every crate compiled against the same \`core\` fails with ${stoppedBy} too.\n`);
    }
    const explained = explainer.result();
    const summary = formatExplainSummary(explained.counts);
    if (human && summary && !stoppedBy) progress.log(summary);
    return { ...result, explained };
  } finally {
    progress.stop();
  }
}


/** `flash 1.2 KiB of 256.0 KiB (0.5%), RAM 4.0 KiB of 64.0 KiB (6.3%)` for a binary; the file size for a library. */
export function describeArtifactSize(a: Artifact): string {
  if (!a.memory) return humanBytes(a.size);
  const part = (label: string, used: number, total: number | undefined) =>
    `${label} ${humanBytes(used)}${total ? ` of ${humanBytes(total)} (${((100 * used) / total).toFixed(1)}%)` : ""}`;
  // Where the flash goes, so that the cost of a `{:.3}` is seen the first time: the three largest crates.
  const shares = a.memory.byCrate?.length && a.memory.flash ? `; flash by crate: ${a.memory.byCrate.map((s) => `${s.name} ${Math.round((100 * s.bytes) / a.memory!.flash)}%`).join(", ")}` : "";
  return `${part("flash", a.memory.flash, a.memory.flashTotal)}, ${part("RAM", a.memory.ram, a.memory.ramTotal)}${shares}`;
}

export function registerBuild(program: Command): void {
  const cmd = program
    .command("build")
    .summary("Compile the crate, explain its errors, and verify every binary")
    .description(
      "Compile the crate with cargo, explain compiler and linker errors in plain words, and verify that every binary is freestanding.",
    )
    .usage("[OPTIONS] [DIR] [-- <CARGO-ARGS>...]")
    .argument("[DIR]", "Directory to run in, as `cd DIR && cargo build` [default: the current one]");
  addCargoFlags(cmd, "build");
  cmd
    .addOption(new Option("--message-format <FMT>", "Error format (cargo's)").choices(["human", "short", "json"]))
    .addOption(formatOption(OUTPUT_FORMATS, "Report format on stdout (cargo's output stays on stderr)"))
    .addHelpText(
      "after",
      `
Examples:
  freestand build --release
  freestand build -p firmware --features defmt
  freestand build --target thumbv7em-none-eabihf -- --timings`,
    )
    .action(
      action(async (dir: string | undefined, flags: BuildFlags) => {
        const selection = selectionFrom(flags, dir);
        const result = await buildWithProgress({ selection, flags, cargoArgs: passThrough() });
        if (flags.format && flags.format !== "human") return reportBuild(result, flags.format);
        const out = flags.messageFormat === "json" ? process.stderr : process.stdout;
        const c = pc.createColors(colorWanted(flags, out, useColor));
        const lines: string[] = [];
        if (!result.success) {
          const why = result.stopped ? "the build was stopped" : `the build failed (cargo exited with ${result.exitCode ?? "a signal"})`;
          await write(`${c.red(c.bold("error"))}: ${why}.\n`, process.stderr);
          return 1;
        }
        const { formatVerification } = await import("../verification.js");
        let failed = false;
        for (const a of result.artifacts) {
          const shown = path.relative(process.cwd(), a.path) || a.path;
          const what = a.kind === "bin" ? (a.example ? "example" : "binary") : "library";
          const std = a.kind === "bin" && !a.freestanding ? ` ${c.dim("(a std program: not verified)")}` : "";
          if (!flags.quiet) lines.push(`${c.green(c.bold("Built"))} ${what} ${shown} (${describeArtifactSize(a)})${std}`);
          if (a.verification) {
            const bad = a.verification.diagnostics.some((d) => d.severity === "error");
            if (!flags.quiet || bad) lines.push(formatVerification(a.verification, c.isColorSupported));
            failed ||= bad;
          }
        }
        if (result.artifacts.length === 0 && !flags.quiet) lines.push("Nothing was produced (no binary or library target?).");
        await write(lines.length ? lines.join("\n") + "\n" : "", out);
        // A binary that is not freestanding is a failed build: it would not run where it is meant to.
        return failed ? 1 : 0;
      }),
    );
}

/** One machine-readable report for `build --format json|sarif`: the explained errors and every binary's verify findings. */
async function reportBuild(result: BuildResult & { explained: ExplainResult }, format: OutputFormat): Promise<number> {
  const { formatDiagnostics } = await import("../../diagnostics/index.js");
  const { describeCode } = await import("../../codes/index.js");
  const { verifyVerdict } = await import("../../elf/verify/index.js");
  const { packageVersion } = await import("../../version.js");
  const diagnostics = [...result.explained.diagnostics, ...result.artifacts.flatMap((a) => a.verification?.diagnostics ?? [])];
  const artifacts = result.artifacts.map((a) => ({
    name: a.name,
    package: a.package,
    kind: a.kind,
    path: path.relative(process.cwd(), a.path) || a.path,
    size: a.size,
    memory: a.memory ?? null,
    verdict: a.verification ? verifyVerdict(a.verification) : null,
  }));
  const describe = describeCode;
  await write(
    formatDiagnostics(diagnostics, format, { cwd: process.cwd(), describe, toolVersion: packageVersion() }, {
      command: "build",
      success: result.success,
      target: result.target ?? null,
      profile: result.profile,
      artifacts,
      explained: result.explained.counts,
    }),
  );
  const failed = !result.success || diagnostics.some((d) => d.severity === "error");
  return failed ? 1 : 0;
}
