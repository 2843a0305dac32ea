import type { Command } from "commander";
import path from "node:path";
import pc from "picocolors";
import { action, useColor, write } from "../io.js";
import { createProgress } from "../progress.js";
import type { BuildResult } from "../../build/index.js";

export interface BuildFlags {
  release?: boolean;
  target?: string;
  bin?: string;
}

/** Runs the build with progress on stderr and cargo's rendered diagnostics as they arrive; shared by `build` and `run`. */
export async function buildWithProgress(dir: string | undefined, flags: BuildFlags): Promise<BuildResult> {
  const { build } = await import("../../build/index.js");
  const color = useColor(process.stderr);
  const progress = createProgress(process.stderr);
  // Known compiler and linker errors get an explanation right after cargo's own text, and a count at the end.
  const { Explainer, formatExplanations, formatExplainSummary } = await import("../../explain/index.js");
  const explainer = new Explainer({ root: path.resolve(dir ?? ".") });
  const showExplanations = (e: import("../../explain/index.js").ExplainedMessage | undefined) => {
    if (e?.diagnostics.length) progress.log(`${formatExplanations(e, { color, cwd: process.cwd() })}\n`);
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
        if (m.message.rendered) progress.log(m.message.rendered);
        // explain: explanations of known compiler and linker errors are printed here, after cargo's text.
        showExplanations(explainer.cargoMessage(m));
      },
    });
    const lastCargoBlock = cargoText.end();
    if (lastCargoBlock) showExplanations(explainer.textBlock(lastCargoBlock));
    const counts = explainer.result().counts;
    if (counts.errors > 0 || counts.warningsExplained > 0) progress.log(formatExplainSummary(counts));
    const c = pc.createColors(color);
    for (const note of result.notes) progress.log(`${c.cyan("note")}: ${note}`);
    return result;
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
    .action(
      action(async (dir: string, flags: BuildFlags) => {
        const result = await buildWithProgress(dir, flags);
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
