/**
 * The long ELF fuzzing run: at least 200,000 truncated and mutated variants of seven real ELFs (seeded, the same
 * generator as the suite's fast subset in test/elf/fuzz.test.ts), each read, verified and sized in this process.
 * Counted and required to be zero: inputs that took over 1 s, inputs during which the process grew past 500 MB,
 * and anything thrown that is not a one-sentence FreestandError. The ratio: time per input against `readelf -a`
 * on a sample of the same inputs (what a user would run to look into such a file).
 *
 *   node dist/bench/fuzz-elf.js [count]     (default 210,000; exits 1 when a count is not zero)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FreestandError } from "../src/errors.js";
import { elf, needs } from "../test/elf/fixtures.js";
import { exercise, variants } from "../test/elf/fuzz-variants.js";
import { rng } from "../test/support/rng.js";
import { ratio } from "./support/measure.js";

const total = Number(process.argv[2] ?? 210_000);
const missingTool = needs.gcc() ?? needs.arm() ?? needs.ppc();
if (missingTool) {
  console.log(`skipped: ${missingTool}`);
  process.exit(0);
}
const seeds = [elf.freestanding(), elf.helloDynamic(), elf.object(), elf.cortexM(), elf.powerpc(), elf.pvh(true), elf.sharedLib()];
const perSeed = Math.ceil(total / seeds.length);
const random = rng(0xf022);
const SLOW_MS = 1000;
const BIG_RSS = 500 * 2 ** 20;
let tried = 0;
let rejected = 0;
let slow = 0;
let big = 0;
let peakRss = 0;
let ourMs = 0;
const unexpected: string[] = [];
const sample: Buffer[] = [];
const started = Date.now();
for (const file of seeds) {
  const seed = readFileSync(file);
  for (const v of variants(seed, random, perSeed)) {
    tried++;
    const t0 = process.hrtime.bigint();
    try {
      exercise(v);
    } catch (err) {
      if (err instanceof FreestandError && !err.message.includes("\n")) rejected++;
      else unexpected.push(`${path.basename(file)} variant ${tried}: ${(err as Error)?.message ?? err}`);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    ourMs += ms;
    if (ms > SLOW_MS) slow++;
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
    if (rss > BIG_RSS) big++;
    if (tried % 200 === 0 && sample.length < 500) sample.push(Buffer.from(v));
    if (tried % 50_000 === 0) console.log(`  ${tried} inputs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

// readelf on a sample of the same inputs, one process per file as a user would run it.
const dir = mkdtempSync(path.join(os.tmpdir(), "freestand-fuzz-"));
let readelfMs = 0;
try {
  sample.forEach((b, i) => writeFileSync(path.join(dir, `${i}.elf`), b));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < sample.length; i++) spawnSync("readelf", ["-a", "--wide", path.join(dir, `${i}.elf`)], { stdio: "ignore", timeout: 10_000 });
  readelfMs = Number(process.hrtime.bigint() - t0) / 1e6;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const ourPerInput = ourMs / tried;
const readelfPerInput = readelfMs / Math.max(1, sample.length);
console.log(`inputs: ${tried} (${rejected} rejected with one sentence), in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`over ${SLOW_MS} ms: ${slow}; process over ${BIG_RSS / 2 ** 20} MB: ${big}; unexpected exceptions: ${unexpected.length}; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
console.log(`per input: freestand (read + verify ×3 + size) ${ourPerInput.toFixed(3)} ms, readelf -a ${readelfPerInput.toFixed(2)} ms (readelf / freestand: ${ratio(readelfPerInput, ourPerInput)})`);
for (const u of unexpected.slice(0, 5)) console.log(`  ${u}`);
if (slow > 0 || big > 0 || unexpected.length > 0) process.exit(1);
