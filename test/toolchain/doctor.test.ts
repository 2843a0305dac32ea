/**
 * `freestand doctor` and `freestand targets` on machine states made by PATH and environment (a PATH without
 * QEMU, an empty sysroot cache, no compiler), run as a user would run them: the real CLI in a child process.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { doctor } from "../../src/doctor/index.js";
import { hasCommand, runCli, sh, tempDir } from "../support/cli.js";

const work = tempDir("freestand-doctor-");
after(() => work.cleanup());
const emptyCache = path.join(work.dir, "empty-cache");
mkdirSync(emptyCache);

/** A bin directory holding only the named programs (links to the real ones): a machine without the rest. */
function binWith(name: string, programs: string[]): string {
  const dir = path.join(work.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const p of programs) {
    const real = sh("sh", ["-c", `command -v ${p}`]).stdout.trim();
    assert.ok(real, `${p} is on PATH`);
    symlinkSync(real, path.join(dir, p));
  }
  return dir;
}

const haveRust = hasCommand("rustc") && hasCommand("cargo");
const rustOnly = haveRust ? binWith("rust-only", ["rustc", "cargo"]) : "";

test("a PATH without QEMU: doctor names the missing emulator and the Debian package, exit 1", { skip: !haveRust && "rustc and cargo are needed" }, async () => {
  const env = { ...process.env, PATH: rustOnly, FREESTAND_SYSROOT_DIR: emptyCache };
  const report = await doctor({ target: "thumbv7m-none-eabi", dir: work.dir, env });
  const qemu = report.requirements.find((r) => r.id === "qemu")!;
  assert.equal(qemu.ok, false);
  assert.equal(qemu.required, true);
  assert.equal(qemu.fix, "apt-get install qemu-system-arm");
  assert.equal(report.ok, false);

  const cli = runCli(["doctor", "--target", "thumbv7m-none-eabi", work.dir], { env });
  assert.equal(cli.code, 1, cli.stderr);
  assert.match(cli.stdout, /missing qemu-system-arm for thumbv7m-none-eabi: qemu-system-arm is not on PATH\n\s+fix: apt-get install qemu-system-arm/);
});

test("QEMU on PATH is found where `command -v` finds it", { skip: !hasCommand("qemu-system-riscv32") && "qemu-system-misc is not installed" }, async () => {
  const report = await doctor({ target: "riscv32imac-unknown-none-elf", dir: work.dir });
  const qemu = report.requirements.find((r) => r.id === "qemu")!;
  assert.equal(qemu.ok, true);
  assert.equal(qemu.detail, sh("sh", ["-c", "command -v qemu-system-riscv32"]).stdout.trim());
});

test("a target without core and nothing cached: the fix is `freestand sysroot --target T` (JSON)", { skip: !haveRust && "rustc and cargo are needed" }, async (t) => {
  const stable = sh("rustc", ["--print", "sysroot"], { cwd: work.dir }).stdout.trim();
  if (sh("sh", ["-c", `ls ${stable}/lib/rustlib/riscv32imac-unknown-none-elf/lib/libcore-*.rlib`]).code === 0) {
    return t.skip("this compiler has a prebuilt core for riscv32imac-unknown-none-elf");
  }
  const cli = runCli(["doctor", "--target", "riscv32imac-unknown-none-elf", "--format", "json", work.dir], { env: { FREESTAND_SYSROOT_DIR: emptyCache } });
  assert.equal(cli.code, 1, cli.stderr);
  const json = JSON.parse(cli.stdout) as { ok: boolean; requirements: { id: string; ok: boolean; fix?: string; required: boolean }[] };
  assert.equal(json.ok, false);
  const core = json.requirements.find((r) => r.id === "core")!;
  assert.equal(core.ok, false);
  assert.equal(core.fix, "freestand sysroot --target riscv32imac-unknown-none-elf");
  assert.ok(json.requirements.find((r) => r.id === "rustc")!.ok);
});

test("no compiler on PATH: the Rust compiler is missing, with the install command", async () => {
  const bin = binWith("no-rust", ["sh"]);
  const cli = runCli(["doctor", work.dir], { env: { PATH: bin, HOME: os.homedir(), FREESTAND_SYSROOT_DIR: emptyCache } });
  assert.equal(cli.code, 1, cli.stderr);
  assert.match(cli.stdout, /missing Rust compiler: no Rust compiler found/);
  assert.match(cli.stdout, /fix: curl https:\/\/sh\.rustup\.rs/);
  assert.match(cli.stdout, /missing cargo/);
});

test("the host target is ready wherever Rust and a C driver are installed: exit 0", { skip: (!haveRust || !hasCommand("cc")) && "rustc, cargo and cc are needed" }, () => {
  const cli = runCli(["doctor", "--target", "host", work.dir]);
  assert.equal(cli.code, 0, cli.stdout + cli.stderr);
  assert.match(cli.stdout, /ok\s+core for x86_64-unknown-linux-gnu: prebuilt/);
  assert.match(cli.stdout, /Everything required is present/);
});

test("doctor refuses a target that is not a triple, in one sentence, exit 2", () => {
  const cli = runCli(["doctor", "--target", "not a target!", work.dir]);
  assert.equal(cli.code, 2);
  assert.match(cli.stderr, /^error: .*neither a catalogue target nor a target triple/);
});

test("freestand targets --format json: the catalogue with per-target readiness", { skip: !haveRust && "rustc and cargo are needed" }, () => {
  const cli = runCli(["targets", "--format", "json"], { env: { FREESTAND_SYSROOT_DIR: emptyCache } });
  assert.equal(cli.code, 0, cli.stderr);
  const rows = JSON.parse(cli.stdout) as { id: string; triple: string; ready: boolean; core: { ok: boolean; source: string }; qemu: { binary: string; ok: boolean } | null }[];
  const host = rows.find((r) => r.id === "host")!;
  assert.equal(host.core.source, "prebuilt");
  assert.equal(host.qemu, null);
  for (const r of rows.filter((r) => r.qemu)) {
    assert.equal(r.qemu!.ok, hasCommand(r.qemu!.binary), r.triple);
    // Nothing is cached in the empty cache, so only a prebuilt core can make a bare-metal target ready.
    assert.equal(r.core.source === "prebuilt" || !r.core.ok, true);
  }
  const human = runCli(["targets"], { env: { FREESTAND_SYSROOT_DIR: emptyCache } });
  assert.equal(human.code, 0);
  assert.match(human.stdout, /^ready\s+host\s/m);
});

test("in a crate whose cargo config names a target, doctor checks that target strictly", { skip: !haveRust && "rustc and cargo are needed" }, () => {
  const crate = path.join(work.dir, "configured");
  mkdirSync(path.join(crate, ".cargo"), { recursive: true });
  writeFileSync(path.join(crate, ".cargo", "config.toml"), '[build]\ntarget = "thumbv7m-none-eabi"\n');
  const cli = runCli(["doctor", "--format", "json", crate], { env: { PATH: rustOnly, FREESTAND_SYSROOT_DIR: emptyCache } });
  assert.equal(cli.code, 1, cli.stderr);
  const json = JSON.parse(cli.stdout) as { requirements: { id: string; name: string; ok: boolean; required: boolean }[] };
  const qemu = json.requirements.filter((r) => r.id === "qemu");
  assert.deepEqual(qemu.map((r) => [r.name, r.ok, r.required]), [["qemu-system-arm for thumbv7m-none-eabi", false, true]]);
});
