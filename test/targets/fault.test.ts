import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { runCli, tempDir } from "../support/cli.js";
import { crateDirFor, editMain, notReadyReason, QEMU_TARGETS } from "./support.js";
import { BOARDS } from "../../src/targets/boards.js";

/**
 * A fault in a generated program says what happened and stops QEMU with exit 1, on every bare-metal target:
 * Cortex-M's vector table, RISC-V's mtvec, ARMv7-A's VBAR and AArch64's VBAR_EL1 tables and x86_64's IDT all lead
 * to a report; on every board too (the Raspberry Pi's boot code first leaves the EL3 QEMU starts it at).
 * Provoked here with the architecture's own undefined instruction right after the greeting.
 */
const UNDEFINED: Record<string, { asm: string; report: RegExp }> = {
  // By instruction set where one machine type has several (ARMv6-M has no fault status registers to name the
  // cause; ARMv7-A reports through its own vector table), else by the ELF's machine.
  "ARMv6-M": { asm: "udf #0", report: /^HardFault: stopping$/m },
  "ARMv7-A": { asm: "udf #0", report: /^exception: an undefined instruction at 0x[0-9a-f]+: stopping$/m },
  arm: { asm: "udf #0", report: /^HardFault \(an undefined instruction, CFSR 0x00010000\): stopping$/m },
  riscv: { asm: "unimp", report: /^trap: mcause 0x2 \(illegal instruction\) at 0x[0-9a-f]+, mtval 0x[0-9a-f]+: stopping$/m },
  aarch64: { asm: "udf #0", report: /^exception: class 0x0 \(unknown reason: an undefined instruction\), ESR 0x[0-9a-f]+, at 0x[0-9a-f]+, address 0x[0-9a-f]+: stopping$/m },
  // LoongArch has no mnemonic for it; all ones is no instruction.
  loongarch: { asm: ".word 0xffffffff", report: /^exception: code 0xd \(an instruction that does not exist\) at 0x[0-9a-f]+, address 0x[0-9a-f]+: stopping$/m },
  x86_64: { asm: "ud2", report: /^exception 6 \(#UD, invalid opcode\), error code 0x0, at 0x[0-9a-f]+: stopping$/m },
};

describe("a fault in the generated program is reported, and QEMU stops with exit 1", () => {
  const tmp = tempDir("freestand-fault-");
  after(tmp.cleanup);
  for (const target of [...QEMU_TARGETS, ...BOARDS]) {
    test(target.id, (t) => {
      const skip = notReadyReason(target);
      if (skip) return t.skip(skip);
      const how = UNDEFINED[target.isa] ?? UNDEFINED[target.elf.machine];
      assert.ok(how, `no undefined instruction known for ${target.elf.machine}`);
      const crate = crateDirFor(tmp.dir, target);
      const kind = target.board ? "--board" : "--target";
      assert.equal(runCli(["new", crate, kind, target.id, "--yes", "--vcs", "none"]).code, 0);
      editMain(crate, "    console::exit(0)\n}", `    // SAFETY: none: the point is to fault.\n    unsafe { core::arch::asm!("${how.asm}") };\n    console::exit(0)\n}`);
      const r = runCli(["run", crate], { timeoutMs: 120_000 });
      assert.equal(r.code, 1, r.stderr + r.stdout);
      assert.match(r.stdout + r.stderr, how.report);
    });
  }
});
