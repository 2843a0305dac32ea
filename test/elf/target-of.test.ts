/**
 * The target comes from the ELF itself, never from its path: each catalogue target's real binary, copied to a
 * directory that says nothing, keeps its target, its `verify` verdict and its `size` bars; Arm images built for
 * other cores (ARMv6-M, ARMv7E-M soft-float) are told apart by their build attributes instead of being taken
 * for the catalogue's Cortex-M3.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, tempDir } from "../support/cli.js";
import { notReadyReason } from "../targets/support.js";
import { TARGETS } from "../../src/targets/catalog.js";
import { withElf } from "../../src/elf/reader.js";
import { inferElfTarget } from "../../src/elf/target-of.js";
import { armArchitecture, readBuildAttributes, riscvArchString } from "../../src/elf/attributes.js";
import { compile, FIXTURES, missing } from "./build-helpers.js";

const tmp = tempDir("freestand-elf-target-");
after(tmp.cleanup);
const nowhere = path.join(tmp.dir, "copies");
mkdirSync(nowhere);

/** `verify` and `size` as a user runs them from a directory with no crate. */
function inspect(file: string) {
  const verify = runCli(["verify", file], { cwd: nowhere });
  const size = runCli(["size", file], { cwd: nowhere });
  const bars = size.stdout.split("\n").filter((l) => /% of /.test(l));
  return { verify: verify.stdout.replace(/^.*?: /m, "").split("\n").filter(Boolean).pop(), code: verify.code, bars };
}

for (const target of TARGETS) {
  test(`${target.id}: a copied binary keeps its target, verdict and memory bars`, async (t) => {
    const why = notReadyReason(target);
    if (why) return t.skip(why);
    const crate = path.join(tmp.dir, target.id.replace(/[^a-z0-9]/g, "_"));
    assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none"]).code, 0);
    assert.equal(runCli(["build", crate]).code, 0);
    const built = path.join(crate, "target", target.triple, "debug", path.basename(crate));
    const copy = path.join(nowhere, `firmware-${target.id}.bin`);
    copyFileSync(built, copy);
    const inferred = await withElf(copy, (elf) => inferElfTarget(elf));
    assert.equal(inferred.target?.id, target.id, `inferred from the file (${inferred.described})`);
    const original = inspect(built);
    const copied = inspect(copy);
    assert.equal(copied.code, 0);
    assert.equal(copied.verify, original.verify);
    assert.match(copied.verify ?? "", new RegExp(`target ${target.id} — freestanding$`));
    assert.deepEqual(copied.bars, original.bars);
    if (target.memory.length > 0) assert.ok(copied.bars.length > 0, "the memory bars are drawn");
  });
}

const CORES: { name: string; flags: string[]; arch: string; target: string | undefined }[] = [
  { name: "Cortex-M0 (ARMv6-M)", flags: ["-mcpu=cortex-m0"], arch: "ARMv6S-M", target: "thumbv6m-none-eabi" },
  { name: "Cortex-M3 (ARMv7-M)", flags: ["-mcpu=cortex-m3"], arch: "ARMv7", target: "thumbv7m-none-eabi" },
  { name: "Cortex-M4 soft-float (ARMv7E-M)", flags: ["-mcpu=cortex-m4", "-mfloat-abi=soft"], arch: "ARMv7E-M", target: undefined },
  { name: "Cortex-M4F hard-float", flags: ["-mcpu=cortex-m4", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"], arch: "ARMv7E-M", target: "thumbv7em-none-eabihf" },
  { name: "Cortex-M33 hard-float (ARMv8-M Mainline)", flags: ["-mcpu=cortex-m33", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"], arch: "ARMv8-M.mainline", target: "thumbv8m.main-none-eabihf" },
];

/** The fixture's linker script keeps the build attributes here (it discards them, as some real scripts do). */
function scriptKeepingAttributes(): string {
  const file = path.join(tmp.dir, "keep-attributes.ld");
  writeFileSync(file, readFileSync(path.join(FIXTURES, "c", "cortex-m.ld"), "utf8").replace(" *(.ARM.attributes)", ""));
  return file;
}

for (const core of CORES) {
  test(`Arm build attributes tell a ${core.name} image apart`, { skip: missing("arm-none-eabi-gcc") }, async () => {
    const file = compile("arm-none-eabi-gcc", ["cortex-m.c"], `attrs-${core.flags.join("").replace(/[^a-z0-9]/g, "")}.elf`, [
      ...core.flags,
      "-mthumb",
      "-O1",
      "-nostdlib",
      "-nostartfiles",
      "-T",
      scriptKeepingAttributes(),
      "-Wl,--defsym=RAM_START=0x20000000",
    ]);
    await withElf(file, (elf) => {
      assert.equal(armArchitecture(readBuildAttributes(elf, ".ARM.attributes"))?.arch, core.arch);
      const r = inferElfTarget(elf);
      assert.equal(r.target?.id, core.target, `${r.described}: ${r.candidates.map((c) => c.id).join(", ")}`);
    });
    if (!core.target) {
      // No catalogue target fits: verify runs the checks that need none, and says so.
      const v = runCli(["verify", file], { cwd: nowhere });
      assert.match(v.stdout, /no target of the catalogue matches: only the checks that need no target ran \(pass --target\)/);
    }
  });
}

test("the RISC-V ISA string and float ABI come from the file", async (t) => {
  const target = TARGETS.find((x) => x.id === "riscv32imac-unknown-none-elf")!;
  const why = notReadyReason(target);
  if (why) return t.skip(why);
  const crate = path.join(tmp.dir, "rv");
  assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none"]).code, 0);
  assert.equal(runCli(["build", crate]).code, 0);
  await withElf(path.join(crate, "target", target.triple, "debug", "rv"), (elf) => {
    assert.match(riscvArchString(readBuildAttributes(elf, ".riscv.attributes")) ?? "", /^rv32i\d+p\d+_m\d+p\d+_a\d+p\d+_c\d+p\d+/);
    assert.match(inferElfTarget(elf).described, /soft-float/);
  });
});
