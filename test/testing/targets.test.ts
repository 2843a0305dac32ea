import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse as parseJunit } from "junit2json";
import { requireTarget } from "../../src/targets/catalog.js";
import type { TargetInfo } from "../../src/targets/types.js";
import { cargoInvocation } from "../../src/toolchain/invocation.js";
import { build } from "../../src/build/index.js";
import { runTestBinary } from "../../src/testing/session.js";
import { runCli, sh, tempDir } from "../support/cli.js";
import { crateDirFor, notReadyReason, QEMU_TARGETS } from "../targets/support.js";
import { crateWithKinds } from "./support.js";

/**
 * `freestand test` on the host and on every bare-metal target: a generated crate with a module of every kind
 * of test (test/fixtures/testing/kinds.rs) — passing, failing assert_eq!, panicking, should_panic with the right
 * and the wrong message and without a panic, ignored, hanging, faulting — and the template's own tests. One
 * failure never hides the others: every test has its result, in libtest's shapes.
 */

/** How each machine names the fixture's undefined instruction. */
/** By instruction set where one ELF machine has several ways of reporting (see test/targets/fault.test.ts). */
const FAULT: Record<string, RegExp> = {
  "ARMv6-M": /^the machine stopped during the test \(exit 1\): HardFault: stopping$/,
  "ARMv7-A": /^the machine stopped during the test \(exit 1\): exception: an undefined instruction at 0x[0-9a-f]+: stopping$/,
  host: /^the test was killed by SIGILL \(an illegal instruction\)$/,
  arm: /^the machine stopped during the test \(exit 1\): HardFault \(an undefined instruction, CFSR 0x00010000\): stopping$/,
  riscv: /^the machine stopped during the test \(exit 1\): trap: mcause 0x2 \(illegal instruction\) at 0x[0-9a-f]+, mtval 0x[0-9a-f]+: stopping$/,
  aarch64: /^the machine stopped during the test \(exit 1\): exception: class 0x0 \(unknown reason: an undefined instruction\), ESR 0x[0-9a-f]+, at 0x[0-9a-f]+, address 0x[0-9a-f]+: stopping$/,
  loongarch: /^the machine stopped during the test \(exit 1\): exception: code 0xd \(an instruction that does not exist\) at 0x[0-9a-f]+, address 0x[0-9a-f]+: stopping$/,
  x86_64: /^the machine stopped during the test \(exit 1\): exception 6 \(#UD, invalid opcode\), error code 0x0, at 0x[0-9a-f]+: stopping$/,
};

type Event = { type: string; event: string; name?: string; stdout?: string; message?: string; passed?: number; failed?: number; ignored?: number; filtered_out?: number; test_count?: number; exec_time?: number };

const TARGETS: TargetInfo[] = [requireTarget("host"), ...QEMU_TARGETS];

describe("freestand test runs every kind of test on its target, each failure apart", () => {
  const tmp = tempDir("freestand-testing-");
  after(tmp.cleanup);

  for (const target of TARGETS) {
    test(target.id, (t) => {
      const skip = target.flavour === "host" ? undefined : notReadyReason(target);
      if (skip) return t.skip(skip);
      const crate = crateDirFor(tmp.dir, target);
      crateWithKinds(crate, target);
      const junit = path.join(tmp.dir, `${target.id}.xml`);
      const r = runCli(["test", "-C", crate, "--format", "json", "--junit", junit]);
      assert.equal(r.code, 101, r.stderr);
      assert.match(r.stderr, /Running unittests src\/main\.rs \(/);
      const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Event);
      const outcome = (name: string) => events.find((e) => e.type === "test" && e.name === name && e.event !== "started");
      const failure = (name: string) => {
        const e = outcome(name);
        assert.equal(e?.event, "failed", name);
        return e!.stdout ?? "";
      };
      assert.deepEqual(events[0], { type: "suite", event: "started", test_count: 11 });
      for (const name of ["kinds::a_passes", "kinds::d_should_panic_right_message", "kinds::j_prints_and_passes", "tests::the_answer_is_42", "tests::dividing_by_zero_panics"]) {
        assert.equal(outcome(name)?.event, "ok", name);
      }
      assert.match(failure("kinds::b_assert_eq_fails"), /^panicked at src\/kinds\.rs:27:9:\nassertion `left == right` failed\n {2}left: 1\n right: 2$/);
      assert.match(failure("kinds::c_panics"), /^panicked at src\/kinds\.rs:32:9:\nboom 42$/);
      assert.match(failure("kinds::e_should_panic_wrong_message"), /boom\nnote: panic did not contain expected string\n {6}panic message: "boom",\n expected substring: "bang"$/);
      assert.equal(failure("kinds::f_should_panic_but_returns"), "test did not panic as expected");
      assert.equal(failure("kinds::h_hangs"), "test timed out after 800 ms");
      assert.match(failure("kinds::i_faults"), (target.flavour === "host" ? FAULT.host : (FAULT[target.isa] ?? FAULT[target.elf.machine]))!);
      assert.deepEqual(outcome("kinds::g_ignored"), { type: "test", name: "kinds::g_ignored", event: "ignored", message: "not today" });
      assert.deepEqual(events.at(-1), { type: "suite", event: "failed", passed: 5, failed: 6, ignored: 2, measured: 0, filtered_out: 0, exec_time: events.at(-1)!.exec_time });
      return parseJunit(readFileSync(junit, "utf8")).then((doc) => {
        const d = doc as unknown as { tests: number; failures: number; skipped: number };
        assert.deepEqual([d.tests, d.failures, d.skipped], [13, 6, 2]);
      });
    });
  }

  test("a test that ends its boot (a panic, a fault, a hang) costs one boot more, no more", async (t) => {
    const target = requireTarget("thumbv7m-none-eabi");
    const skip = notReadyReason(target);
    if (skip) return t.skip(skip);
    const crate = path.join(tmp.dir, "boots");
    crateWithKinds(crate, target);
    const built = await build({ cwd: crate, tests: true, verify: false });
    assert.ok(built.success);
    const elf = built.artifacts.find((a) => a.test)!.path;
    const session = await runTestBinary(elf, target, {});
    // One boot lists the tests, one starts the run, and each of the seven that end a boot adds one: b, c, e
    // (panics), h (hangs), i (faults), and d and tests::dividing_by_zero_panics, which pass by panicking.
    assert.equal(session.boots, 9);
    assert.equal(session.results.length, 13);
  });

  test("the human output is libtest's, and the selection flags are libtest's (host and a QEMU board)", (t) => {
    for (const target of [requireTarget("host"), requireTarget("thumbv7m-none-eabi")]) {
      const skip = target.flavour === "host" ? undefined : notReadyReason(target);
      if (skip) return t.skip(skip);
      const crate = crateDirFor(tmp.dir, target);
      const all = runCli(["test", "-C", crate]);
      assert.equal(all.code, 101, all.stderr);
      assert.match(all.stdout, /^\nrunning 13 tests\ntest kinds::a_passes \.\.\. ok\ntest kinds::b_assert_eq_fails \.\.\. FAILED\n/);
      assert.match(all.stdout, /^test kinds::d_should_panic_right_message - should panic \.\.\. ok$/m);
      assert.match(all.stdout, /^test kinds::g_ignored \.\.\. ignored, not today$/m);
      assert.match(all.stdout, /^---- kinds::h_hangs stdout ----\ntest timed out after 800 ms$/m);
      assert.match(all.stdout, /^failures:\n {4}kinds::b_assert_eq_fails\n {4}kinds::c_panics\n {4}kinds::e_should_panic_wrong_message\n {4}kinds::f_should_panic_but_returns\n {4}kinds::h_hangs\n {4}kinds::i_faults\n$/m);
      assert.match(all.stdout, /^test result: FAILED\. 5 passed; 6 failed; 2 ignored; 0 measured; 0 filtered out; finished in \d+\.\d\ds$/m);

      const list = runCli(["test", "-C", crate, "--", "--list", "kinds::"]);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /^kinds::a_passes: test\n(?:kinds::\w+: test\n){9}\n10 tests, 0 benchmarks\n$/);

      const exact = runCli(["test", "-C", crate, "kinds::a_passes", "--exact"]);
      assert.equal(exact.code, 0, exact.stderr);
      assert.match(exact.stdout, /^test result: ok\. 1 passed; 0 failed; 0 ignored; 0 measured; 12 filtered out; /m);

      const skipped = runCli(["test", "-C", crate, "--", "--skip", "kinds"]);
      assert.equal(skipped.code, 0, skipped.stderr);
      assert.match(skipped.stdout, /^test result: ok\. 2 passed; 0 failed; 1 ignored; 0 measured; 10 filtered out; /m);

      const ignored = runCli(["test", "-C", crate, "--ignored"]);
      assert.equal(ignored.code, 0, ignored.stderr);
      assert.match(ignored.stdout, /^test kinds::g_ignored \.\.\. ok\ntest tests::an_ignored_test \.\.\. ok$/m);
      assert.match(ignored.stdout, /^test result: ok\. 2 passed; 0 failed; 0 ignored; 0 measured; 11 filtered out; /m);

      const included = runCli(["test", "-C", crate, "tests::", "--include-ignored"]);
      assert.equal(included.code, 0, included.stderr);
      assert.match(included.stdout, /^test result: ok\. 3 passed; 0 failed; 0 ignored; 0 measured; 10 filtered out; /m);
    }
  });
});

