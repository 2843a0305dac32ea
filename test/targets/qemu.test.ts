import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { CLI, runCli, tempDir } from "../support/cli.js";
import { guestExitCode, qemuCommand } from "../../src/run/qemu.js";
import { ExitMarkerFilter } from "../../src/run/exit-marker.js";
import { requireTarget } from "../../src/targets/catalog.js";
import { QEMU_TARGETS, editMain, elfPath, greeting, makeEndless, notReadyReason } from "./support.js";

describe("QEMU exit statuses become the program's exit code", () => {
  test("isa-debug-exit: the program writes code + 1, QEMU exits with ((code + 1) << 1) | 1", () => {
    const exit = requireTarget("x86_64-unknown-none").exit;
    assert.equal(guestExitCode(3, exit), 0);
    assert.equal(guestExitCode((102 << 1) | 1, exit), 101);
    // 1 is QEMU's own failure, and an even status (a reset or triple fault with -no-reboot) carries no code.
    assert.equal(guestExitCode(1, exit), null);
    assert.equal(guestExitCode(0, exit), null);
  });

  test("semihosting and the SiFive test device pass the code through", () => {
    for (const id of ["thumbv7m-none-eabi", "riscv32imac-unknown-none-elf", "aarch64-unknown-none"]) {
      assert.equal(guestExitCode(101, requireTarget(id).exit), 101);
      assert.equal(guestExitCode(0, requireTarget(id).exit), 0);
    }
  });

  test("every machine is headless, has no network card and boots the ELF with -kernel", () => {
    for (const t of QEMU_TARGETS) {
      const { binary, args } = qemuCommand("/x/prog.elf", t);
      assert.equal(binary, t.qemu!.binary);
      assert.deepEqual(args.slice(-2), ["-kernel", "/x/prog.elf"]);
      // -nodefaults: no default network card, monitor or graphics; -display none: no window.
      assert.ok(args.includes("-nodefaults"), t.id);
      assert.ok(args.join(" ").includes("-display none"), t.id);
      assert.ok(!args.some((a) => /^-(net|nic|netdev)$/.test(a)), t.id);
    }
  });
});

/** Processes whose command line mentions `needle` (to prove QEMU is gone). */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle)) pids.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

