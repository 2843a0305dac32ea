import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { runCli, tempDir } from "../support/cli.js";
import { BOARDS } from "../../src/targets/boards.js";
import { crateDirFor, editMain, greeting, notReadyReason, QEMU_TARGETS } from "./support.js";

/**
 * `run --stack` on every target and board: a recursion of known depth, each frame holding a 64-byte array, is
 * measured at depths 4, 8 and 12 in a program without the float formatting (whose own depth would hide a
 * shallow recursion): the figure grows with the depth, by at least the arrays added once the recursion is the
 * deepest part. (A plain run says nothing of it: the boot tests compare its whole output.)
 */
const FRAME_BYTES = 64;
/** Depths d, 2d and 3d: each step adds d frames. */
const STEP = 4;

function setDepth(crate: string, from: number, to: number): void {
  editMain(crate, `const DEPTH: u32 = ${from};`, `const DEPTH: u32 = ${to};`);
}

describe("run --stack measures how deep the stack went", () => {
  const tmp = tempDir("freestand-stack-");
  after(tmp.cleanup);
  for (const target of [...QEMU_TARGETS, ...BOARDS]) {
    test(target.id, (t) => {
      const skip = notReadyReason(target);
      if (skip) return t.skip(skip);
      const crate = crateDirFor(tmp.dir, target);
      const kind = target.board ? "--board" : "--target";
      assert.equal(runCli(["new", crate, kind, target.id, "--yes", "--vcs", "none"]).code, 0);
      // A recursion whose frames the optimiser cannot merge or drop (black_box), called before the report.
      editMain(
        crate,
        "    // Under `freestand run --stack`",
        [
          "    let _ = deep(DEPTH);",
          "    // Under `freestand run --stack`",
        ].join("\n"),
      );
      editMain(
        crate,
        "/// Every `no_std` binary must say",
        [
          `const DEPTH: u32 = ${STEP};`,
          "",
          "/// Recurses `n` deep, each frame with its own array.",
          "#[inline(never)]",
          "fn deep(n: u32) -> u32 {",
          `    let frame = core::hint::black_box([n as u8; ${FRAME_BYTES}]);`,
          "    if n == 0 { u32::from(frame[0]) } else { deep(n - 1) + u32::from(frame[1]) }",
          "}",
          "",
          "/// Every `no_std` binary must say",
        ].join("\n"),
      );
      editMain(crate, "    println!(\"The answer is {answer}, and 22/7 is about {ratio:.3}.\");\n", "    let _ = (answer, ratio);\n");
      const measure = () => {
        const r = runCli(["run", crate, "--stack"]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, greeting(crate.split("/").at(-1)!, target.triple).split("\n")[0] + "\n", "the marker line is not the program's output");
        const m = /^note: stack: ([\d,]+) of ([\d,]+) bytes used \(\d+%\)$/m.exec(r.stderr);
        assert.ok(m, r.stderr);
        const [used, size] = [Number(m[1]!.replace(/,/g, "")), Number(m[2]!.replace(/,/g, ""))];
        assert.equal(size, target.stackSize);
        return used;
      };
      const once = measure();
      setDepth(crate, STEP, 2 * STEP);
      const twice = measure();
      setDepth(crate, 2 * STEP, 3 * STEP);
      const thrice = measure();
      assert.ok(twice > once, `deeper recursion, deeper stack: ${once} → ${twice}`);
      assert.ok(thrice - twice >= STEP * FRAME_BYTES, `${STEP} more frames of at least ${FRAME_BYTES} bytes: ${twice} → ${thrice}`);
    });
  }
});

test("run --stack on a host program is refused before anything is built", () => {
  const tmp = tempDir("freestand-stack-host-");
  try {
    const crate = `${tmp.dir}/app`;
    assert.equal(runCli(["new", crate, "--yes", "--vcs", "none"]).code, 0);
    const r = runCli(["run", crate, "--stack"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "error: `run --stack` measures programs QEMU boots (the kernel gives a host program its stack).\n");
  } finally {
    tmp.cleanup();
  }
});
