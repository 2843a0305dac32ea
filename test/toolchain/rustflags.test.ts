/**
 * `--sysroot` must reach rustc through the rustflags source cargo really uses, without dropping the crate's own
 * flags. Proved with the real cargo: the crate refuses to compile unless both its own cfg and ours arrive.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { addTargetRustflags } from "../../src/toolchain/index.js";
import { sh, tempDir } from "../support/cli.js";

const work = tempDir("freestand-rustflags-");
after(() => work.cleanup());
const TRIPLE = "x86_64-unknown-linux-gnu";

function crate(name: string, config: string | undefined): string {
  const dir = path.join(work.dir, name);
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(path.join(dir, "Cargo.toml"), `[package]\nname = "${name.replace(/-/g, "_")}"\nversion = "0.1.0"\nedition = "2021"\n`);
  writeFileSync(
    path.join(dir, "src", "lib.rs"),
    `#![no_std]\n#[cfg(not(crate_flag))] compile_error!("the crate's own rustflags were lost");\n#[cfg(not(added_flag))] compile_error!("the added rustflags did not arrive");\n`,
  );
  if (config !== undefined) {
    mkdirSync(path.join(dir, ".cargo"), { recursive: true });
    writeFileSync(path.join(dir, ".cargo", "config.toml"), config);
  }
  return dir;
}

const CASES: { name: string; config?: string; env?: Record<string, string>; via: string }[] = [
  { name: "build-array", config: `[build]\nrustflags = ["--cfg", "crate_flag"]\n`, via: "build" },
  { name: "build-string", config: `[build]\nrustflags = "--cfg crate_flag"\n`, via: "build" },
  { name: "target-array", config: `[target.${TRIPLE}]\nrustflags = ["--cfg", "crate_flag"]\n`, via: "target" },
  { name: "target-string", config: `[target.${TRIPLE}]\nrustflags = "--cfg crate_flag"\n`, via: "target" },
  // The target table replaces build.rustflags: adding ours to build.rustflags would be silently ignored.
  { name: "target-over-build", config: `[build]\nrustflags = ["--cfg", "never_used"]\n[target.${TRIPLE}]\nrustflags = ["--cfg", "crate_flag"]\n`, via: "target" },
  { name: "cfg-matches", config: `[target.'cfg(target_os = "linux")']\nrustflags = ["--cfg", "crate_flag"]\n`, via: "target" },
  { name: "cfg-other-build", config: `[target.'cfg(target_os = "none")']\nrustflags = ["--cfg", "never_used"]\n[build]\nrustflags = ["--cfg", "crate_flag"]\n`, via: "build" },
  { name: "env-target", env: { [`CARGO_TARGET_${TRIPLE.toUpperCase().replace(/-/g, "_")}_RUSTFLAGS`]: "--cfg crate_flag" }, via: "target" },
  { name: "env-rustflags", env: { RUSTFLAGS: "--cfg crate_flag" }, via: "CARGO_ENCODED_RUSTFLAGS" },
  { name: "env-encoded", env: { CARGO_ENCODED_RUSTFLAGS: "--cfg\x1fcrate_flag" }, via: "CARGO_ENCODED_RUSTFLAGS" },
];

for (const c of CASES) {
  test(`rustflags reach rustc with the crate's own: ${c.name}`, async () => {
    const dir = crate(c.name, c.config);
    const env = { ...process.env, ...c.env };
    // A clean slate: variables from the test runner's environment must not decide the case.
    for (const k of Object.keys(env)) if (/RUSTFLAGS$/.test(k) && !(c.env && k in c.env)) delete env[k];
    const add = await addTargetRustflags({ cwd: dir, triple: TRIPLE, flags: ["--cfg", "added_flag"], rustc: "rustc", env });
    assert.equal(add.via, c.via);
    const r = sh("cargo", ["check", "--target", TRIPLE, ...add.args], { cwd: dir, env: { ...env, ...add.env }, timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
  });
}

test("a flag with a space travels as a --config TOML array", async () => {
  const dir = crate("spaced", `[build]\nrustflags = ["--cfg", "crate_flag"]\n`);
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/RUSTFLAGS$/.test(k)) delete env[k];
  writeFileSync(path.join(dir, "src", "lib.rs"), `#![no_std]\n#[cfg(not(all(crate_flag, added_flag, spaced = "a b")))] compile_error!("a flag was lost or split");\n`);
  const add = await addTargetRustflags({ cwd: dir, triple: TRIPLE, flags: ["--cfg", "added_flag", "--cfg", 'spaced="a b"'], rustc: "rustc", env });
  assert.deepEqual(add.env, {});
  assert.equal(add.args[0], "--config");
  const r = sh("cargo", ["check", "--target", TRIPLE, ...add.args], { cwd: dir, env, timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
});
