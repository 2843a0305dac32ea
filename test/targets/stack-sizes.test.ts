import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { runCli, tempDir } from "../support/cli.js";
import { withElf } from "../../src/elf/reader.js";
import { stackOfOpened } from "../../src/elf/stack/index.js";
import { crateDirFor, elfPath, notReadyReason, QEMU_TARGETS } from "./support.js";

/**
 * The frames `freestand stack` reads from the machine code agree with the compiler's own: the template crate of
 * every bare-metal target, built in debug and release with `-Z emit-stack-sizes` (LLVM's `.stack_sizes` section: each
 * function's address and frame), through RUSTC_BOOTSTRAP on the stable compiler — the same compiler and sysroot
 * freestand builds with, so no second toolchain is involved. Every function both report has the same frame.
 */
describe("frames agree with -Z emit-stack-sizes", () => {
  const tmp = tempDir("freestand-stack-sizes-");
  after(tmp.cleanup);
  for (const target of QEMU_TARGETS) {
    test(target.id, async (t) => {
      const skip = notReadyReason(target);
      if (skip) return t.skip(skip);
      const crate = crateDirFor(tmp.dir, target);
      assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none"]).code, 0);
      for (const profile of ["debug", "release"] as const) {
        // --config appends to the target's rustflags in .cargo/config.toml (RUSTFLAGS would replace them).
        const flags = ["--config", `target.${target.triple}.rustflags=["-Zemit-stack-sizes"]`, ...(profile === "release" ? ["--release"] : [])];
        const r = runCli(["build", crate, ...flags], { env: { ...process.env, RUSTC_BOOTSTRAP: "1" } });
        assert.equal(r.code, 0, r.stderr);
        await compare(t, elfPath(crate, target.triple, profile), profile);
      }
    });
  }
});

/** Compares our frames with the ELF's .stack_sizes on every function both name. */
async function compare(t: { diagnostic: (s: string) => void }, elf: string, profile: string): Promise<void> {
  const { compared, different } = await withElf(elf, (f) => {
    const section = f.section(".stack_sizes");
    assert.ok(section, "the linker kept .stack_sizes");
    const llvm = stackSizes(f.sectionData(section), f.header.class === 64);
    const ours = stackOfOpened(f, elf, { top: Infinity }).largestFrames;
    const both = ours.filter((o) => llvm.has(BigInt(o.address)));
    return { compared: both.length, different: both.filter((o) => llvm.get(BigInt(o.address)) !== o.frame).map((o) => `${o.function}: ours ${o.frame}, LLVM's ${llvm.get(BigInt(o.address))}`) };
  });
  t.diagnostic(`${profile}: ${compared} functions compared`);
  assert.ok(compared >= 30, `only ${compared} functions in both`);
  assert.deepEqual(different, [], profile);
}

/** `.stack_sizes`: for each function, its address (a word; Thumb's without bit 0 set) and its frame as ULEB128. */
function stackSizes(data: Buffer, is64: boolean): Map<bigint, number> {
  const out = new Map<bigint, number>();
  let at = 0;
  while (at + (is64 ? 8 : 4) <= data.length) {
    const address = is64 ? data.readBigUInt64LE(at) : BigInt(data.readUInt32LE(at));
    at += is64 ? 8 : 4;
    let size = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = data[at++] ?? 0;
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80 && at < data.length);
    // Functions the linker dropped keep an entry at address 0.
    if (address !== 0n) out.set(address & ~1n, size);
  }
  return out;
}
