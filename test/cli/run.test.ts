/**
 * `run` without surprises: `--timeout 0` waits as long as the program runs, the kill message starts on its own
 * line, what makes a run impossible (a library, a missing QEMU) is said before anything is built, and the
 * toolchain note is said once per crate and compiler, before cargo's output.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, tempDir } from "../support/cli.js";
import { notReadyReason } from "../targets/support.js";
import { findTarget } from "../../src/targets/catalog.js";
import { which } from "../../src/util/fs.js";

const tmp = tempDir("freestand-run-");
after(tmp.cleanup);
const sleeper = path.join(tmp.dir, "sleeper");

before(() => {
  assert.equal(runCli(["new", sleeper, "--yes", "--vcs", "none"]).code, 0);
  const main = path.join(sleeper, "src", "main.rs");
  // Prints a line without its newline, sleeps three seconds (nanosleep), then exits 0.
  writeFileSync(
    main,
    readFileSync(main, "utf8").replace(
      "    console::exit(0)\n}",
      `    print!("partial");
    let duration: [i64; 2] = [3, 0];
    // SAFETY: nanosleep(2) reads the two words and writes nothing (no remainder pointer).
    unsafe {
        core::arch::asm!("syscall", inlateout("rax") 35i64 => _, in("rdi") duration.as_ptr(), in("rsi") 0usize, lateout("rcx") _, lateout("r11") _);
    }
    console::exit(0)
}`,
    ),
  );
  assert.equal(runCli(["build", sleeper]).code, 0);
});

test("--timeout kills a program that runs longer; the message starts on its own line", () => {
  const r = runCli(["run", sleeper, "--timeout", "1"]);
  assert.equal(r.code, 124);
  assert.match(r.stdout, /partial$/);
  assert.match(r.stderr, /\nerror: sleeper did not finish within 1 s and was killed \(`--timeout 0` waits forever\)\.\n$/);
  assert.ok(r.stderr.endsWith("\n") && r.stderr.split("\n").some((l) => l.startsWith("error: sleeper did not finish")), "the message is a line of its own");
});

test("--timeout 0 waits for the program, however long it runs", () => {
  const r = runCli(["run", sleeper, "--timeout", "0"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /partial$/);
  assert.doesNotMatch(r.stderr, /did not finish/);
});

test("a negative timeout is refused in one sentence", () => {
  const r = runCli(["run", sleeper, "--timeout", "-1"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Must be a number of seconds \(0: no timeout\)/);
});

test("a library has nothing to run: said at once, before building", () => {
  const lib = path.join(tmp.dir, "shelf");
  assert.equal(runCli(["new", lib, "--lib", "--yes", "--vcs", "none"]).code, 0);
  const r = runCli(["run", lib]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "error: `shelf` has no binary to run: it is a library.\n");
});

test("a missing QEMU is said before building", async (t) => {
  const target = findTarget("thumbv7m-none-eabi")!;
  const why = notReadyReason(target);
  if (why) return t.skip(why);
  const crate = path.join(tmp.dir, "noqemu");
  assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none"]).code, 0);
  // A PATH with cargo and rustc but without QEMU.
  const bin = path.join(tmp.dir, "bin-without-qemu");
  mkdirSync(bin);
  for (const tool of ["cargo", "rustc", "rustup", "ld.lld"]) {
    const found = await which(tool, process.env.PATH);
    if (found) symlinkSync(found, path.join(bin, tool));
  }
  const r = runCli(["run", crate], { env: { PATH: bin } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^error: ${target.qemu!.binary} is not installed; it comes with the Debian package ${target.qemu!.debianPackage}`, "m"));
  assert.doesNotMatch(r.stderr, /Compiling/, "nothing was built");
});

test("the toolchain note comes first, once per crate and compiler, and again with -v", (t) => {
  const target = findTarget("thumbv7m-none-eabi")!;
  const why = notReadyReason(target);
  if (why) return t.skip(why);
  const crate = path.join(tmp.dir, "noted");
  assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none"]).code, 0);
  const first = runCli(["build", crate]);
  assert.equal(first.code, 0, first.stderr);
  const notes = first.stderr.split("\n").filter((l) => l.startsWith("note: "));
  if (notes.length === 0) return t.skip("the compiler cargo runs has this target's core: there is nothing to note");
  assert.ok(first.stderr.indexOf("note: ") < first.stderr.indexOf("Compiling"), "the note is above cargo's output");
  const second = runCli(["build", crate]);
  assert.doesNotMatch(second.stderr, /^note: /m, "not said again");
  const verbose = runCli(["build", crate, "-v"]);
  for (const n of notes) assert.ok(verbose.stderr.includes(n), `-v says it again: ${n}`);
  // `cargo clean` forgets it, as it forgets the build.
  rmSync(path.join(crate, "target"), { recursive: true, force: true });
  assert.match(runCli(["build", crate]).stderr, /^note: /m);
});
