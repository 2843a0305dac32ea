import assert from "node:assert/strict";
import { truncateSync, copyFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import type { Diagnostic } from "../../src/diagnostics/types.js";
import { requireTarget } from "../../src/targets/catalog.js";
import type { TargetInfo } from "../../src/targets/types.js";
import { VERIFY_CODES, verifyElf } from "../../src/elf/verify/index.js";
import { runCli } from "../support/cli.js";
import { cortexMTarget, elf, needs, scratch, x86NoneTarget } from "./fixtures.js";
import { assertValidSarif } from "../support/sarif.js";

/**
 * Every verify check against one binary that passes it and one that fails it, each really built
 * (test/elf/fixtures.ts says how).
 */

const host = requireTarget("host");

interface Case {
  code: string;
  what: string;
  build: () => string;
  target?: TargetInfo;
  /** Expected severity of the finding; undefined means the check must find nothing. */
  expect?: Diagnostic["severity"];
  skip?: () => string | undefined;
}

const gcc = needs.gcc;
const arm = needs.arm;

const cases: Case[] = [
  { code: "verify_file_type", what: "static executable", build: elf.freestanding, target: host, skip: gcc },
  { code: "verify_file_type", what: "object file", build: elf.object, expect: "error", skip: gcc },
  { code: "verify_file_type", what: "shared library", build: elf.sharedLib, expect: "error", skip: gcc },
  { code: "verify_file_type", what: "static-PIE with relocations on the host", build: elf.staticPie, target: host, expect: "error", skip: gcc },
  { code: "verify_file_type", what: "static-PIE without a target", build: elf.staticPie, expect: "warning", skip: gcc },
  { code: "verify_interpreter", what: "static executable", build: elf.freestanding, skip: gcc },
  { code: "verify_interpreter", what: "dynamic C program", build: elf.helloDynamic, expect: "error", skip: gcc },
  { code: "verify_dynamic_library", what: "static executable", build: elf.freestanding, skip: gcc },
  { code: "verify_dynamic_library", what: "dynamic C program", build: elf.helloDynamic, expect: "error", skip: gcc },
  { code: "verify_entry_point", what: "Rust `_start` with no_mangle", build: () => elf.rustEntry(true), target: host, skip: needs.cargo },
  { code: "verify_entry_point", what: "Rust `_start` without no_mangle (entry 0)", build: () => elf.rustEntry(false), target: host, expect: "error", skip: needs.cargo },
  { code: "verify_entry_point", what: "C entry named `begin` (GNU ld falls back to .text)", build: elf.noStart, target: host, expect: "error", skip: gcc },
  { code: "verify_entry_point", what: "Cortex-M `Reset` (Thumb bit)", build: () => elf.cortexM(), target: cortexMTarget, skip: arm },
  { code: "verify_undefined_symbol", what: "static executable", build: elf.freestanding, skip: gcc },
  { code: "verify_undefined_symbol", what: "symbol left to a shared library", build: elf.undefinedSymbol, expect: "error", skip: gcc },
  { code: "verify_undefined_symbol", what: "weak symbol nothing defines", build: elf.weakUndefined, expect: "warning", skip: gcc },
  { code: "verify_libc_symbol", what: "static executable", build: elf.freestanding, skip: gcc },
  { code: "verify_libc_symbol", what: "memcpy from the dynamic libc", build: elf.libcMemcpy, expect: "error", skip: gcc },
  { code: "verify_libc_symbol", what: "glibc linked statically", build: elf.helloStatic, expect: "warning", skip: gcc },
  { code: "verify_writable_executable", what: "separate segments", build: elf.freestanding, skip: gcc },
  { code: "verify_writable_executable", what: "linked with -N", build: elf.rwx, target: host, expect: "error", skip: gcc },
  { code: "verify_executable_stack", what: "non-executable stack", build: elf.freestanding, skip: gcc },
  { code: "verify_executable_stack", what: "-z execstack", build: elf.execStack, expect: "error", skip: gcc },
  { code: "verify_machine", what: "ARM image for a Cortex-M target", build: () => elf.cortexM(), target: cortexMTarget, skip: arm },
  { code: "verify_machine", what: "ARM image for the host", build: () => elf.cortexM(), target: host, expect: "error", skip: arm },
  { code: "verify_machine", what: "big-endian PowerPC for the host", build: elf.powerpc, target: host, expect: "error", skip: needs.ppc },
  { code: "verify_memory_region", what: "RAM at 0x2000_0000", build: () => elf.cortexM(), target: cortexMTarget, skip: arm },
  { code: "verify_memory_region", what: "RAM linked at 0x1000_0000", build: () => elf.cortexM("ram-elsewhere"), target: cortexMTarget, expect: "error", skip: arm },
  { code: "verify_memory_overflow", what: "64 bytes of .bss", build: () => elf.cortexM(), target: cortexMTarget, skip: arm },
  { code: "verify_memory_overflow", what: "80 KB of .bss in 64 KiB of RAM", build: () => elf.cortexM("big-bss"), target: cortexMTarget, expect: "error", skip: arm },
  { code: "verify_vector_table", what: "vector table at 0", build: () => elf.cortexM(), target: cortexMTarget, skip: arm },
  { code: "verify_vector_table", what: "vector table after the code", build: () => elf.cortexM("vector-misplaced"), target: cortexMTarget, expect: "error", skip: arm },
  { code: "verify_pvh_note", what: "kernel with the PVH note", build: () => elf.pvh(true), target: x86NoneTarget, skip: gcc },
  { code: "verify_pvh_note", what: "kernel without it", build: () => elf.pvh(false), target: x86NoneTarget, expect: "error", skip: gcc },
  { code: "verify_stack_bound", what: "Cortex-M program whose every path fits its 4 KiB stack", build: () => elf.cortexM("stack-region"), target: cortexMTarget, skip: arm },
  { code: "verify_stack_bound", what: "Cortex-M program calling an 8 KiB frame with a 4 KiB stack", build: () => elf.cortexM("big-frame"), target: cortexMTarget, expect: "warning", skip: arm },
];

for (const c of cases) {
  const verdict = c.expect ? `fails with ${c.expect}` : "passes";
  test(`${c.code}: ${c.what} ${verdict}${c.target ? ` (target ${c.target.id})` : ""}`, { skip: c.skip?.() }, async () => {
    const file = c.build();
    const { diagnostics } = await verifyElf(file, { target: c.target });
    const found = diagnostics.filter((d) => d.code === c.code);
    if (!c.expect) {
      assert.deepEqual(found, [], `expected no ${c.code} finding`);
    } else {
      assert.ok(found.length > 0, `expected a ${c.code} finding, got: ${diagnostics.map((d) => d.code).join(", ") || "none"}`);
      assert.ok(found.some((d) => d.severity === c.expect), `expected severity ${c.expect}, got ${found.map((d) => d.severity).join(", ")}`);
      for (const d of found) {
        assert.equal(d.file, path.resolve(file));
        assert.ok(d.message.length > 10 && !d.message.endsWith("."), `message reads like rustc's: ${d.message}`);
      }
    }
  });
}

test("every verify code has a passing and a failing case above", () => {
  for (const d of VERIFY_CODES) {
    assert.ok(cases.some((c) => c.code === d.code && !c.expect), `${d.code} lacks a passing case`);
    assert.ok(cases.some((c) => c.code === d.code && c.expect), `${d.code} lacks a failing case`);
  }
});

test("good binaries pass verify as a whole", { skip: gcc() ?? arm() }, async () => {
  for (const [file, target] of [
    [elf.freestanding(), host],
    [elf.cortexM(), cortexMTarget],
    [elf.pvh(true), x86NoneTarget],
  ] as const) {
    const { diagnostics } = await verifyElf(file, { target });
    assert.deepEqual(diagnostics, [], `${path.basename(file)} for ${target.id}`);
  }
});

test("the entry-point finding names the mangled `_start` when no_mangle was forgotten and the function survived", { skip: gcc() }, async () => {
  // `--entry begin` on a binary whose entry really is `begin` passes; asking for `_start` fails.
  const file = elf.noStart();
  assert.deepEqual((await verifyElf(file, { entry: "begin" })).diagnostics.filter((d) => d.code === "verify_entry_point"), []);
  const bad = (await verifyElf(file, { entry: "_start" })).diagnostics.find((d) => d.code === "verify_entry_point");
  assert.ok(bad && /no `_start` symbol/.test(bad.message), bad?.message);
});

test("CLI: exit codes 0 / 1 / 2 and the three output formats", { skip: gcc() }, () => {
  const ok = runCli(["verify", elf.freestanding(), "--target", "host"]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /no problems found/);
  assert.match(ok.stdout, /freestanding$/m);

  const bad = runCli(["verify", elf.helloDynamic()]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /^error\[verify_interpreter\]: /m);

  const json = runCli(["verify", elf.helloDynamic(), "--format", "json"]);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout);
  assert.equal(report.command, "verify");
  assert.equal(report.facts.machine, "x86_64");
  assert.ok(report.diagnostics.some((d: { code: string }) => d.code === "verify_dynamic_library"));

  const sarifText = runCli(["verify", elf.helloDynamic(), "--format", "sarif"]).stdout;
  assertValidSarif(sarifText);
  const sarif = JSON.parse(sarifText);
  const rules = sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
  assert.ok(rules.includes("verify_interpreter"), `SARIF rules: ${rules}`);

  const weak = runCli(["verify", elf.weakUndefined(), "--deny", "warnings"]);
  assert.equal(weak.code, 1);
});

test("CLI: a file that is not an ELF, or a truncated one, is one sentence and exit 2", { skip: gcc() }, () => {
  const dir = scratch("cli-bad");
  const text = path.join(dir, "notes.txt");
  writeFileSync(text, "just some text, not an executable\n");
  const r1 = runCli(["verify", text]);
  assert.equal(r1.code, 2);
  assert.match(r1.stderr, /^error: .*notes\.txt is not an ELF file: .*\.\n$/);

  const cut = path.join(dir, "cut");
  copyFileSync(elf.freestanding(), cut);
  truncateSync(cut, 200);
  const r2 = runCli(["verify", cut]);
  assert.equal(r2.code, 2);
  assert.equal(r2.stderr.trim().split("\n").length, 1, r2.stderr);
  assert.match(r2.stderr, /truncated/);

  const r3 = runCli(["verify", path.join(dir, "missing")]);
  assert.equal(r3.code, 2);
  assert.match(r3.stderr, /does not exist/);

  const r4 = runCli(["verify", elf.freestanding(), "--target", "no-such-target"]);
  assert.equal(r4.code, 2);
});

