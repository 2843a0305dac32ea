/**
 * The variants the ELF fuzzing feeds the reader (test/elf/fuzz.test.ts: a seeded subset; bench/fuzz-elf.ts: at
 * least 200,000 with their time and memory counted), and what is asked of each.
 */
import { demangle } from "../../src/elf/demangle.js";
import { ElfFile } from "../../src/elf/reader.js";
import { sizeOfOpened } from "../../src/elf/size.js";
import { verifyOpened } from "../../src/elf/verify/index.js";
import { stackOfOpened } from "../../src/elf/stack/index.js";
import { cortexMTarget, x86NoneTarget } from "./fixtures.js";

/** Everything a command could ask of the file. */
export function exercise(bytes: Buffer): void {
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
  // Last: it refuses (a FreestandError) an architecture it does not read, or a file without symbols.
  stackOfOpened(e, "/variant", { top: 5 });
}

/** Header fields worth hitting with extreme values: offsets, counts, entry sizes, string index. */
function headerFieldOffsets(is64: boolean): [number, number][] {
  return is64
    ? [[32, 8], [40, 8], [54, 2], [56, 2], [58, 2], [60, 2], [62, 2], [24, 8]]
    : [[28, 4], [32, 4], [42, 2], [44, 2], [46, 2], [48, 2], [50, 2], [24, 4]];
}

export function* variants(seed: Buffer, random: () => number, count: number): Generator<Buffer> {
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

