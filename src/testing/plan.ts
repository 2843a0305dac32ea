/**
 * The plan a test binary reads at start-up: which mode, from which test, which tests. The harness
 * (templates/testing/src/testing.rs) keeps it in the static `FREESTAND_TEST_PLAN`, in the file's loaded data;
 * freestand writes a copy of the binary with those bytes changed. The same mechanism for every target: a
 * bare-metal program has no command line, and QEMU's ways of passing one differ from board to board.
 */
import { promises as fsp } from "node:fs";
import { withElf } from "../elf/reader.js";
import { FreestandError } from "../errors.js";

export const PLAN_SYMBOL = "FREESTAND_TEST_PLAN";
const MAGIC = Buffer.from("FSTPLAN1", "latin1");
/** Tests one plan can select (one bit each after the 16-byte head). */
export const MAX_TESTS = 2048;
const PLAN_SIZE = 16 + MAX_TESTS / 8;

export type Plan = { mode: "list" } | { mode: "run"; start: number; selected: ReadonlySet<number> };

/** The plan's bytes, as testing.rs reads them. */
export function encodePlan(plan: Plan): Buffer {
  const out = Buffer.alloc(PLAN_SIZE);
  MAGIC.copy(out, 0);
  out[8] = plan.mode === "list" ? 1 : 2;
  if (plan.mode === "run") {
    out.writeUInt32LE(plan.start, 12);
    for (const p of plan.selected) {
      if (p >= MAX_TESTS) throw new FreestandError(`a test binary can have at most ${MAX_TESTS} tests for freestand test to run them one by one.`);
      out[16 + (p >> 3)]! |= 1 << (p & 7);
    }
  }
  return out;
}

/** Where the plan's bytes are in the file, checked by their magic; a binary without the harness is refused. */
export async function planOffset(elf: string): Promise<number> {
  return withElf(elf, (f) => {
    const sym = f.findSymbols(PLAN_SYMBOL)[0];
    if (!sym) {
      const stripped = !f.symbolTableSection("symtab");
      throw new FreestandError(
        stripped
          ? `${elf} has no symbol table (stripped): freestand test finds the test plan by its symbol; do not strip test builds.`
          : `${elf} has no \`${PLAN_SYMBOL}\`: the crate does not use freestand's test harness (src/testing.rs of a \`freestand new\` crate; see docs/testing.md).`,
      );
    }
    const sec = f.sections[sym.shndx];
    if (!sec || sym.value < sec.addr || sym.value + BigInt(PLAN_SIZE) > sec.addr + sec.size) throw new FreestandError(`${elf}: \`${PLAN_SYMBOL}\` is not inside a section of the file.`);
    const offset = Number(sec.offset + (sym.value - sec.addr));
    const bytes = f.readRange(BigInt(offset), BigInt(MAGIC.length), PLAN_SYMBOL);
    if (!bytes.equals(MAGIC)) throw new FreestandError(`${elf}: \`${PLAN_SYMBOL}\` does not start with its magic bytes; the harness and freestand disagree on its layout.`);
    return offset;
  });
}

/** Writes `elf` with `plan` in place to `out` (executable, for the host). */
export async function writePlannedCopy(elf: string, offset: number, plan: Plan, out: string): Promise<void> {
  const bytes = await fsp.readFile(elf);
  encodePlan(plan).copy(bytes, offset);
  await fsp.writeFile(out, bytes, { mode: 0o755 });
}
