import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import os from "node:os";
import { cpSync, mkdtempSync } from "node:fs";
import { check, fix } from "../../src/check/index.js";
import { RULES } from "../../src/rules/index.js";
import { scaffold } from "../../src/scaffold/index.js";
import { listTargets } from "../../src/targets/catalog.js";
import { locateCore } from "../../src/toolchain/invocation.js";
import { PACKAGE_ROOT } from "../../src/version.js";
import { cargoBuild, cleanEnv, hasCargo, removeCrate } from "./harness.js";

const FIXTURES = path.join(PACKAGE_ROOT, "test/fixtures/check");

/** A copy of a fixture crate in a temporary directory (builds must not leave target/ in the repository). */
function copyFixture(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `freestand-shape-${name}-`));
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

function summary(r: Awaited<ReturnType<typeof check>>, dir: string): string[] {
  return r.diagnostics.map((d) => `${d.severity}[${d.code}] ${path.relative(dir, d.file ?? dir)}`);
}

test("the tutorial's minimal skeleton in edition 2024: #[no_mangle] is flagged", async () => {
  const dir = copyFixture("tutorial-2024");
  try {
    const r = await check(dir, { env: cleanEnv() });
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    // The tutorial links it for the x86_64 host, where a Rust `_start` also runs with a misaligned stack.
    assert.deepEqual(errors.map((d) => d.code), ["unsafe_attribute", "entry_point_stack_alignment"]);
    const text = Buffer.from(r.sources.get(errors[0]!.file!)!, "utf8").subarray(errors[0]!.span!.start, errors[0]!.span!.end).toString();
    assert.equal(text, "#[no_mangle]");
  } finally {
    removeCrate(dir);
  }
});

test("the same skeleton in edition 2021: no_mangle is fine; the misaligned Rust entry is found, and the fixed crate builds", async (t) => {
  const dir = copyFixture("tutorial-2021");
  try {
    const r = await check(dir, { env: cleanEnv() });
    // The entry shape, and the advice to keep `cargo test` away from the binary (a warning about Cargo.toml).
    assert.deepEqual(summary(r, dir), ["warning[test_harness_enabled] Cargo.toml", "error[entry_point_stack_alignment] src/main.rs"]);
    await fix(dir, { env: cleanEnv(), only: ["entry_point_stack_alignment"] });
    assert.deepEqual(summary(await check(dir, { env: cleanEnv() }), dir), ["warning[test_harness_enabled] Cargo.toml"]);
    if (!hasCargo()) return t.skip("cargo is not installed");
    const b = cargoBuild(dir);
    assert.ok(b.ok, b.stderr);
  } finally {
    removeCrate(dir);
  }
});

test("a cortex-m-rt application (#[entry], use panic_halt as _) checks clean", async () => {
  const dir = copyFixture("cortex-m-rt-app");
  try {
    // Whether this machine has `core` for thumbv7m is not the crate's business: leave that rule out.
    const only = RULES.map((r) => r.id).filter((id) => id !== "target_not_installed" && id !== "dependency_requires_std");
    const r = await check(dir, { env: cleanEnv(), only });
    // No error, no warning; the one note says the target already aborts on panic (the profiles do not say so).
    assert.deepEqual(summary(r, dir), ["info[panic_strategy_unwind] Cargo.toml"]);
  } finally {
    removeCrate(dir);
  }
});

test("a cfg_attr(not(feature = \"std\"), no_std) library with std behind the feature checks clean", async () => {
  const dir = copyFixture("std-feature-lib");
  try {
    const r = await check(dir, { env: cleanEnv(), only: RULES.map((r) => r.id).filter((id) => id !== "dependency_requires_std") });
    assert.deepEqual(summary(r, dir), []);
  } finally {
    removeCrate(dir);
  }
});

test("a no_std library whose #[cfg(test)] module uses std checks clean", async () => {
  const dir = copyFixture("test-module-lib");
  try {
    const r = await check(dir, { env: cleanEnv() });
    assert.deepEqual(summary(r, dir), []);
  } finally {
    removeCrate(dir);
  }
});

/** Crates created by `freestand new` check clean, for every target and edition, binary and library. */
const variants = [
  ...listTargets().flatMap((t) => (["2024", "2021"] as const).map((edition) => ({ target: t.id, edition, lib: false, alloc: false }))),
  ...listTargets().filter((t) => t.flavour === "qemu").map((t) => ({ target: t.id, edition: "2024" as const, lib: false, alloc: true })),
  { target: "host", edition: "2024" as const, lib: true, alloc: false },
];

for (const v of variants) {
  test(`freestand new --target ${v.target} --edition ${v.edition}${v.lib ? " --lib" : ""}${v.alloc ? " --alloc" : ""} checks clean`, async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), "freestand-new-check-"));
    const dir = path.join(parent, "fresh");
    try {
      const made = await scaffold({ dir, target: v.target, edition: v.edition, lib: v.lib, alloc: v.alloc });
      const r = await check(dir, { env: cleanEnv() });
      const { source, rustc, discovered } = await locateCore({ crateDir: dir, triple: made.triple, env: cleanEnv() });
      // A target whose `core` this machine lacks is reported as such, and that is the only finding allowed; a
      // `core` that only another compiler has gets the note that plain `cargo build` would fail.
      const expected = source.kind === "missing" ? ["error[target_not_installed] Cargo.toml"] : rustc !== discovered ? ["info[target_not_installed] Cargo.toml"] : [];
      assert.deepEqual(summary(r, dir), expected);
    } finally {
      removeCrate(parent);
    }
  });
}
