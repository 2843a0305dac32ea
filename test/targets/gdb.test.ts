import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { CLI, hasCommand, runCli, sh, tempDir } from "../support/cli.js";
import { BOARDS } from "../../src/targets/boards.js";
import { findTarget } from "../../src/targets/catalog.js";
import { findDebugger } from "../../src/run/gdb.js";
import type { TargetInfo } from "../../src/targets/types.js";
import { crateDirFor, greeting, notReadyReason, QEMU_TARGETS } from "./support.js";

/**
 * `freestand gdb` with the real debugger in batch mode, on every target and board and on the host: it stops at
 * the breakpoint on `main`, the backtrace shows `main` called from the boot code, a local reads 42, stepping over
 * the `println!`s prints the greeting through the program's console, and QEMU is gone once gdb quits.
 */
const MACHINES = [findTarget("host")!, ...QEMU_TARGETS, ...BOARDS];

describe("freestand gdb: a real debugger at main on every target", () => {
  const tmp = tempDir("freestand-gdb-");
  after(tmp.cleanup);
  for (const target of MACHINES) {
    test(target.id, async (t) => {
      const skip = target.flavour === "host" ? undefined : notReadyReason(target);
      if (skip) return t.skip(skip);
      const debuggerName = target.flavour === "host" ? "gdb" : "gdb-multiarch";
      if (!hasCommand(debuggerName)) return t.skip(`${debuggerName} is not installed (scripts/env/80-debug.sh installs it)`);
      const crate = crateDirFor(tmp.dir, target);
      const known = await findDebugger(target);
      const kind = target.board ? "--board" : "--target";
      assert.equal(runCli(["new", crate, kind, target.id, "--yes", "--vcs", "none"]).code, 0);
      const name = crate.split("/").at(-1)!.replace(/-/g, "_");
      // The program is halted at its entry (QEMU) or not started (host) when gdb takes over.
      const start = target.flavour === "host" ? "run" : "continue";
      // Three steps go over the two `println!`s; the last command's success is gdb's exit status in batch mode.
      const steps = ["-batch", "-ex", start, "-ex", "bt", "-ex", "next", "-ex", "print answer", ...Array(3).fill(["-ex", "next"]).flat(), "-ex", "echo session over\\n"];
      if ("missing" in known) {
        // This machine has no debugger for the architecture: said before building, exit 2.
        const r = runCli(["gdb", crate, "--", ...steps], { timeoutMs: 180_000 });
        assert.equal(r.code, 2, r.stdout + r.stderr);
        assert.ok(r.stderr.includes(`error: ${known.missing}`), r.stderr);
        assert.doesNotMatch(r.stderr, /Compiling/, "said before building");
        return t.diagnostic(known.missing);
      }
      if (known.kind === "lldb") return lldbSession(t, crate, name, target);
      const r = runCli(["gdb", crate, "--", ...steps], { timeoutMs: 180_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const out = r.stdout + r.stderr;
      // (A machine with several cores says which thread hit it.)
      assert.match(out, new RegExp(`^(Thread \\d+ hit )?Breakpoint 1, ${name}::main \\(\\) at src/main\\.rs:\\d+$`, "m"));
      // main is called from the boot code's bridge into Rust.
      assert.match(out, new RegExp(`^#1 .* in ${name}::(boot::start|rt::start_main) `, "m"));
      assert.match(out, /^\$1 = 42$/m);
      assert.match(out, /^session over$/m);
      assert.ok(out.includes(greeting(crate.split("/").at(-1)!, target.triple).split("\n")[0]!), out);
      // QEMU ended with the session.
      const left = sh("pgrep", ["-f", crate]);
      assert.equal(left.stdout.trim(), "", `nothing of ${crate} is left running`);
    });
  }
});

/**
 * LLDB where the distribution's gdb-multiarch lacks the architecture (LoongArch on Debian 12): the same session —
 * stopped at main, called from the boot code, a local read after a step, the greeting printed — in LLDB's words.
 */
function lldbSession(t: { diagnostic: (s: string) => void }, crate: string, name: string, target: TargetInfo): void {
  const steps = ["--batch", "-o", "continue", "-o", "bt", "-o", "next", "-o", "frame variable answer", ...Array(3).fill(["-o", "next"]).flat(), "-o", "script print('session over')", "-o", "kill"];
  const r = runCli(["gdb", crate, "--", ...steps], { timeoutMs: 180_000 });
  const out = r.stdout + r.stderr;
  assert.equal(r.code, 0, out);
  assert.match(out, new RegExp(`stop reason = breakpoint 1\\.1\\n\\s+frame #0: 0x[0-9a-f]+ [\\w-]+\`${name}::main(::h[0-9a-f]{16})? at main\\.rs:\\d+`, "m"));
  assert.match(out, new RegExp(`frame #1: 0x[0-9a-f]+ [\\w-]+\`${name}::boot::start`, "m"));
  assert.match(out, /^\(int\) answer = 42$/m);
  assert.match(out, /^session over$/m);
  assert.ok(out.includes(greeting(crate.split("/").at(-1)!, target.triple).split("\n")[0]!), out);
  assert.equal(sh("pgrep", ["-f", crate]).stdout.trim(), "", `nothing of ${crate} is left running`);
  t.diagnostic("LLDB: the distribution's gdb-multiarch lacks this architecture");
}

test("without the debugger installed, the sentence names the package that has it", async () => {
  assert.deepEqual(await findDebugger(findTarget("thumbv7m-none-eabi")!, "/nonexistent"), {
    missing: "gdb-multiarch is not installed; it comes with the Debian package gdb-multiarch (apt-get install gdb-multiarch).",
  });
  assert.deepEqual(await findDebugger(findTarget("host")!, "/nonexistent"), { missing: "gdb is not installed; it comes with the Debian package gdb (apt-get install gdb)." });
});

/** A new crate for `target`, built, and `run --gdb` started on it: its output as it comes, and its end. */
function startRunGdb(crate: string, target: string): { stdout: string; stderr: string; ended: Promise<unknown[]> } {
  assert.equal(runCli(["new", crate, "--target", target, "--yes", "--vcs", "none"]).code, 0);
  assert.equal(runCli(["build", crate]).code, 0);
  const child = spawn(process.execPath, [CLI, "run", crate, "--gdb"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "", ended: once(child, "close") };
  child.stdout.on("data", (d: Buffer) => (out.stdout += d));
  child.stderr.on("data", (d: Buffer) => (out.stderr += d));
  return out;
}

test("`run --gdb` waits halted for the debugger it names; the printed command attaches, and the run ends with the program", async (t) => {
  const target = findTarget("riscv64gc-unknown-none-elf")!;
  const skip = notReadyReason(target);
  if (skip) return t.skip(skip);
  if (!hasCommand("gdb-multiarch")) return t.skip("gdb-multiarch is not installed");
  const tmp = tempDir("freestand-run-gdb-");
  try {
    const crate = `${tmp.dir}/app`;
    const run = startRunGdb(crate, target.id);
    const ended = run.ended;
    // The note names the port and the exact command.
    while (!/^ {6}gdb-multiarch /m.test(run.stderr)) await new Promise((r) => setTimeout(r, 50));
    const command = /^ {6}(gdb-multiarch .*)$/m.exec(run.stderr)![1]!;
    const port = /target remote :(\d+)/.exec(command)![1]!;
    assert.match(run.stderr, new RegExp(`^note: QEMU is waiting for a debugger on 127\\.0\\.0\\.1:${port}; `, "m"));
    assert.match(run.stderr, new RegExp(`^ {2}or: lldb .* -o 'gdb-remote ${port}'$`, "m"));
    assert.equal(run.stdout, "", "halted: the program has not started");
    const elf = command.split(" ")[1]!;
    const gdb = sh("gdb-multiarch", ["-q", "-batch", elf, "-ex", `target remote :${port}`, "-ex", "continue"], { timeoutMs: 60_000 });
    assert.match(gdb.stdout + gdb.stderr, /exited normally|Remote connection closed/);
    const [code] = (await ended) as [number];
    assert.equal(code, 0, run.stderr);
    assert.equal(run.stdout, greeting("app", target.triple));
  } finally {
    tmp.cleanup();
  }
});

test("`run --gdb` on LoongArch names the LLDB that debugs it, and that command attaches", async (t) => {
  const target = findTarget("loongarch64-unknown-none")!;
  const skip = notReadyReason(target);
  if (skip) return t.skip(skip);
  const known = await findDebugger(target);
  if (!("kind" in known) || known.kind !== "lldb") return t.skip("this machine's gdb-multiarch debugs LoongArch itself");
  const tmp = tempDir("freestand-run-lldb-");
  try {
    const crate = `${tmp.dir}/app`;
    const run = startRunGdb(crate, target.id);
    const ended = run.ended;
    while (!/^ {6}\S*lldb/m.test(run.stderr)) await new Promise((r) => setTimeout(r, 50));
    // Only the debugger that can: this gdb-multiarch has no LoongArch.
    assert.doesNotMatch(run.stderr, /gdb-multiarch/);
    const command = /^ {6}(\S*lldb\S* .*)$/m.exec(run.stderr)![1]!;
    const [program, elf] = command.split(" ");
    const port = /gdb-remote (\d+)/.exec(command)![1]!;
    const lldb = sh(program!, [elf!, "--batch", "-o", `gdb-remote ${port}`, "-o", "continue"], { timeoutMs: 60_000 });
    assert.match(lldb.stdout + lldb.stderr, /exited with status = 0/);
    const [code] = (await ended) as [number];
    assert.equal(code, 0, run.stderr);
    assert.equal(run.stdout, greeting("app", target.triple));
  } finally {
    tmp.cleanup();
  }
});

test("`run --gdb` for a host program points to `freestand gdb`", () => {
  const tmp = tempDir("freestand-run-gdb-host-");
  try {
    const crate = `${tmp.dir}/app`;
    assert.equal(runCli(["new", crate, "--yes", "--vcs", "none"]).code, 0);
    const r = runCli(["run", crate, "--gdb"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "error: `run --gdb` is for programs QEMU boots; `freestand gdb` runs a host program under gdb directly.\n", "said before building");
  } finally {
    tmp.cleanup();
  }
});
