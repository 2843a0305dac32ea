/**
 * The compiler agrees with the analysis: `cargo check` for a target without std (x86_64-unknown-none, with the
 * core that `freestand sysroot` builds) fails with std errors exactly in crates the rule flags, and succeeds
 * where the rule flags nothing — on these cases and on every case of the matrix (cases.ts).
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { analyzeDependencyStd } from "../../src/deps/analyze.js";
import { confirmWithCompiler } from "../../src/deps/confirm.js";
import { locateCore } from "../../src/toolchain/invocation.js";
import { registryMissing, scratch, writeCrate } from "./support.js";
import { CASES as MATRIX, CRATES } from "./cases.js";

const TARGET = "x86_64-unknown-none";
const work = scratch("freestand-deps-confirm-");
after(() => work.cleanup());

async function noCore(): Promise<string | undefined> {
  const missing = registryMissing(CRATES);
  if (missing) return missing;
  const { source } = await locateCore({ crateDir: work.dir, triple: TARGET });
  return source.kind === "missing" ? `no core for ${TARGET} (run \`freestand sysroot --target ${TARGET}\`)` : undefined;
}
const skip = await noCore();

const CASES: [string, string][] = [
  ["c_serde_default", `[dependencies]\nserde = "1"\n`],
  ["c_serde_off", `[dependencies]\nserde = { version = "1", default-features = false, features = ["alloc"] }\n`],
  ["c_smallvec_write", `[dependencies]\nsmallvec = { version = "1", features = ["write"] }\n`],
  ["c_hashbrown", `[dependencies]\nhashbrown = { version = "0.12", default-features = false }\nbyteorder = { version = "1", default-features = false }\n`],
  ["c_memchr_byteorder", `[dependencies]\nmemchr = "2"\nbyteorder = "1"\n`],
];

// Every case of the matrix too (matrix.test.ts asserts what the rule says about them).
const ALL: [string, string][] = [...CASES, ...MATRIX.map((c): [string, string] => [`m_${c.name}`, c.deps])];

for (const [name, deps] of ALL) {
  test(`--confirm agrees with cargo check: ${name}`, { skip }, async () => {
    const dir = writeCrate(work.dir, name, deps);
    const manifestPath = path.join(dir, "Cargo.toml");
    const report = await analyzeDependencyStd({ manifestPath, target: TARGET });
    const flagged = new Set(report.findings.flatMap((f) => f.crates.map((c) => `${c.name}@${c.version}`)));
    const compiler = await confirmWithCompiler({ manifestPath, target: TARGET, targetDir: path.join(work.dir, "target") });
    assert.deepEqual(compiler.otherErrors, []);
    const failed = compiler.stdErrors.map((e) => `${e.name}@${e.version}`);
    if (flagged.size === 0) {
      assert.equal(compiler.success, true, "the compiler builds what the rule calls clean");
    } else {
      assert.equal(compiler.success, false);
      // cargo stops at the first crates that fail: every one of them is flagged, and each flagged crate that
      // cargo reached failed.
      assert.ok(failed.length > 0);
      for (const f of failed) assert.ok(flagged.has(f), `${f} failed in the compiler but was not flagged (${[...flagged].join(", ")})`);
    }
  });
}
