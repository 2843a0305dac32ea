import type { Command } from "commander";
import { promises as fsp } from "node:fs";
import path from "node:path";
import pc from "picocolors";
import { FreestandError } from "../../errors.js";
import { action, parsePositiveNumber, useColor, write } from "../io.js";
import { buildWithProgress } from "./build.js";

interface RunFlags {
  release?: boolean;
  target?: string;
  bin?: string;
  timeout: number;
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("build if needed and run: directly on Linux (host) or booted in QEMU; exits with the program's exit code")
    .argument("[path]", "crate directory or ELF file", ".")
    .argument("[args...]", "arguments for the program (host targets), after --")
    .option("--release", "build and run the release profile")
    .option("--target <target>", "target id or triple (for an ELF file: default from the file itself)")
    .option("--bin <name>", "which binary to run, when the crate has several")
    .option("--timeout <seconds>", "kill the program after this many seconds", parsePositiveNumber, 10)
    .action(
      action(async (target: string, args: string[], flags: RunFlags) => {
        const { runElf, exitStatusOf, isElfFile, targetForElf } = await import("../../run/index.js");
        const { requireTarget } = await import("../../targets/catalog.js");
        const c = pc.createColors(useColor(process.stderr));
        let elf: string;
        const st = await fsp.stat(target).catch(() => {
          throw new FreestandError(`${target} does not exist.`);
        });
        if (st.isFile()) {
          if (!(await isElfFile(target))) throw new FreestandError(`${target} is not an ELF file or a crate directory.`);
          elf = path.resolve(target);
        } else {
          const built = await buildWithProgress(target, flags);
          if (!built.success) {
            await write(`${c.red(c.bold("error"))}: the build failed; nothing to run.\n`, process.stderr);
            return 1;
          }
          const bins = built.artifacts.filter((a) => a.kind === "bin");
          if (bins.length === 0) throw new FreestandError("the crate has no binary to run (is it a library?).");
          if (bins.length > 1) throw new FreestandError(`the crate has several binaries (${bins.map((b) => b.name).join(", ")}); choose one with --bin.`);
          elf = bins[0]!.path;
          const verification = bins[0]!.verification;
          if (verification?.diagnostics.some((d) => d.severity === "error")) {
            // Still run it: the user asked to, and seeing how it fails is part of learning why.
            const { formatVerification } = await import("../verification.js");
            await write(formatVerification(verification, useColor(process.stderr)) + "\n", process.stderr);
          }
          flags.target ??= built.target;
        }
        const info = flags.target ? requireTarget(flags.target) : await targetForElf(elf);
        const result = await runElf(elf, info, {
          timeoutMs: flags.timeout * 1000,
          args,
          inheritStdin: Boolean(process.stdin.isTTY),
          onStdout: (chunk) => process.stdout.write(chunk),
          onStderr: (chunk) => process.stderr.write(chunk),
        });
        if (result.timedOut) {
          await write(`${c.red(c.bold("error"))}: ${path.basename(elf)} did not finish within ${flags.timeout} s and was killed.\n`, process.stderr);
        } else if (result.interrupted) {
          await write(`${c.yellow("interrupted")}: ${path.basename(elf)} was stopped.\n`, process.stderr);
        } else if (result.signal) {
          await write(`${c.red(c.bold("error"))}: ${path.basename(elf)} was killed by ${result.signal}.\n`, process.stderr);
        }
        return exitStatusOf(result);
      }),
    );
}
