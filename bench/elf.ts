/**
 * `freestand verify` beside `readelf -hlSdns --wide` (the headers, segments, sections, dynamic section, symbols and
 * notes verify needs), and `freestand size` beside `size -A`, on the same large ELF, in the same run: whole-process
 * wall time (median of several runs, after a warm-up) and peak resident memory (GNU time).
 * Targets: verify no slower than that readelf run; peak memory under the file's size.
 *
 *   node dist/bench/elf.js [file.elf]     (default: the librustc_driver-*.so of the rustup stable toolchain)
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { peakMemory, ratio } from "./support/measure.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The CLI as installed: the bundle package.json's bin runs (scripts/bundle.mjs). */
const CLI = path.join(ROOT, "dist", "bin", "freestand.js");

function defaultElf(): string | undefined {
  const toolchains = path.join(os.homedir(), ".rustup", "toolchains");
  try {
    for (const tc of fs.readdirSync(toolchains).filter((t) => t.startsWith("stable-"))) {
      const lib = path.join(toolchains, tc, "lib");
      const so = fs.readdirSync(lib).find((f) => f.startsWith("librustc_driver-") && f.endsWith(".so"));
      if (so) return path.join(lib, so);
    }
  } catch {
    // no rustup toolchain
  }
  return undefined;
}

/** Median wall time (ms) of a command whose exit code may be 0 or 1 (verify reports findings with 1). */
function wall(cmd: string, args: string[], runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
    if (i > 0) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

function main(): void {
  const file = process.argv[2] ?? defaultElf();
  if (!file) {
    console.log("elf bench skipped: no ELF given and no rustup stable toolchain (librustc_driver-*.so) found");
    return;
  }
  const bytes = fs.statSync(file).size;
  const runs = 7;
  console.log(`file: ${file} (${(bytes / 2 ** 20).toFixed(1)} MiB)`);
  const pairs: [string, string[], string, string[]][] = [
    ["freestand verify", [CLI, "verify", file], "readelf -hlSdns --wide", ["readelf", "-hlSdns", "--wide", file]],
    ["freestand size", [CLI, "size", file], "size -A", ["size", "-A", file]],
  ];
  console.log(`${"command".padEnd(26)}${"wall (median)".padStart(14)}${"peak RSS".padStart(12)}`);
  for (const [ours, ourArgs, theirs, theirCmd] of pairs) {
    const a = wall(process.execPath, ourArgs, runs);
    const b = wall(theirCmd[0]!, theirCmd.slice(1), runs);
    const ma = peakMemory(process.execPath, ourArgs).maxRssKiB;
    const mb = peakMemory(theirCmd[0]!, theirCmd.slice(1)).maxRssKiB;
    console.log(`${ours.padEnd(26)}${`${a.toFixed(0)} ms`.padStart(14)}${`${(ma / 1024).toFixed(0)} MiB`.padStart(12)}`);
    console.log(`${theirs.padEnd(26)}${`${b.toFixed(0)} ms`.padStart(14)}${`${(mb / 1024).toFixed(0)} MiB`.padStart(12)}`);
    console.log(`  ${ours} / ${theirs}: time ${ratio(a, b)}, memory ${ratio(ma, mb)}; peak memory / file size ${ratio(ma * 1024, bytes)}`);
  }
}

main();
