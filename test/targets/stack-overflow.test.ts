import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { runCli, tempDir } from "../support/cli.js";
import { BOARDS } from "../../src/targets/boards.js";
import { crateDirFor, editMain, greeting, notReadyReason, QEMU_TARGETS } from "./support.js";

/**
 * A stack overflow on Cortex-M is caught, and foreseen. The stack sits at the bottom of RAM (link.x), so a program
 * whose one function needs more stack than the region holds runs off the start of RAM, faults, and the fault
 * handler — on a fresh stack — says "stack overflow" and exits 1, instead of overwriting .data and .bss. Before it
 * runs, `freestand stack` (exit 1) and `verify` (a warning) say the bound exceeds the region: the release build
 * prints nothing through `core::fmt` (the panic handler too), so every path is known.
 */
const CORTEX_M = [...QEMU_TARGETS, ...BOARDS].filter((t) => t.triple.startsWith("thumb"));

describe("a stack overflow on Cortex-M is caught at run time and foreseen by the static bound", () => {
  const tmp = tempDir("freestand-overflow-");
  after(tmp.cleanup);
  for (const target of CORTEX_M) {
    test(target.id, (t) => {
      const skip = notReadyReason(target);
      if (skip) return t.skip(skip);
      const crate = crateDirFor(tmp.dir, target);
      const kind = target.board ? "--board" : "--target";
      assert.equal(runCli(["new", crate, kind, target.id, "--yes", "--vcs", "none"]).code, 0);
      const name = crate.split("/").at(-1)!;
      const frame = target.stackSize + 1024;
      editMain(crate, `    println!("${greeting(name, target.triple).split("\n")[0]}");\n`, "");
      editMain(crate, '    println!("The answer is {answer}, and 22/7 is about {ratio:.3}.");\n', "    let _ = (answer, ratio, big(7));\n");
      editMain(crate, '    println!("{info}");\n', "    let _ = info;\n");
      editMain(
        crate,
        "/// Every `no_std` binary must say",
        ["/// A frame larger than the whole stack region.", "#[inline(never)]", "fn big(n: u8) -> u8 {", `    let frame = core::hint::black_box([n; ${frame}]);`, "    frame[1]", "}", "", "/// Every `no_std` binary must say"].join("\n"),
      );
      const bound = runCli(["stack", crate, "--release"]);
      assert.equal(bound.code, 1, bound.stdout + bound.stderr);
      assert.match(bound.stdout, /^warning: every path from Reset is known, and the deepest needs [\d,]+ bytes: more than the [\d.]+ KiB reserved for the stack/m);
      const verify = runCli(["verify", crate, "--release"]);
      assert.match(verify.stderr + verify.stdout, /^warning\[verify_stack_bound\]: every call path from `Reset` is known, and the deepest needs \d+ bytes of stack: more than the \d+-byte stack region$/m);
      const run = runCli(["run", crate, "--release"]);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, "stack overflow: the stack grew past the bottom of its region (link.x's `_stack_size`): stopping\n");
    });
  }
});
