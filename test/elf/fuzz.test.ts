import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { FreestandError } from "../../src/errors.js";
import { elf, needs } from "./fixtures.js";
import { rng } from "../support/rng.js";
import { exercise, variants } from "./fuzz-variants.js";

/**
 * Thousands of truncated and byte-mutated variants of real ELFs (seeded, so a failure is repeatable): for each one
 * the reader, verify and size must return a value or throw a FreestandError — never another exception, never hang
 * (every loop in the reader is bounded by the file's size), never allocate beyond the file's size.
 */

test("fuzz: truncated and mutated ELFs give a value or a FreestandError, in bounded memory", { skip: needs.gcc() ?? needs.arm() ?? needs.ppc(), timeout: 600_000 }, () => {
  const seeds = [elf.freestanding(), elf.helloDynamic(), elf.object(), elf.cortexM(), elf.powerpc(), elf.pvh(true), elf.sharedLib()];
  const perSeed = 1500;
  const random = rng(0x5eed);
  let tried = 0;
  let values = 0;
  let errors = 0;
  let peakRss = 0;
  const unexpected: string[] = [];
  const messages = new Set<string>();
  for (const file of seeds) {
    const seed = readFileSync(file);
    for (const v of variants(seed, random, perSeed)) {
      tried++;
      try {
        exercise(v);
        values++;
      } catch (err) {
        if (err instanceof FreestandError) {
          errors++;
          // One sentence: no line breaks, ends with a full stop.
          if (err.message.includes("\n") || !err.message.endsWith(".")) unexpected.push(`not one sentence: ${err.message}`);
          messages.add(err.message.replace(/\d+/g, "N"));
        } else {
          unexpected.push(`${path.basename(file)} variant ${tried}: ${(err as Error)?.stack ?? err}`);
        }
      }
      if (tried % 500 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (process.env.FREESTAND_FUZZ_MESSAGES) for (const m of messages) console.log(m);
  console.log(`fuzz: tried ${tried} variants of ${seeds.length} ELFs: ${values} read, ${errors} rejected with a FreestandError (${messages.size} distinct messages), ${unexpected.length} unexpected; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  assert.deepEqual(unexpected.slice(0, 5), []);
  assert.ok(tried >= 10_000);
  assert.ok(values > 0 && errors > 0, "the variants should include both readable and rejected files");
  // The seeds are a few kilobytes; a reader that trusted a corrupt count would allocate gigabytes.
  assert.ok(peakRss < 1.5 * 2 ** 30, `peak RSS ${peakRss}`);
});
