/**
 * `freestand check --confirm` through the real CLI (the bundle, dist/bin/freestand.js) on bare-metal targets whose `core`
 * comes from `freestand sysroot`: the compiler's std errors are put beside the findings they confirm, a crate the
 * analysis cannot decide (a build-script cfg) but the compiler rejects becomes a finding, a clean crate stays
 * clean, and `--fix --confirm` ends with a compiler that agrees. On the host, where std exists, the compiler's
 * word is a duplicate lang item (E0152) in the crate itself.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { locateCore } from "../../src/toolchain/invocation.js";
import { registryMissing, scratch, writeCrate } from "./support.js";
import { CLI } from "../support/cli.js";

const work = scratch("freestand-deps-confirm-cli-");
after(() => work.cleanup());
// One target directory for every case: the registry crates are compiled once per target and feature set.
const targetDir = path.join(work.dir, "target");

async function skipReason(target: string): Promise<string | undefined> {
  const missing = registryMissing(["serde", "memchr", "byteorder"]);
  if (missing) return missing;
  const { source } = await locateCore({ crateDir: work.dir, triple: target });
  return source.kind === "missing" ? `no core for ${target} (run \`freestand sysroot --target ${target}\`; scripts/env/10-toolchain.sh does)` : undefined;
}

interface JsonDiag {
  code: string;
  message: string;
  notes?: string[];
  data?: { crates?: { name: string }[]; fromCompiler?: boolean };
}
interface JsonOut {
  diagnostics: JsonDiag[];
  confirmations?: { package: string; compiler?: { success: boolean; otherErrors: string[] }; skipped?: string; confirmed: string[]; missed: string[]; stdLinked: boolean }[];
}

function run(dir: string, target: string, ...extra: string[]): { status: number | null; out: JsonOut; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "check", "--confirm", "--target", target, "--format", "json", ...extra, dir], {
    encoding: "utf8",
    env: { ...process.env, CARGO_TARGET_DIR: targetDir },
    timeout: 600_000,
  });
  let out: JsonOut;
  try {
    out = JSON.parse(r.stdout) as JsonOut;
  } catch {
    throw new Error(`not JSON (exit ${r.status}): ${r.stdout.slice(0, 400)} ${r.stderr.slice(0, 400)}`);
  }
  return { status: r.status, out, stderr: r.stderr };
}

const depsFindings = (o: JsonOut) => o.diagnostics.filter((d) => d.code === "dependency_requires_std");
const CONFIRMED = /^confirmed by the compiler: `cargo check --target \S+` fails in (\S+) \S+: error\[E0463\]: can't find crate for `std`$/;

for (const target of ["x86_64-unknown-none", "thumbv7m-none-eabi"]) {
  const skip = await skipReason(target);

  test(`check --confirm (${target}): each flagged dependency is confirmed by the compiler`, { skip }, () => {
    const dir = writeCrate(path.join(work.dir, target), "mix", `[dependencies]\nserde = "1"\nbyteorder = "1"\nmemchr = { version = "2", default-features = false }\n`);
    const r = run(dir, target, "--rule", "dependency_requires_std");
    assert.equal(r.status, 1, r.stderr);
    const found = depsFindings(r.out);
    assert.deepEqual(found.map((d) => d.data!.crates![0]!.name).sort(), ["byteorder", "serde"]);
    for (const d of found) {
      const notes = (d.notes ?? []).map((n) => CONFIRMED.exec(n)?.[1]).filter(Boolean);
      assert.deepEqual(notes, [d.data!.crates![0]!.name], JSON.stringify(d.notes));
    }
    const c = r.out.confirmations!;
    assert.equal(c.length, 1);
    assert.equal(c[0]!.compiler!.success, false);
    assert.deepEqual(c[0]!.confirmed.map((x) => x.split("@")[0]).sort(), ["byteorder", "serde"]);
    assert.deepEqual(c[0]!.missed, []);
    assert.deepEqual(c[0]!.compiler!.otherErrors, []);
  });

  test(`check --confirm (${target}): a clean crate builds and stays clean`, { skip }, () => {
    const dir = writeCrate(path.join(work.dir, target), "clean", `[dependencies]\nserde = { version = "1", default-features = false }\nmemchr = { version = "2", default-features = false }\nbyteorder = { version = "1", default-features = false }\n`);
    const r = run(dir, target, "--rule", "dependency_requires_std");
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(depsFindings(r.out), []);
    assert.equal(r.out.confirmations![0]!.compiler!.success, true);
  });
}

const noneSkip = await skipReason("x86_64-unknown-none");

test("check --confirm: a dependency the analysis cannot decide but the compiler rejects becomes a finding", { skip: noneSkip }, () => {
  // no_std hangs on a cfg a build script would set; this one sets none, so the compiler wants std.
  const local = writeCrate(work.dir, "undecided_dep", "", "#![cfg_attr(local_nostd, no_std)]\npub fn f() {}\n");
  fs.writeFileSync(path.join(local, "build.rs"), "fn main() {}\n");
  const dir = writeCrate(work.dir, "missed", `[dependencies]\nundecided_dep = { path = "../undecided_dep" }\nmemchr = { version = "2", default-features = false }\n`);
  const r = run(dir, "x86_64-unknown-none", "--rule", "dependency_requires_std");
  assert.equal(r.status, 1, r.stderr);
  const found = depsFindings(r.out);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.data!.fromCompiler, true);
  assert.match(found[0]!.message, /dependency `undecided_dep` needs `std` for x86_64-unknown-none, the compiler says/);
  assert.deepEqual(r.out.confirmations![0]!.missed, ["undecided_dep@0.1.0"]);
});

test("check --fix --confirm: after the fix the compiler builds the crate", { skip: noneSkip }, () => {
  const dir = writeCrate(work.dir, "fixme", `[dependencies]\nserde = "1"\nmemchr = "2"\n`);
  const r = run(dir, "x86_64-unknown-none", "--fix", "--rule", "dependency_requires_std");
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(depsFindings(r.out), []);
  assert.equal(r.out.confirmations![0]!.compiler!.success, true);
  const manifest = fs.readFileSync(path.join(dir, "Cargo.toml"), "utf8");
  assert.match(manifest, /serde = \{ version = "1", default-features = false \}/);
  assert.match(manifest, /memchr = \{ version = "2", default-features = false \}/);
});

test("check --confirm on a target without a core says why the compiler was not run", { skip: registryMissing(["serde"]) }, () => {
  // A sysroot directory with nothing in it: the target cannot be compiled for, and the static findings remain.
  const dir = writeCrate(work.dir, "nocore", `[dependencies]\nserde = "1"\n`);
  const r = spawnSync(process.execPath, [CLI, "check", "--confirm", "--target", "riscv32i-unknown-none-elf", "--rule", "dependency_requires_std", dir], {
    encoding: "utf8",
    env: { ...process.env, FREESTAND_SYSROOT_DIR: path.join(work.dir, "empty-sysroots") },
    timeout: 120_000,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /dependency `serde` pulls `std`/);
  assert.match(r.stdout, /--confirm: the compiler was not run for nocore \(riscv32i-unknown-none-elf\): /);
});

test("check --confirm on the host: a no_std binary with its own panic handler and a std dependency fails with E0152", { skip: registryMissing(["serde"]) }, () => {
  const dir = writeCrate(work.dir, "hostbin", `[dependencies]\nserde = "1"\n\n[profile.dev]\npanic = "abort"\n\n[profile.release]\npanic = "abort"\n`, "");
  fs.rmSync(path.join(dir, "src", "lib.rs"));
  // `use serde as _` loads the crate: an unused dependency is never linked, and std would not come in.
  fs.writeFileSync(
    path.join(dir, "src", "main.rs"),
    `#![no_std]\n#![no_main]\n\nuse core::panic::PanicInfo;\nuse serde as _;\n\n#[panic_handler]\nfn panic(_: &PanicInfo) -> ! {\n    loop {}\n}\n\n#[unsafe(no_mangle)]\npub extern "C" fn _start() -> ! {\n    loop {}\n}\n`,
  );
  const r = run(dir, "x86_64-unknown-linux-gnu", "--rule", "dependency_requires_std");
  assert.equal(r.status, 1, r.stderr);
  const found = depsFindings(r.out);
  assert.equal(found.length, 1);
  assert.ok(
    found[0]!.notes!.some((n) => /^confirmed by the compiler: .* fails in hostbin itself: error\[E0152\]: found duplicate lang item `panic_impl`/.test(n)),
    JSON.stringify(found[0]!.notes),
  );
  const c = r.out.confirmations![0]!;
  assert.equal(c.stdLinked, true);
  assert.deepEqual(c.missed, []);
});
