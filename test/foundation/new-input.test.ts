import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, chmodSync } from "node:fs";
import path from "node:path";
import { runCli, runCliWithOpenStdin, tempDir, sh, ROOT } from "../support/cli.js";

describe("freestand new refuses bad input with one sentence and exit 2", () => {
  const tmp = tempDir();
  after(tmp.cleanup);

  test("a non-empty directory is refused and left untouched", () => {
    const dir = path.join(tmp.dir, "busy");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "notes.txt"), "mine\n");
    const r = runCli(["new", dir, "--yes"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: .*busy is not empty; choose another directory or pass --force to write into it\.\n$/);
    assert.deepEqual(readdirSync(dir), ["notes.txt"]);
    assert.equal(readFileSync(path.join(dir, "notes.txt"), "utf8"), "mine\n");
    assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.startsWith(".freestand-tmp")), [], "no staging directory left behind");
  });

  test("--force writes the template's files and keeps the others", () => {
    const dir = path.join(tmp.dir, "busy");
    const r = runCli(["new", dir, "--yes", "--force"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(path.join(dir, "notes.txt"), "utf8"), "mine\n");
    assert.ok(existsSync(path.join(dir, "src", "main.rs")));
    const again = runCli(["new", dir, "--yes", "--force"]);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /src\/main\.rs \(replaced\)/);
  });

  const badBoards: [string[], RegExp][] = [
    [["--board", "microbits"], /^error: unknown board `microbits`; did you mean `microbit`\? The boards freestand knows: microbit, /],
    [["--board", "raspi3b", "--target", "thumbv7m-none-eabi"], /^error: the board `raspi3b` is for aarch64-unknown-none, not thumbv7m-none-eabi; --board implies the target, so leave out --target\.$/m],
    [["--board", "hifive1", "--lib"], /^error: a board is for a binary; a library for its chip is `--lib --target riscv32imac-unknown-none-elf`\.$/m],
  ];
  for (const [flags, why] of badBoards) {
    test(`new ${flags.join(" ")}`, () => {
      const dir = path.join(tmp.dir, "boarded");
      const r = runCli(["new", dir, "--yes", ...flags]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, why);
      assert.equal(r.stderr.trim().split("\n").length, 1, "one sentence");
      assert.ok(!existsSync(dir));
    });
  }

  test("--board with its own target is accepted, and the crate says which board it is for", () => {
    const dir = path.join(tmp.dir, "pi");
    const r = runCli(["new", dir, "--yes", "--board", "raspi3b", "--target", "aarch64-unknown-none", "--vcs", "none"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Created binary `pi` for the Raspberry Pi 3 Model B \(aarch64-unknown-none\)/m);
  });

  const badNames: [string, RegExp][] = [
    ["1st", /starts with a digit/],
    ["fn", /is a Rust keyword/],
    ["core", /built-in Rust library/],
    ["hello world", /may only use letters, digits/],
    ["deps", /collides with a directory cargo uses/],
  ];
  for (const [name, why] of badNames) {
    test(`--name ${JSON.stringify(name)}`, () => {
      const dir = path.join(tmp.dir, "named");
      const r = runCli(["new", dir, "--name", name, "--yes"]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, why);
      assert.equal(r.stderr.trim().split("\n").length, 1, "one sentence");
      assert.ok(!existsSync(dir));
    });
  }

  test("a directory whose name is not a crate name asks for --name", () => {
    const r = runCli(["new", path.join(tmp.dir, "9lives"), "--yes"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /comes from the directory; choose another with --name/);
  });

  test("an unknown target and an unknown edition", () => {
    const t = runCli(["new", path.join(tmp.dir, "x"), "--target", "pdp11-unknown-none", "--yes"]);
    assert.equal(t.code, 2);
    assert.match(t.stderr, /^error: unknown target `pdp11-unknown-none`\. See `freestand targets`/);
    const e = runCli(["new", path.join(tmp.dir, "x"), "--edition", "2018"]);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /Allowed choices are 2024, 2021/);
  });

  test("--alloc on the host is refused: the host template has no heap", () => {
    const r = runCli(["new", path.join(tmp.dir, "x"), "--alloc", "--yes"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--alloc is available for the bare-metal targets/);
  });

  test("a parent that cannot be written gives one sentence, no stack trace", (t) => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions; use a path under a regular file instead.
      const file = path.join(tmp.dir, "plain-file");
      writeFileSync(file, "");
      const r = runCli(["new", path.join(file, "sub"), "--yes"]);
      assert.equal(r.code, 2);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.equal(r.stderr.trim().split("\n").length, 1);
      return;
    }
    const ro = path.join(tmp.dir, "ro");
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const r = runCli(["new", path.join(ro, "sub"), "--yes"]);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    t.diagnostic(r.stderr);
  });

  test("without a TTY, new never waits for input even with choices missing", async () => {
    const r = await runCliWithOpenStdin(["new", path.join(tmp.dir, "quiet")], { timeoutMs: 20_000 });
    assert.equal(r.timedOut, false, "new returned without reading stdin");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Created binary `quiet` for the host/);
  });
});

describe("cargo freestand", () => {
  const tmp = tempDir();
  after(tmp.cleanup);
  test("works as a cargo subcommand through the cargo-freestand bin", () => {
    const bin = path.join(tmp.dir, "bin");
    mkdirSync(bin);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    // What npm does on install: a cargo-freestand executable on PATH that runs the package's bin.
    writeFileSync(path.join(bin, "cargo-freestand"), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, pkg.bin["cargo-freestand"]!)}" "$@"\n`, { mode: 0o755 });
    const r = sh("cargo", ["freestand", "new", "via-cargo", "--yes"], { cwd: tmp.dir, env: { PATH: `${bin}:${process.env.PATH}`, NO_COLOR: "1" } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Created binary `via-cargo`/);
    const v = sh("cargo", ["freestand", "--version"], { env: { PATH: `${bin}:${process.env.PATH}` } });
    assert.equal(v.stdout.trim(), `freestand ${(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version}`);
  });
});