describe("plain cargo test runs the generated crate's tests through the runner", () => {
  const tmp = tempDir("freestand-cargo-test-");
  after(tmp.cleanup);
  for (const target of TARGETS) {
    test(target.id, async (t) => {
      const skip = target.flavour === "host" ? undefined : notReadyReason(target);
      if (skip) return t.skip(skip);
      const crate = crateDirFor(tmp.dir, target);
      assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none"]).code, 0);
      // The toolchain (which rustc, which sysroot) comes from freestand; the runner from the crate's config.
      const inv = await cargoInvocation({ crateDir: crate, triple: target.triple });
      const r = sh(inv.cargo, ["test", ...inv.args], { cwd: crate, env: inv.env, timeoutMs: 120_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^note: running without isolation: a test that faults or hangs stops the run/m);
      assert.match(r.stdout, /^running 3 tests\ntest tests::an_ignored_test \.\.\. ignored, runs only when asked: freestand test -- --ignored\ntest tests::dividing_by_zero_panics - should panic \.\.\. ok\ntest tests::the_answer_is_42 \.\.\. ok\n\ntest result: ok\. 2 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out$/m);
    });
  }

  test("with a heap (--alloc), tests use alloc too", (t) => {
    const target = requireTarget("riscv64gc-unknown-none-elf");
    const skip = notReadyReason(target);
    if (skip) return t.skip(skip);
    const crate = path.join(tmp.dir, "with-heap");
    assert.equal(runCli(["new", crate, "--target", target.id, "--alloc", "--yes", "--vcs", "none"]).code, 0);
    const r = runCli(["test", "-C", crate]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^test tests::the_heap_works_in_tests_too \.\.\. ok$/m);
    assert.match(r.stdout, /^test result: ok\. 3 passed; 0 failed; 1 ignored; /m);
  });

  test("without freestand, a failure is reported and the run goes on after a panic (host)", () => {
    const crate = path.join(tmp.dir, "kinds-host");
    crateWithKinds(crate, requireTarget("host"));
    // Without isolation a hang or a fault ends the whole run, and the plain harness takes no arguments to skip
    // them: those two tests are removed from the file.
    const kinds = path.join(crate, "src", "kinds.rs");
    writeFileSync(kinds, readFileSync(kinds, "utf8").replace(/ {4}#\[test\]\n {4}#\[timeout\(ms = 800\)\]\n {4}fn h_hangs\(\) \{[\s\S]*?\n {4}\}\n\n {4}#\[test\]\n {4}fn i_faults\(\) \{\n[^\n]*\n {4}\}\n\n/, ""));
    const r = sh("cargo", ["test", "--quiet"], { cwd: crate });
    assert.equal(r.code, 101, r.stdout + r.stderr);
    assert.match(r.stdout, /^test kinds::b_assert_eq_fails \.\.\. FAILED\npanicked at src\/kinds\.rs:27:9:\nassertion `left == right` failed\n {2}left: 1\n right: 2\n/m);
    assert.match(r.stdout, /^test kinds::e_should_panic_wrong_message - should panic \.\.\. FAILED$/m);
    assert.match(r.stdout, /^test kinds::j_prints_and_passes \.\.\. ok$/m);
    assert.match(r.stdout, /^test result: FAILED\. 5 passed; 4 failed; 2 ignored; 0 measured; 0 filtered out$/m);
  });
});
