import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { FreestandError } from "../../src/errors.js";
import { demangle } from "../../src/elf/demangle.js";
import { ElfFile } from "../../src/elf/reader.js";
import { sizeOfOpened } from "../../src/elf/size.js";
import { verifyOpened } from "../../src/elf/verify/index.js";
import { cortexMTarget, elf, needs, x86NoneTarget } from "./fixtures.js";

/**
 * Thousands of truncated and byte-mutated variants of real ELFs (seeded, so a failure is repeatable): for each one
 * the reader, verify and size must return a value or throw a FreestandError — never another exception, never hang
 * (every loop in the reader is bounded by the file's size), never allocate beyond the file's size.
 */

/** mulberry32: a small seeded PRNG, enough to make the variants repeatable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Everything a command could ask of the file. */
function exercise(bytes: Buffer): void {
  const e = ElfFile.fromBytes(bytes, "variant");
  void e.programHeaders;
  void e.sections;
  for (const kind of ["symtab", "dynsym"] as const) for (const s of e.symbols(kind)) demangle(s.name);
  for (const d of e.dynamicEntries()) if (d.tag === 1n) e.dynamicString(d.value);
  e.notes();
  e.segmentNotes();
  e.interpreter();
  verifyOpened(e, "/variant", {});
  verifyOpened(e, "/variant", { target: cortexMTarget });
  verifyOpened(e, "/variant", { target: x86NoneTarget });
  sizeOfOpened(e, "/variant", { top: 5, group: true, target: cortexMTarget });
}

/** Header fields worth hitting with extreme values: offsets, counts, entry sizes, string index. */
function headerFieldOffsets(is64: boolean): [number, number][] {
  return is64
    ? [[32, 8], [40, 8], [54, 2], [56, 2], [58, 2], [60, 2], [62, 2], [24, 8]]
    : [[28, 4], [32, 4], [42, 2], [44, 2], [46, 2], [48, 2], [50, 2], [24, 4]];
}

function* variants(seed: Buffer, random: () => number, count: number): Generator<Buffer> {
  const is64 = seed[4] === 2;
  for (let i = 0; i < count; i++) {
    const kind = i % 4;
    if (kind === 0) {
      // Truncation: everywhere, but often inside the headers where the structure is.
      const cut = random() < 0.5 ? Math.floor(random() * Math.min(seed.length, 256)) : Math.floor(random() * seed.length);
      yield seed.subarray(0, cut);
      continue;
    }
    const v = Buffer.from(seed);
    if (kind === 1) {
      // A few random bytes anywhere.
      const n = 1 + Math.floor(random() * 8);
      for (let j = 0; j < n; j++) v[Math.floor(random() * v.length)] = Math.floor(random() * 256);
    } else if (kind === 2) {
      // A header field set to an extreme or random value.
      const fields = headerFieldOffsets(is64);
      const [at, width] = fields[Math.floor(random() * fields.length)]!;
      const extreme = [0, 1, 0xff, 0xffff, 0xffffffff, Math.floor(random() * 2 ** 32)][Math.floor(random() * 6)]!;
      for (let b = 0; b < width; b++) v[at + b] = b < 4 ? (extreme >>> (8 * b)) & 0xff : random() < 0.5 ? 0 : 0xff;
    } else {
      // Bytes inside the section header table or the program headers (sizes, offsets, links of real entries).
      const shoff = Number(is64 ? v.readBigUInt64LE(40) : v.readUInt32LE(32));
      const base = random() < 0.5 && shoff > 0 && shoff < v.length ? shoff : is64 ? 64 : 52;
      const n = 1 + Math.floor(random() * 4);
      for (let j = 0; j < n; j++) {
        const at = base + Math.floor(random() * Math.min(512, v.length - base));
        if (at < v.length) v[at] = Math.floor(random() * 256);
      }
    }
    yield v;
  }
}

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
