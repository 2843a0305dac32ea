/**
 * The rule's analysis on real crates nobody here wrote (Debian's librust-*-dev sources, resolved by the real
 * cargo, offline): which dependencies are flagged for a bare-metal target, with which chain, and what fix.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { analyzeDependencyStd, describeChain, type DependencyStdReport } from "../../src/deps/analyze.js";
import { registryMissing, scratch, writeCrate } from "./support.js";
import { CASES, CRATES } from "./cases.js";

const TARGET = "x86_64-unknown-none";
const missing = registryMissing(CRATES);
const work = scratch("freestand-deps-matrix-");
after(() => work.cleanup());

function summarize(r: DependencyStdReport) {
  const flagged: Record<string, string[]> = {};
  const fix: Record<string, string[] | "none"> = {};
  const blockers: Record<string, string[]> = {};
  for (const f of r.findings) {
    const key = f.dependency ? (f.dependency.rename ?? f.dependency.name) : "";
    flagged[key] = f.crates.map((c) => describeChain(c.chain)).sort();
    fix[key] = f.fix ? f.fix.keepFeatures : "none";
    blockers[key] = f.blockers;
  }
  return { flagged, fix, blockers };
}

for (const c of CASES) {
  test(`dependency matrix: ${c.name}`, { skip: missing }, async () => {
    const dir = writeCrate(work.dir, c.name, c.deps);
    const r = await analyzeDependencyStd({ manifestPath: `${dir}/Cargo.toml`, target: TARGET });
    const s = summarize(r);
    assert.deepEqual(s.flagged, c.flagged);
    for (const [k, v] of Object.entries(c.fix ?? {})) assert.deepEqual(s.fix[k], v, `fix for ${k}`);
    for (const [k, v] of Object.entries(c.blocker ?? {})) assert.ok(s.blockers[k]?.some((b) => b.includes(v)), `blocker for ${k}: ${JSON.stringify(s.blockers[k])}`);
    assert.ok(r.cratesChecked >= Object.keys(c.flagged).length);
  });
}

test("reasons name the attribute or the extern crate that brings std", { skip: missing }, async () => {
  const dir = writeCrate(work.dir, "reasons", `[dependencies]\nserde = "1"\nsmallvec = { version = "1", features = ["write"] }\n`);
  const r = await analyzeDependencyStd({ manifestPath: `${dir}/Cargo.toml`, target: TARGET });
  const crates = new Map(r.findings.flatMap((f) => f.crates).map((c) => [c.name, c]));
  const serde = crates.get("serde")!.reason;
  assert.equal(serde.kind, "no_std_disabled");
  assert.ok(serde.kind === "no_std_disabled" && serde.cfg === 'not(feature = "std")' && serde.culprits.includes("std"));
  const sv = crates.get("smallvec")!.reason;
  assert.equal(sv.kind, "extern_crate_std");
  assert.ok(sv.kind === "extern_crate_std" && sv.culprits.includes("write") && sv.file.endsWith("lib.rs"));
});

test("a host target uses the host's cfg: getrandom brings libc on Linux, not on bare metal", { skip: missing }, async () => {
  const dir = writeCrate(work.dir, "host_vs_none", `[dependencies]\nrand = { version = "0.8", default-features = false, features = ["getrandom"] }\n`);
  const none = await analyzeDependencyStd({ manifestPath: `${dir}/Cargo.toml`, target: TARGET });
  const host = await analyzeDependencyStd({ manifestPath: `${dir}/Cargo.toml`, target: "x86_64-unknown-linux-gnu" });
  assert.ok(host.cratesChecked > none.cratesChecked, `${host.cratesChecked} > ${none.cratesChecked}`);
  assert.deepEqual(summarize(none).flagged, {});
});
