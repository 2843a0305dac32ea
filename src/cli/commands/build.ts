import type { Command } from "commander";
import path from "node:path";
import pc from "picocolors";
import { action, parseFormat, useColor, write } from "../io.js";
import { createProgress } from "../progress.js";
import type { BuildResult } from "../../build/index.js";
import type { ExplainResult } from "../../explain/index.js";
import type { OutputFormat } from "../../diagnostics/index.js";

export interface BuildFlags {
  release?: boolean;
  target?: string;
  bin?: string;
  /** human: explanations on stderr as errors arrive; json/sarif: collected for one report on stdout. */
  format?: OutputFormat;
}

/** The target cargo will build for from `dir` (what the explanations fit their advice to), or undefined. */
async function buildTarget(dir: string | undefined, flag: string | undefined): Promise<string | undefined> {
  if (flag) return flag;
  const { loadCargoConfig, configuredTarget } = await import("../../crate/config.js");
  try {
    const c = configuredTarget(await loadCargoConfig(path.resolve(dir ?? ".")));
    if (c) return c.value;
    const { findRustc } = await import("../../toolchain/rustc.js");
    return (await findRustc({ cwd: path.resolve(dir ?? ".") })).host;
  } catch {
    return undefined;
  }
}

/**
 * Runs the build with progress on stderr and cargo's rendered diagnostics as they arrive; shared by `build` and
 * `run`. Known errors are explained right after cargo's text (human format) and returned in `explained`.
 */
export async function buildWithProgress(dir: string | undefined, flags: BuildFlags): Promise<BuildResult & { explained: ExplainResult }> {
  const { build } = await import("../../build/index.js");
  const color = useColor(process.stderr);
  const progress = createProgress(process.stderr);
  // Known compiler and linker errors get an explanation right after cargo's own text, and a count at the end.
  const { Explainer, formatExplanations, formatExplainSummary } = await import("../../explain/index.js");
  const explainer = new Explainer({ root: path.resolve(dir ?? "."), target: await buildTarget(dir, flags.target) });
  const human = (flags.format ?? "human") === "human";
  const showExplanations = (e: import("../../explain/index.js").ExplainedMessage | undefined) => {
    if (human && e?.diagnostics.length) progress.log(`${formatExplanations(e, { color, cwd: process.cwd() })}\n`);
  };
  // cargo's own errors (a refused -Z flag, a failed rustc probe) come as text on stderr.
  const cargoText = explainer.textReader();
  let cargoLineNo = 0;
  const isStatus = (line: string) => /^\s*(Compiling|Checking|Finished|Fresh|Building|Locking|Updating|Downloading|Downloaded|Blocking|Adding)\b/.test(line.replace(/\x1b\[[0-9;]*m/g, ""));
  try {
    const result = await build({
      dir,
      release: flags.release,
      target: flags.target,
      bin: flags.bin,
      color,
      onCargoLine: (line) => {
        if (isStatus(line)) progress.status(line);
        else progress.log(line);
        const block = cargoText.line(line, cargoLineNo++);
        if (block) showExplanations(explainer.textBlock(block));
      },
      onOutputLine: (line) => progress.log(line),
      onDiagnostic: (m) => {
        // explain: explanations of known compiler and linker errors are attached under cargo's own text.
        const e = explainer.cargoMessage(m);
        const attached = human && e?.diagnostics.length ? `\n${formatExplanations(e, { color, cwd: process.cwd() })}` : "";
        if (m.message.rendered) progress.log(`${m.message.rendered.trimEnd()}${attached}\n`);
        else if (attached) progress.log(attached.trimStart());
      },
    });
    const lastCargoBlock = cargoText.end();
    if (lastCargoBlock) showExplanations(explainer.textBlock(lastCargoBlock));
    const explained = explainer.result();
    const counts = explained.counts;
    const summary = formatExplainSummary(counts);
    if (human && summary) progress.log(summary);
    const c = pc.createColors(color);
    for (const note of result.notes) progress.log(`${c.cyan("note")}: ${note}`);
    return { ...result, explained };
  } finally {
    progress.stop();
  }
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function registerBuild(program: Command): void {
  program
    .command("build")
    .description("build with cargo, explain compiler and linker errors, and list what was produced")
    .argument("[dir]", "crate directory", ".")
    .option("--release", "build with the release profile")
    .option("--target <triple>", "build for this target instead of the configured one")
    .option("--bin <name>", "build only this binary")
    .option("--format <format>", "report format on stdout: human, json or sarif (cargo's own output stays on stderr)", parseFormat, "human")
    .action(
      action(async (dir: string, flags: BuildFlags) => {
        const result = await buildWithProgress(dir, flags);
        if (flags.format && flags.format !== "human") return reportBuild(result, flags.format);
        const c = pc.createColors(useColor());
        const lines: string[] = [];
        if (!result.success) {
          lines.push(`${c.red(c.bold("error"))}: the build failed (cargo exited with ${result.exitCode ?? "a signal"}).`);
          await write(lines.join("\n") + "\n", process.stderr);
          return 1;
        }
        const { formatVerification } = await import("../verification.js");
        let failed = false;
        for (const a of result.artifacts) {
          const shown = path.relative(process.cwd(), a.path) || a.path;
          lines.push(`${c.green(c.bold("Built"))} ${a.kind === "bin" ? "binary" : "library"} ${shown} (${formatSize(a.size)})`);
          if (a.verification) {
            lines.push(formatVerification(a.verification, useColor()));
            failed ||= a.verification.diagnostics.some((d) => d.severity === "error");
          }
        }
        if (result.artifacts.length === 0) lines.push("Nothing was produced (no binary or library target?).");
        await write(lines.join("\n") + "\n");
        // A binary that is not freestanding is a failed build: it would not run where it is meant to.
        return failed ? 1 : 0;
      }),
    );
}

/** One machine-readable report for `build --format json|sarif`: the explained errors and every binary's verify findings. */
async function reportBuild(result: BuildResult & { explained: ExplainResult }, format: OutputFormat): Promise<number> {
  const { formatDiagnostics } = await import("../../diagnostics/index.js");
  const { describeExplainCode } = await import("../../explain/index.js");
  const { describeVerifyCode, verifyVerdict } = await import("../../elf/verify/index.js");
  const { packageVersion } = await import("../../version.js");
  const diagnostics = [...result.explained.diagnostics, ...result.artifacts.flatMap((a) => a.verification?.diagnostics ?? [])];
  const artifacts = result.artifacts.map((a) => ({
    name: a.name,
    kind: a.kind,
    path: path.relative(process.cwd(), a.path) || a.path,
    size: a.size,
    verdict: a.verification ? verifyVerdict(a.verification) : null,
  }));
  const describe = (code: string) => describeExplainCode(code) ?? describeVerifyCode(code);
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
