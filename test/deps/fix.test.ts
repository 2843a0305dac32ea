/**
 * `freestand check --fix` for dependency_requires_std through the real engine: the exact Cargo.toml text after
 * the fix for each way of declaring a dependency, that the fixed crate checks clean, and that a second run
 * changes nothing.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { check, fix } from "../../src/check/index.js";
import { registryMissing, scratch, writeCrate } from "./support.js";

const TARGET = "x86_64-unknown-none";
const missing = registryMissing(["serde", "serde_json", "memchr", "rand"]);
const work = scratch("freestand-deps-fix-");
after(() => work.cleanup());
const RULE = ["dependency_requires_std"];

const CASES: { name: string; before: string; after: string }[] = [
  {
    name: "plain_version",
    before: `[dependencies]\nserde = "1" # the usual\nmemchr = { version = "2", default-features = false }\n`,
    after: `[dependencies]\nserde = { version = "1", default-features = false } # the usual\nmemchr = { version = "2", default-features = false }\n`,
  },
  {
    name: "inline_table",
    before: `[dependencies]\nserde_json = { version = "1", features = ["alloc"] }\n`,
    after: `[dependencies]\nserde_json = { version = "1", features = ["alloc"], default-features = false }\n`,
  },
  {
    name: "inline_default_true",
    before: `[dependencies]\nmemchr = { version = "2", default-features = true }\n`,
    after: `[dependencies]\nmemchr = { version = "2", default-features = false }\n`,
  },
  {
    name: "table_form",
    before: `[dependencies.serde]\nversion = "1"\n# keep this comment\n\n[dependencies.memchr]\nversion = "2"\ndefault-features = false\n`,
    after: `[dependencies.serde]\nversion = "1"\ndefault-features = false\n# keep this comment\n\n[dependencies.memchr]\nversion = "2"\ndefault-features = false\n`,
  },
  {
    // rand's default "std_rng" does not lead to std: the fix keeps it.
    name: "keeps_features",
    before: `[dependencies]\nrand = "0.8"\n`,
    after: `[dependencies]\nrand = { version = "0.8", default-features = false, features = ["std_rng"] }\n`,
  },
  {
    name: "keeps_features_table",
    before: `[dependencies.rand]\nversion = "0.8"\nfeatures = ["small_rng"]\n`,
    after: `[dependencies.rand]\nversion = "0.8"\nfeatures = ["small_rng", "std_rng"]\ndefault-features = false\n`,
  },
];

for (const c of CASES) {
  test(`--fix: ${c.name}`, { skip: missing }, async () => {
    const dir = writeCrate(work.dir, c.name, c.before);
    const manifest = path.join(dir, "Cargo.toml");
    const header = fs.readFileSync(manifest, "utf8").slice(0, -c.before.length);
    const first = await check(dir, { target: TARGET, only: RULE });
    assert.ok(first.diagnostics.some((d) => d.code === "dependency_requires_std" && d.fix), "a fixable finding before the fix");
    const d = first.diagnostics.find((x) => x.code === "dependency_requires_std")!;
    // The span is the dependency's line (or table header) in Cargo.toml.
    const text = fs.readFileSync(manifest);
    const spanned = text.subarray(d.span!.start, d.span!.end).toString();
    assert.match(spanned, /^(\[dependencies\.)?(serde|serde_json|memchr|rand)\b/);
    const r = await fix(dir, { target: TARGET, only: RULE });
    assert.equal(fs.readFileSync(manifest, "utf8"), header + c.after);
    assert.deepEqual(r.after.diagnostics.filter((x) => x.code === "dependency_requires_std"), []);
    const again = await fix(dir, { target: TARGET, only: RULE });
    assert.equal(again.fixed.length, 0);
    assert.equal(fs.readFileSync(manifest, "utf8"), header + c.after);
  });
}

test("the finding names the chain and points at the line; no fix when std is asked for", { skip: missing }, async () => {
  const dir = writeCrate(work.dir, "asked", `[dependencies]\nserde_json = "1"\nlog = { version = "0.4", features = ["std"] }\n`);
  const r = await check(dir, { target: TARGET, only: RULE });
  const byDep = new Map(r.diagnostics.map((d) => [d.data?.dependency as string, d]));
  const sj = byDep.get("serde_json")!;
  assert.equal(sj.severity, "error");
  assert.match(sj.message, /serde_json.*asked → serde_json \(default features\) → (serde \(feature "std"\) → )?std/);
  assert.ok(sj.fix);
  const log = byDep.get("log")!;
  assert.equal(log.fix, undefined);
  assert.ok(log.help!.some((h) => h.includes('the feature "std" requested here')));
  const text = fs.readFileSync(path.join(dir, "Cargo.toml"));
  assert.equal(text.subarray(log.span!.start, log.span!.end).toString(), `log = { version = "0.4", features = ["std"] }`);
});

test("a crate that uses std itself is left to missing_no_std", { skip: missing }, async () => {
  const dir = writeCrate(work.dir, "hosted", `[dependencies]\nserde = "1"\n`, "pub fn f() {}\n");
  const r = await check(dir, { target: TARGET, only: RULE });
  assert.deepEqual(r.diagnostics, []);
});
