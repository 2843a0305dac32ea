import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, runCli, sh, tempDir } from "../support/cli.js";
import { stackBound, type StackReport } from "../../src/elf/stack/index.js";
import { locateCore } from "../../src/toolchain/invocation.js";
import { findTarget } from "../../src/targets/catalog.js";
import { notReadyReason } from "../targets/support.js";
import { compile } from "./build-helpers.js";
import { elf as build, needs } from "./fixtures.js";

/**
 * The static bound on hand-written assembly with known frames, one program per instruction set
 * (test/fixtures/stack/*.s, linked by rustc with the real rust-lld): `_start` calls f1 (32 bytes), which calls f2
 * (48), which frees its frame and tail-calls f3 (64); it calls `rec`, which calls itself (16); and `viaptr` (16),
 * which calls through a register the pointer to `target` (4,000 bytes, written the way each architecture writes a
 * large frame) that a table in .rodata holds. So: frames as written; the direct worst path 32 + 64 (the tail call
 * runs on f1's depth, not on f2's frame); the estimate 16 + 4,000 through the pointer; the recursion named; and on
 * x86-64 each call's 8-byte return address on top.
 */
const FIXTURES = path.join(ROOT, "test", "fixtures", "stack");
const FRAMES = { f1: 32, f2: 48, f3: 64, rec: 16, viaptr: 16, target: 4000 };

const RISCV_PRELUDE = (xlen: 32 | 64) =>
  [".macro REG_S a, b", ` ${xlen === 32 ? "sw" : "sd"} \\a, \\b`, ".endm", ".macro REG_L a, b", ` ${xlen === 32 ? "lw" : "ld"} \\a, \\b`, ".endm", ".macro PTR a", ` ${xlen === 32 ? ".word" : ".dword"} \\a`, ".endm", ""].join("\n");

const PROGRAMS: { triple: string; source: string; prelude?: string; dynamic?: boolean }[] = [
  { triple: "thumbv6m-none-eabi", source: "thumbv6m.s" },
  { triple: "thumbv7em-none-eabihf", source: "thumbv7em.s" },
  { triple: "armv7a-none-eabi", source: "armv7a.s" },
  { triple: "riscv32imac-unknown-none-elf", source: "riscv.s", prelude: RISCV_PRELUDE(32) },
  { triple: "riscv64gc-unknown-none-elf", source: "riscv.s", prelude: RISCV_PRELUDE(64) },
  { triple: "aarch64-unknown-none", source: "aarch64.s", dynamic: true },
  { triple: "x86_64-unknown-none", source: "x86_64.s", dynamic: true },
  { triple: "loongarch64-unknown-none", source: "loongarch64.s" },
];

const tmp = tempDir("freestand-stack-bound-");
after(tmp.cleanup);