describe("freestand run on a program that never stops", () => {
  // Any ready bare-metal target will do; RISC-V builds fastest.
  const order = ["riscv32imac-unknown-none-elf", ...QEMU_TARGETS.map((t) => t.id)];
  const target = order.map((id) => requireTarget(id)).find((t) => !notReadyReason(t));
  const skip = target ? undefined : `no bare-metal target is ready here (${notReadyReason(QEMU_TARGETS[0]!)})`;
  const tmp = tempDir("freestand-qemu-");
  const crate = path.join(tmp.dir, "endless");
  let elf = "";
  after(tmp.cleanup);

  before(() => {
    if (skip) return;
    assert.equal(runCli(["new", crate, "--target", target!.id, "--yes"]).code, 0);
    makeEndless(crate);
    const b = runCli(["build", crate]);
    assert.equal(b.code, 0, b.stderr);
    elf = elfPath(crate, target!.triple, "debug");
  });

  test("--timeout kills QEMU, says so and exits 124", (t) => {
    if (skip) return t.skip(skip);
    const started = Date.now();
    const r = runCli(["run", elf, "--timeout", "1"]);
    assert.equal(r.code, 124, r.stderr);
    assert.equal(r.stdout, greeting("endless", target!.triple));
    assert.match(r.stderr, /did not finish within 1 s and was killed/);
    assert.ok(Date.now() - started < 8000, "the run stopped soon after the timeout");
    assert.deepEqual(processesMentioning(elf), [], "no QEMU is left running");
  });

  test("Ctrl-C stops QEMU and exits 130", async (t) => {
    if (skip) return t.skip(skip);
    const child = spawn(process.execPath, [CLI, "run", elf, "--timeout", "60"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    // Wait until the guest has printed its greeting: QEMU is running.
    const deadline = Date.now() + 20_000;
    while (!stdout.includes("The answer is") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(stdout.includes("The answer is"), `the guest started: ${stderr}`);
    assert.notDeepEqual(processesMentioning(elf), [], "QEMU is running");
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted/);
    assert.deepEqual(processesMentioning(elf), [], "no QEMU is left running");
  });

  test("arguments for the program are refused: a bare-metal program has no command line", (t) => {
    if (skip) return t.skip(skip);
    const r = runCli(["run", elf, "--", "--verbose"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /a bare-metal program has no command line to pass arguments to \(--verbose\)/);
    assert.equal(r.stdout, "");
  });

  test("an ELF for another machine than --target's is refused before QEMU starts", (t) => {
    if (skip) return t.skip(skip);
    const other = QEMU_TARGETS.find((o) => o.elf.machine !== target!.elf.machine)!;
    const r = runCli(["run", elf, "--target", other.id]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`but ${other.id} runs .* programs; check --target`));
    assert.equal(r.stdout, "");
  });

  test("a missing QEMU names the Debian package that provides it", (t) => {
    if (skip) return t.skip(skip);
    const emptyPath = path.join(tmp.dir, "empty-path");
    mkdirSync(emptyPath, { recursive: true });
    const r = runCli(["run", elf], { env: { PATH: emptyPath } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`${target!.qemu!.binary} is not installed; it comes with the Debian package ${target!.qemu!.debianPackage}`));
    assert.equal(r.stdout, "");
  });
});

describe("x86_64: a machine that resets instead of exiting", () => {
  const target = requireTarget("x86_64-unknown-none");
  const skip = notReadyReason(target);
  const tmp = tempDir("freestand-triple-fault-");
  after(tmp.cleanup);

  test("is reported, not mistaken for the program's exit 0", (t) => {
    if (skip) return t.skip(skip);
    const crate = path.join(tmp.dir, "faults");
    assert.equal(runCli(["new", crate, "--target", target.id, "--yes"]).code, 0);
    // An empty interrupt descriptor table replaces the template's: a breakpoint exception then escalates to a
    // triple fault, which QEMU (-no-reboot) answers by stopping with status 0 — an even status, which
    // isa-debug-exit never produces.
    editMain(
      crate,
      "    console::exit(0)\n}",
      '    let empty = [0u16; 5];\n    // SAFETY: deliberately raises an exception that has no handler.\n    unsafe { core::arch::asm!("lidt [{}]", "int3", in(reg) &empty) };\n    console::exit(0)\n}',
    );
    const r = runCli(["run", crate]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, greeting("faults", target.triple));
    assert.match(r.stderr, /QEMU stopped \(status 0\) without an exit code from the program/);
  });
});

describe("a machine without an exit device: the console's last line carries the code", () => {
  const output = "hello\n\u0001freestand-test list 3\nbye \u0001 not a marker\n\u0001freestand-exit 101\r\n";
  test("the marker line is taken out wherever the output is cut, and everything else passes byte for byte", () => {
    const bytes = Buffer.from(output, "latin1");
    // Every chunk size, from one byte at a time to the whole output at once.
    for (let step = 1; step <= bytes.length; step++) {
      const filter = new ExitMarkerFilter();
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += step) parts.push(filter.push(bytes.subarray(i, Math.min(bytes.length, i + step))));
      parts.push(filter.end());
      assert.equal(Buffer.concat(parts).toString("latin1"), "hello\n\u0001freestand-test list 3\nbye \u0001 not a marker\n", `chunks of ${step}`);
      assert.equal(filter.code, 101);
    }
  });
  test("no marker: no code, and an unfinished line is not lost", () => {
    const filter = new ExitMarkerFilter();
    const out = Buffer.concat([filter.push(Buffer.from("partial \u0001freestand-ex")), filter.end()]).toString("latin1");
    assert.equal(out, "partial \u0001freestand-ex");
    assert.equal(filter.code, undefined);
  });
});
