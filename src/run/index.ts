import { constants } from "node:os";
import type { TargetInfo } from "../targets/types.js";
import { runHost } from "./host.js";
import { qemuMissing, runQemu } from "./qemu.js";

export { checkElfMatches } from "./qemu.js";
import type { RunOptions, RunResult } from "./types.js";

export type { RunOptions, RunResult } from "./types.js";
export { targetForElf, inferTargetOfFile, isElfFile } from "./elf-target.js";

/** Runs a freestanding ELF the way its target runs: directly on Linux, or booted in QEMU. */
export async function runElf(elf: string, target: TargetInfo, opts: RunOptions): Promise<RunResult> {
  if (target.flavour === "host") return runHost(elf, opts);
  // qemu: bare-metal targets boot in QEMU (src/run/qemu.ts).
  return runQemu(elf, target, opts);
}

/** What this machine lacks to run programs for `target` (QEMU for a bare-metal one), or undefined. */
export async function runPrerequisiteMissing(target: TargetInfo): Promise<string | undefined> {
  return target.flavour === "host" ? undefined : qemuMissing(target);
}

/** The conventional exit status for a killed program: 124 on timeout (as timeout(1)), 130 on Ctrl-C, 128+n for signal n. */
export function exitStatusOf(result: RunResult): number {
  if (result.timedOut) return 124;
  if (result.interrupted) return 130;
  if (result.exitCode !== null) return result.exitCode;
  if (result.signal) return 128 + ((constants.signals as Record<string, number>)[result.signal] ?? 0);
  return 1;
}
