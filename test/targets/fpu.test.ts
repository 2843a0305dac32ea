import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, tempDir } from "../support/cli.js";
import { requireTarget } from "../../src/targets/catalog.js";
import { notReadyReason } from "./support.js";

// The Cortex-M4F template turns the FPU on at reset. Proof that the lines matter: without them the float
// formatting in `main` faults, and the template's fault handler reports it and stops QEMU with exit code 1.
describe("thumbv7em-none-eabihf: the FPU must be enabled at boot", () => {
  const target = requireTarget("thumbv7em-none-eabihf");
  const skip = notReadyReason(target);
  const tmp = tempDir("freestand-fpu-");
  after(tmp.cleanup);

  test("without the CPACR write, the first float instruction faults", (t) => {
    if (skip) return t.skip(skip);
    const crate = path.join(tmp.dir, "no-fpu");
    assert.equal(runCli(["new", crate, "--target", target.id, "--yes"]).code, 0);
    const boot = path.join(crate, "src", "boot.rs");
    const src = readFileSync(boot, "utf8");
    const without = src.replace(/^ {4}"\s+ldr r0, =0xe000ed88",[\s\S]*?"\s+isb",[^\n]*\n/m, "");
    assert.notEqual(without, src, "the FPU-enable lines are in the template");
    writeFileSync(boot, without);
    const r = runCli(["run", crate]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^Hello from no-fpu, .*\nThe answer is 42, and 22\/7 is about HardFault \(a coprocessor instruction with the coprocessor off, CFSR 0x00080000\): stopping\n$/);
    // QEMU's remark about the board's unconnected network chip is not the program's output.
    assert.doesNotMatch(r.stderr, /has no peer/);
  });
});