/** Links one fixture into an ELF with rustc (the sysroot freestand built for the target) and rust-lld. */
async function link(p: (typeof PROGRAMS)[number]): Promise<string> {
  const dir = path.join(tmp.dir, p.triple);
  sh("mkdir", ["-p", dir]);
  writeFileSync(path.join(dir, "fx.s"), (p.prelude ?? "") + readFileSync(path.join(FIXTURES, p.source), "utf8"));
  writeFileSync(
    path.join(dir, "fx.rs"),
    '#![no_std]\n#![no_main]\ncore::arch::global_asm!(include_str!("fx.s"), options(raw));\n#[panic_handler]\nfn panic(_: &core::panic::PanicInfo) -> ! {\n    loop {}\n}\n',
  );
  const { rustc, source } = await locateCore({ triple: p.triple, crateDir: dir });
  const sysroot = source.kind === "cached-sysroot" ? ["--sysroot", source.sysroot] : [];
  const out = path.join(dir, "fx.elf");
  const r = sh(rustc.path, ["--edition", "2021", "--target", p.triple, ...sysroot, "-C", "panic=abort", "-C", "relocation-model=static", "-o", out, path.join(dir, "fx.rs")]);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

const frameOf = (r: StackReport, name: string) => r.largestFrames.find((f) => f.function === name)?.frame;

describe("freestand stack on hand-written frames", () => {
  for (const p of PROGRAMS) {
    test(p.triple, async (t) => {
      const skip = notReadyReason(findTarget(p.triple)!);
      if (skip) return t.skip(skip);
      const elf = await link(p);
      const r = await stackBound(elf, { top: Infinity });
      for (const [name, frame] of Object.entries(FRAMES)) assert.equal(frameOf(r, name), frame, `${name}'s frame`);
      const ra = p.triple.startsWith("x86_64") ? 8 : 0;
      const [entry] = r.entries;
      assert.equal(r.entries.length, 1);
      assert.equal(entry!.function, "_start");
      // f1 + f3 (f2's tail call starts where f2 started), each call with its return address on x86-64.
      assert.equal(entry!.directBytes, ra + FRAMES.f1 + ra + FRAMES.f3);
      assert.equal(entry!.bytes, ra + FRAMES.viaptr + ra + FRAMES.target);
      assert.deepEqual(entry!.path.map((s) => [s.function, s.depth]), [["_start", 0], ["viaptr", ra], ["target", ra + FRAMES.viaptr + ra]]);
      assert.equal(entry!.complete, false);
      assert.deepEqual(r.indirectCalls.map((c) => [c.function, c.tail]), [["viaptr", false]]);
      assert.deepEqual(r.recursion, [["rec"]]);
      assert.deepEqual(r.unreadable.map((u) => u.function), p.dynamic ? ["dynamic"] : []);
      assert.deepEqual(r.unresolved, []);
      assert.equal(r.bound.bytes, entry!.bytes, "no exception handlers: the program's total is the entry's");
    });
  }
});

test("freestand stack prints the worst path, says why it is an estimate, and gives the same facts as JSON", async (t) => {
  const p = PROGRAMS[0]!;
  const skip = notReadyReason(findTarget(p.triple)!);
  if (skip) return t.skip(skip);
  const elf = await link(p);
  const human = runCli(["stack", elf]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^Entry _start: 4,016 bytes \(estimate\)$/m);
  assert.match(human.stdout, /^ {2}_start → viaptr → target: 4,016 bytes$/m);
  assert.match(human.stdout, /^ {2}on direct calls alone: 96 bytes$/m);
  assert.match(human.stdout, /^note: not a bound, an estimate: 1 call through a register \(in `viaptr`\) .*; 1 cycle in the calls .*: rec → rec$/m);
  assert.match(human.stdout, /^ {3}4,000 {2}target$/m);
  const json = runCli(["stack", elf, "--format", "json", "--top", "2"]);
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as StackReport & { command: string };
  assert.equal(report.command, "stack");
  assert.deepEqual(report.largestFrames.map((f) => [f.function, f.frame]), [["target", 4000], ["f3", 64]]);
  assert.equal(report.entries[0]!.bytes, 4016);
});

test("freestand stack refuses what it cannot read, in one sentence", (t) => {
  const skip = needs.gcc() ?? needs.ppc();
  if (skip) return t.skip(skip);
  const notElf = path.join(tmp.dir, "notes.txt");
  writeFileSync(notElf, "not an ELF file\n");
  const r = runCli(["stack", notElf]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.split("\n").length, 2, r.stderr);
  assert.match(r.stderr, /^error: .*notes\.txt/);
  // A PowerPC program (built by the real cross compiler): an architecture the bound does not read.
  const ppc = build.powerpc();
  const unknown = runCli(["stack", ppc]);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, `error: ${ppc} is PowerPC code: the stack bound reads Arm, AArch64, RISC-V, x86-64 and LoongArch machine code.\n`);
  // A stripped program: no symbols, no functions to bound.
  const stripped = compile("gcc", ["hello.c"], "hello-stripped", ["-O2", "-s"]);
  const none = runCli(["stack", stripped]);
  assert.equal(none.code, 2);
  assert.equal(none.stderr, `error: ${stripped} has no function symbols in its code (stripped?): the stack bound needs the symbol table.\n`);
});

test("freestand stack bounds a Cortex-M program gcc made: its reset handler's loop uses no stack", async (t) => {
  const skip = needs.arm();
  if (skip) return t.skip(skip);
  // test/fixtures/elf/c/cortex-m.c at -O1: a vector table of two words (stack pointer, Reset) and a loop.
  const r = await stackBound(build.cortexM());
  assert.deepEqual(r.entries.map((e) => [e.function, e.kind, e.bytes, e.complete]), [["Reset", "entry", 0, true]]);
  assert.deepEqual(r.bound, { bytes: 0, directBytes: 0, complete: true, exceptionFrame: 0 });
});
