import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, tempDir } from "../support/cli.js";
import { BOARDS } from "../../src/targets/boards.js";
import { crateDirFor, editMain, elfPath, greeting, notReadyReason, QEMU_TARGETS } from "./support.js";

/**
 * `run --stack` on every target and board, and `freestand stack` checked against it. A recursion of known depth,
 * each frame holding a 64-byte array, is measured at depths 4 and 8 in a program without the float formatting
 * (whose own depth would hide a shallow recursion; at depth 4 the greeting's formatting can still be deeper): the
 * figure grows by at least the arrays added. Then the
 * recursion becomes a chain of two calls (64- and 128-byte arrays): in the debug and release builds, which still
 * print the greeting through `core::fmt`, the static estimate (calls through pointers taken to reach every function whose
 * address is taken) is at least what the run used; in a release build that prints nothing through `core::fmt` (the
 * panic handler too), every path is known, and the bound is at least the measured figure and at most twice it.
 * The static checks run on the ten targets; the boards, whose code is their target's with another console, are
 * measured. (A plain run says nothing of the stack: the boot tests compare its whole output.)
 */
const FRAME_BYTES = 64;
/** Depths 2d and 3d. */
const STEP = 4;
/** How far above the measured figure a complete static bound may lie: its worst path includes paths the run did not take (a panic's). */
const BOUND_FACTOR = 2;

function setDepth(crate: string, from: number, to: number): void {
  editMain(crate, `const DEPTH: u32 = ${from};`, `const DEPTH: u32 = ${to};`);
}

interface Entry {
  kind: string;
  bytes: number;
  complete: boolean;
  path: { function: string }[];
}

