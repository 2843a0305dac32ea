import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { genericGroupName, sizeReport } from "../../src/elf/size.js";
import { runCli, sh } from "../support/cli.js";
import { missing } from "./build-helpers.js";
import { cortexMTarget, elf, needs } from "./fixtures.js";

/** `freestand size` against binutils' `size -A` (sections) and `size` (the Berkeley line) on the same files. */

function binutilsSize(tool: string, file: string): { sections: [string, number, number][]; berkeley: number[] } {
  const a = sh(tool, ["-A", file]);
  assert.equal(a.code, 0, a.stderr);
  const sections = a.stdout
    .split("\n")
    .slice(2)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 3 && f[0] !== "Total" && /^\d+$/.test(f[1]!))
    .map((f) => [f[0]!, Number(f[1]), Number(f[2])] as [string, number, number]);
  const b = sh(tool, [file]).stdout.split("\n")[1]!.trim().split(/\s+/);
  return { sections, berkeley: b.slice(0, 4).map(Number) };
}

const corpus: [string, () => string, string, () => string | undefined][] = [
  ["freestanding static", elf.freestanding, "size", needs.gcc],
  ["dynamic C program", elf.helloDynamic, "size", needs.gcc],
  ["static glibc program", elf.helloStatic, "size", needs.gcc],
  ["object file", elf.object, "size", needs.gcc],
  ["shared library", elf.sharedLib, "size", needs.gcc],
  ["Rust host binary", () => elf.rustEntry(true), "size", needs.cargo],
  ["Cortex-M image", () => elf.cortexM(), "arm-none-eabi-size", needs.arm],
  ["big-endian PowerPC", elf.powerpc, "powerpc-linux-gnu-size", needs.ppc],
];

for (const [what, build, tool, need] of corpus) {
  test(`size matches ${tool} -A and the Berkeley line: ${what}`, { skip: need() ?? missing(tool) }, async () => {
    const file = build();
    const ours = await sizeReport(file, { top: 0 });
    const theirs = binutilsSize(tool, file);
    assert.deepEqual(
      ours.sections.map((s) => [s.name, s.size, s.address]),
      theirs.sections,
    );
    assert.deepEqual([ours.berkeley.text, ours.berkeley.data, ours.berkeley.bss, ours.berkeley.dec], theirs.berkeley);
  });
}

test("flash and RAM against the Cortex-M memory map", { skip: needs.arm() }, async () => {
  const r = await sizeReport(elf.cortexM(), { target: cortexMTarget });
  const sec = (n: string) => r.sections.find((s) => s.name === n)!.size;
  // Flash: vector table + text (+ rodata if any) + the load image of .data; RAM: data + bss + the target's stack.
  const rodata = r.sections.find((s) => s.name === ".rodata")?.size ?? 0;
  assert.equal(r.flash, sec(".vector_table") + sec(".text") + rodata + sec(".data"));
  assert.equal(r.ram, sec(".data") + sec(".bss") + cortexMTarget.stackSize);
  const flash = r.regions.find((x) => x.kind === "flash")!;
  const ram = r.regions.find((x) => x.kind === "ram")!;
  assert.equal(flash.used, r.flash);
  assert.equal(ram.used, r.ram);
  // The largest symbols of the image we wrote: the zeroed array (64 bytes) comes first.
  assert.equal(r.symbols[0]!.name, "zeros");
  assert.equal(r.symbols[0]!.size, 64);
});

test("generic instantiations collapse under --group", () => {
  assert.equal(genericGroupName("core::ptr::drop_in_place<alloc::string::String>"), "core::ptr::drop_in_place<…>");
  assert.equal(genericGroupName("core::ptr::drop_in_place::<u8>"), "core::ptr::drop_in_place::<…>");
  assert.equal(genericGroupName("<alloc::vec::Vec<T> as core::ops::Drop>::drop"), "<alloc::vec::Vec<…> as core::ops::Drop>::drop");
  assert.equal(genericGroupName("foo::<fn() -> u8>"), "foo::<…>");
  assert.equal(genericGroupName("main"), "main");
});

function rustcDriver(): string | undefined {
  const toolchains = path.join(os.homedir(), ".rustup", "toolchains");
  try {
    for (const tc of readdirSync(toolchains).filter((t) => t.startsWith("stable-"))) {
      const so = readdirSync(path.join(toolchains, tc, "lib")).find((f) => f.startsWith("librustc_driver-") && f.endsWith(".so"));
      if (so) return path.join(toolchains, tc, "lib", so);
    }
  } catch {
    // no rustup
  }
  return undefined;
}

test("largest symbols of a large Rust library, demangled, and grouped", { skip: rustcDriver() ? undefined : "needs a rustup stable toolchain (librustc_driver)" }, async () => {
  const file = rustcDriver()!;
  const plain = await sizeReport(file, { top: 20 });
  assert.equal(plain.symbols.length, 20);
  assert.ok(plain.symbols.every((s, i) => i === 0 || plain.symbols[i - 1]!.size >= s.size), "sorted by size");
  assert.ok(plain.symbols.some((s) => s.mangled.startsWith("_R") && s.name.includes("::")), "demangled v0 names");
  const grouped = await sizeReport(file, { top: 50, group: true });
  assert.ok(grouped.symbols.some((s) => s.count > 1 && s.name.includes("<…>")), "some group collapses several instantiations");
});

test("CLI: human table, --format json, and exit 2 for a file that is not an ELF", { skip: needs.arm() }, () => {
  const human = runCli(["size", elf.cortexM()]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^Section\s+Address\s+Size \(bytes\)$/m);
  assert.match(human.stdout, /^Loaded total\s+\d+$/m);
  // Only what is loaded counts: symbol tables and debug info are said apart, in the file only.
  assert.match(human.stdout, /^Not loaded: \d+ sections?, \d+ bytes .*not in flash or RAM$/m);
  assert.match(human.stdout, /^Size \(bytes\)\s+Kind\s+Symbol$/m);
  assert.match(human.stdout, /text\s+data\s+bss\s+dec\s+hex\s+filename/);
  const json = runCli(["size", elf.cortexM(), "--format", "json", "--top", "3"]);
  assert.equal(json.code, 0, json.stderr);
  const r = JSON.parse(json.stdout);
  assert.equal(r.command, "size");
  assert.equal(r.symbols.length, 3);
  assert.ok(r.berkeley.text > 0);
  const bad = runCli(["size", "/etc/hostname"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: \/etc\/hostname is not an ELF file/);
});
