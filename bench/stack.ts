/**
 * `freestand stack` beside what a user would otherwise run to read frames: `llvm-objdump -d` of the same ELF (the
 * disassembly one reads prologues from by hand), in the same run: median wall time and peak resident memory. Two
 * inputs: a freestand template's release build for a Cortex-M (small, what the command is for), and the cargo
 * binary of the rustup stable toolchain (40,000 x86-64 functions: the decoder's throughput).
 *
 *   node dist/bench/stack.js [file.elf ...]
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { peakMemory, ratio, timeCommand } from "./support/measure.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const CLI = path.join(ROOT, "dist", "bin", "freestand.js");

/** A template crate for thumbv7em, built in release in a scratch directory; undefined when it cannot be built. */
function templateElf(dir: string): string | undefined {
  const crate = path.join(dir, "app");
  const made = spawnSync(process.execPath, [CLI, "new", crate, "--target", "thumbv7em-none-eabihf", "--yes", "--vcs", "none"], { stdio: "ignore" });
  const built = made.status === 0 ? spawnSync(process.execPath, [CLI, "build", crate, "--release"], { stdio: "ignore" }) : made;
  const elf = path.join(crate, "target", "thumbv7em-none-eabihf", "release", "app");
  return built.status === 0 && fs.existsSync(elf) ? elf : undefined;
}

function cargoElf(): string | undefined {
  const toolchains = path.join(os.homedir(), ".rustup", "toolchains");
  try {
    for (const tc of fs.readdirSync(toolchains).filter((t) => t.startsWith("stable-"))) {
      const cargo = path.join(toolchains, tc, "bin", "cargo");
      if (fs.existsSync(cargo)) return cargo;
    }
  } catch {
    // no rustup toolchain
  }
  return undefined;
}

function main(): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "freestand-bench-stack-"));
  try {
    const files = process.argv.length > 2 ? process.argv.slice(2) : [templateElf(scratch), cargoElf()].filter((f): f is string => f !== undefined);
    console.log(`${"command".padEnd(28)}${"wall (median)".padStart(14)}${"peak RSS".padStart(12)}`);
    for (const file of files) {
      const mib = fs.statSync(file).size / 2 ** 20;
      console.log(`file: ${file} (${mib.toFixed(1)} MiB)`);
      const runs = mib > 4 ? 3 : 9;
      const ours = [CLI, "stack", file, "--format", "json"];
      const theirs = ["-d", "--no-show-raw-insn", file];
      // `stack` exits 1 when it finds a known overflow; neither input has one.
      const a = timeCommand(process.execPath, ours, { runs }).median;
      const b = timeCommand("llvm-objdump", theirs, { runs }).median;
      const ma = peakMemory(process.execPath, ours).maxRssKiB;
      const mb = peakMemory("llvm-objdump", theirs).maxRssKiB;
      console.log(`${"  freestand stack".padEnd(28)}${`${a.toFixed(0)} ms`.padStart(14)}${`${(ma / 1024).toFixed(0)} MiB`.padStart(12)}`);
      console.log(`${"  llvm-objdump -d".padEnd(28)}${`${b.toFixed(0)} ms`.padStart(14)}${`${(mb / 1024).toFixed(0)} MiB`.padStart(12)}`);
      console.log(`  freestand stack / llvm-objdump -d: time ${ratio(a, b)}, memory ${ratio(ma, mb)}`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main();