/** The entry point's static figure, from `freestand stack --format json` on the ELF `run` just built. */
function staticEntry(crate: string, triple: string, release: boolean): Entry {
  const r = runCli(["stack", elfPath(crate, triple, release ? "release" : "debug"), "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const entry = (JSON.parse(r.stdout) as { entries: Entry[] }).entries.find((e) => e.kind === "entry");
  assert.ok(entry, r.stdout);
  return entry;
}

describe("run --stack measures how deep the stack went; freestand stack bounds it", () => {
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
      editMain(crate, "    // Under `freestand run --stack`", ["    let _ = deep(DEPTH);", "    // Under `freestand run --stack`"].join("\n"));
      editMain(
        crate,
        "/// Every `no_std` binary must say",
        [
          `const DEPTH: u32 = ${2 * STEP};`,
          "",
          "/// Recurses `n` deep, each frame with its own array.",
          "#[inline(never)]",
          "fn deep(n: u32) -> u32 {",
          `    let frame = core::hint::black_box([n as u8; ${FRAME_BYTES}]);`,
          "    if n == 0 { u32::from(frame[0]) } else { deep(n - 1) + u32::from(frame[1]) }",
          "}",
          "",
          "/// Two calls deep, with their own arrays.",
          "#[inline(never)]",
          "fn chain(n: u32) -> u32 {",
          `    let frame = core::hint::black_box([n as u8; ${FRAME_BYTES}]);`,
          "    u32::from(frame[1]) + link(n)",
          "}",
          "",
          "#[inline(never)]",
          "fn link(n: u32) -> u32 {",
          `    let frame = core::hint::black_box([n as u8; ${2 * FRAME_BYTES}]);`,
          "    u32::from(frame[2])",
          "}",
          "",
          "/// Every `no_std` binary must say",
        ].join("\n"),
      );
      editMain(crate, "    println!(\"The answer is {answer}, and 22/7 is about {ratio:.3}.\");\n", "    let _ = (answer, ratio);\n");
      const measure = (release = false) => {
        const r = runCli(["run", crate, "--stack", ...(release ? ["--release"] : [])]);
        assert.equal(r.code, 0, r.stderr);
        const m = /^note: stack: ([\d,]+) of ([\d,]+) bytes used \(\d+%\)$/m.exec(r.stderr);
        assert.ok(m, r.stderr);
        const [used, size] = [Number(m[1]!.replace(/,/g, "")), Number(m[2]!.replace(/,/g, ""))];
        assert.equal(size, target.stackSize);
        return { used, stdout: r.stdout };
      };
      const greetingLine = greeting(crate.split("/").at(-1)!, target.triple).split("\n")[0] + "\n";
      const twice = measure();
      assert.equal(twice.stdout, greetingLine, "the marker line is not the program's output");
      setDepth(crate, 2 * STEP, 3 * STEP);
      const thrice = measure().used;
      assert.ok(thrice - twice.used >= STEP * FRAME_BYTES, `${STEP} more frames of at least ${FRAME_BYTES} bytes: ${twice.used} → ${thrice}`);

      // The static checks on each target's code; a board runs the same code with its own console.
      if (target.board) return;
      editMain(crate, "    let _ = deep(DEPTH);", "    let _ = (deep(0), chain(3));");
      const debug = measure().used;
      const estimate = staticEntry(crate, target.triple, false);
      assert.ok(estimate.bytes >= debug, `the static estimate ${estimate.bytes} is at least the measured ${debug} (debug)`);
      const optimised = measure(true).used;
      const releaseEstimate = staticEntry(crate, target.triple, true);
      assert.ok(releaseEstimate.bytes >= optimised, `the static estimate ${releaseEstimate.bytes} is at least the measured ${optimised} (release)`);

      editMain(crate, "    let _ = (deep(0), chain(3));", "    let _ = chain(3);");
      editMain(crate, greetingLine.replace("\n", "").replace(/^/, '    println!("').concat('");\n'), "");
      editMain(crate, "    println!(\"{info}\");\n", "    let _ = info;\n");
      const release = measure(true).used;
      const bound = staticEntry(crate, target.triple, true);
      assert.equal(bound.complete, true, `every path of the release build is known: ${JSON.stringify(bound.path)}`);
      assert.ok(bound.bytes >= release, `the bound ${bound.bytes} is at least the measured ${release} (release)`);
      assert.ok(bound.bytes <= BOUND_FACTOR * release, `the bound ${bound.bytes} is within ${BOUND_FACTOR}× the measured ${release}`);
      t.diagnostic(`with core::fmt: debug measured ${debug}, estimate ${estimate.bytes}; release measured ${optimised}, estimate ${releaseEstimate.bytes}; without: release measured ${release}, bound ${bound.bytes}`);
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

describe("test --stack: each test's depth, measured on its target", () => {
  const tmp = tempDir("freestand-test-stack-");
  after(tmp.cleanup);
  // One machine: the harness and the measurement are the template's, the same on every target.
  for (const target of QEMU_TARGETS.filter((t) => t.triple === "thumbv7m-none-eabi")) {
    test(target.id, (t) => {
      const skip = notReadyReason(target);
      if (skip) return t.skip(skip);
      const crate = crateDirFor(tmp.dir, target);
      assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none"]).code, 0);
      const tests = path.join(crate, "src", "tests.rs");
      const deep = ["    #[test]", "    fn a_deep_one() {", `        let frame = core::hint::black_box([7u8; ${32 * FRAME_BYTES}]);`, "        assert_eq!(frame[100], 7);", "    }", "", "    #[test]", "    #[ignore"].join("\n");
      writeFileSync(tests, readFileSync(tests, "utf8").replace("    #[test]\n    #[ignore", deep));
      const r = runCli(["test", "-C", crate, "--stack"]);
      assert.equal(r.code, 0, r.stderr);
      const depth = (name: string) => {
        const m = new RegExp(`^ +([\\d,]+)  tests::${name} \\(\\d+%\\)$`, "m").exec(r.stdout);
        assert.ok(m, `${name} in:\n${r.stdout}`);
        return Number(m[1]!.replace(/,/g, ""));
      };
      assert.match(r.stdout, new RegExp(`^stack by test, deepest first \\(bytes of the ${target.stackSize.toLocaleString("en-US")}-byte region`, "m"));
      // Refilled before each test: the shallow test after the deep one is measured on its own.
      assert.ok(depth("a_deep_one") - depth("the_answer_is_42") >= 32 * FRAME_BYTES, r.stdout);
      // The test that panics is measured too (the harness reports before the panic ends the boot).
      assert.ok(depth("dividing_by_zero_panics") > 0);
      const json = runCli(["test", "-C", crate, "--stack", "--format", "json"]);
      const ok = json.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { name?: string; event: string; stack?: { used: number; size: number } });
      assert.equal(ok.find((e) => e.name === "tests::a_deep_one" && e.event === "ok")?.stack?.size, target.stackSize);
    });
  }

  test("a library's tests have no stack report, and a host program's tests are refused", (t) => {
    const target = QEMU_TARGETS.find((x) => x.triple === "thumbv7m-none-eabi")!;
    const skip = notReadyReason(target);
    if (skip) return t.skip(skip);
    const lib = path.join(tmp.dir, "lib");
    assert.equal(runCli(["new", lib, "--lib", "--target", target.id, "--yes", "--vcs", "none"]).code, 0);
    const r = runCli(["test", "-C", lib, "--stack"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^note: no test reported its stack: `--stack` measures the tests of a program \(its src\/stack\.rs reports them\), not of a library\.$/m);
    const host = path.join(tmp.dir, "host");
    assert.equal(runCli(["new", host, "--yes", "--vcs", "none"]).code, 0);
    const refused = runCli(["test", "-C", host, "--stack"]);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, "error: `test --stack` measures tests QEMU boots (the kernel gives a host program its stack).\n");
  });
});
