/**
 * A workspace with two bare-metal members and a host tool, built from its root as cargo builds it: `build`,
 * `run -p`, `size -p` and `check` do what cargo does there, shown by running cargo itself beside freestand (with
 * the compiler and sysroot freestand uses, when plain cargo has no `core` for the target here).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, sh, tempDir } from "../support/cli.js";
import { greeting, notReadyReason } from "../targets/support.js";
import { findTarget } from "../../src/targets/catalog.js";
import { plainCargo } from "../../src/toolchain/invocation.js";

const BARE = "thumbv7m-none-eabi";
const tmp = tempDir("freestand-ws-");
after(tmp.cleanup);
const root = path.join(tmp.dir, "ws");
const skip = notReadyReason(findTarget(BARE)!);
let cargoEnv: NodeJS.ProcessEnv = {};

/** Runs cargo itself in the workspace root, as freestand runs it. */
function cargo(args: string[]) {
  return sh("cargo", args, { cwd: root, env: cargoEnv });
}

before(async () => {
  if (skip) return;
  mkdirSync(root);
  for (const m of ["fw-a", "fw-b"]) assert.equal(runCli(["new", path.join(root, m), "--target", BARE, "--yes", "--vcs", "none"]).code, 0);
  // The members' configuration and profiles move to the root, where cargo reads them when it builds from there.
  mkdirSync(path.join(root, ".cargo"));
  cpSync(path.join(root, "fw-a", ".cargo", "config.toml"), path.join(root, ".cargo", "config.toml"));
  for (const m of ["fw-a", "fw-b"]) {
    rmSync(path.join(root, m, ".cargo"), { recursive: true });
    const manifest = path.join(root, m, "Cargo.toml");
    const text = readFileSync(manifest, "utf8");
    writeFileSync(manifest, text.slice(0, text.indexOf("# Unwinding")));
  }
  assert.equal(sh("cargo", ["new", "--vcs", "none", "--quiet", "tool"], { cwd: root }).code, 0);
  writeFileSync(
    path.join(root, "Cargo.toml"),
    `[workspace]
resolver = "3"
members = ["fw-a", "fw-b", "tool"]
# The host tool is built on request (-p tool --target <host>); a plain build makes the firmware.
default-members = ["fw-a", "fw-b"]

[profile.dev]
panic = "abort"

[profile.release]
panic = "abort"
opt-level = "s"
`,
  );
  const plain = await plainCargo({ crateDir: root, triple: BARE });
  cargoEnv = plain.env ?? {};
});

test("build at the root builds the default members, as cargo does", { skip }, () => {
  const r = runCli(["build"], { cwd: root });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const ours = [...r.stdout.matchAll(/^Built binary target\/thumbv7m-none-eabi\/debug\/(\S+) /gm)].map((m) => m[1]).sort();
  assert.deepEqual(ours, ["fw-a", "fw-b"]);
  const theirs = cargo(["build", "--message-format=json"]);
  assert.equal(theirs.code, 0, theirs.stderr);
  const built = theirs.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)).filter((m) => m.reason === "compiler-artifact" && m.executable).map((m) => path.basename(m.executable)).sort();
  assert.deepEqual(built, ours);
});

test("run at the root asks which binary, as cargo does, before building", { skip }, () => {
  const r = runCli(["run"], { cwd: root });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /could not determine which binary to run: use `--bin <name>` or `-p <package>`; available binaries: fw-a, fw-b\./);
  const theirs = cargo(["run"]);
  assert.notEqual(theirs.code, 0);
  assert.match(theirs.stderr, /could not determine which binary to run/);
});

test("run -p boots that member in QEMU, as cargo run -p does through the runner", { skip }, () => {
  const r = runCli(["run", "-p", "fw-a"], { cwd: root });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith(greeting("fw-a", BARE)), r.stdout);
  const theirs = cargo(["run", "-p", "fw-a"]);
  assert.equal(theirs.code, 0, theirs.stderr);
  assert.ok(theirs.stdout.startsWith(greeting("fw-a", BARE)), theirs.stdout);
});

test("size -p measures that member's binary, the one cargo built", { skip }, () => {
  const r = runCli(["size", "-p", "fw-b"], { cwd: root });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\s+\d+\s+\d+\s+\d+\s+\d+\s+[0-9a-f]+\s+target\/thumbv7m-none-eabi\/debug\/fw-b$/m);
  assert.match(r.stdout, /% of 256 KiB FLASH/);
});

test("the host tool runs with -p and the host triple, as with cargo", { skip }, () => {
  const host = findTarget("host")!.triple;
  const r = runCli(["run", "-p", "tool", "--target", host], { cwd: root });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "Hello, world!\n");
  assert.equal(cargo(["run", "-q", "-p", "tool", "--target", host]).stdout, "Hello, world!\n");
});

test("check at the root judges the firmware, not the std tool", { skip }, () => {
  const r = runCli(["check", "--format", "json"], { cwd: root });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const report = JSON.parse(r.stdout) as { diagnostics: { severity: string; file?: string }[] };
  assert.deepEqual(report.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning"), []);
  assert.ok(!report.diagnostics.some((d) => d.file?.includes(`${path.sep}tool${path.sep}`)), "nothing about the tool");
});

test("a member's own .cargo/config.toml that cargo ignores from the root is said before the build", { skip }, () => {
  mkdirSync(path.join(root, "fw-b", ".cargo"));
  writeFileSync(path.join(root, "fw-b", ".cargo", "config.toml"), '[build]\ntarget = "thumbv7m-none-eabi"\n');
  try {
    const r = runCli(["build"], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: cargo runs in .*ws and reads its configuration from there, so fw-b\/\.cargo\/config\.toml is not used for `fw-b`; build in its directory to use it \(`freestand build fw-b`\)$/m);
    const check = runCli(["check"], { cwd: root });
    assert.match(check.stdout, /warning\[member_config_ignored\]/);
  } finally {
    rmSync(path.join(root, "fw-b", ".cargo"), { recursive: true });
  }
});
