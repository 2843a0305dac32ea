/**
 * The scan cache: a second run (in this process, or a new process reading the cache file) reads no crate it
 * has seen with the same features and target, and reports exactly what the first did; the user's own path
 * dependencies are scanned every time; a damaged cache file is ignored and replaced.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { analyzeDependencyStd, describeChain, type DependencyStdReport } from "../../src/deps/analyze.js";
import { registryMissing, scratch, writeCrate } from "./support.js";
import { forgetCaptures, rememberCaptures } from "../../src/util/process.js";

const TARGET = "x86_64-unknown-none";
const missing = registryMissing(["serde", "rand", "memchr"]);
const work = scratch("freestand-deps-cache-");
after(() => work.cleanup());

const chains = (r: DependencyStdReport) => r.findings.flatMap((f) => f.crates.map((c) => `${c.name}@${c.version} ${describeChain(c.chain)}`)).sort();

test("a second run answers from the cache, in this process and in a new one", { skip: missing }, async () => {
  const cacheFile = path.join(work.dir, "cache-a", "deps-scan.json");
  const dir = writeCrate(work.dir, "cached", `[dependencies]\nserde = "1"\nrand = "0.8"\nmemchr = { version = "2", default-features = false }\n`);
  const manifestPath = path.join(dir, "Cargo.toml");
  const first = await analyzeDependencyStd({ manifestPath, target: TARGET, cacheFile });
  assert.equal(first.cacheHits, 0);
  assert.ok(first.filesParsed > 0);
  assert.ok(fs.existsSync(cacheFile), "the cache file is written");
  const second = await analyzeDependencyStd({ manifestPath, target: TARGET, cacheFile });
  assert.equal(second.cacheHits, second.cratesChecked);
  assert.equal(second.filesParsed, 0);
  assert.deepEqual(chains(second), chains(first));
  assert.ok(chains(first).length >= 2);

  // Another target is another key: nothing is reused for it.
  const host = await analyzeDependencyStd({ manifestPath, target: "x86_64-unknown-linux-gnu", cacheFile });
  assert.equal(host.cacheHits < host.cratesChecked, true);

  // A new process reads the file.
  const analyzeJs = fileURLToPath(new URL("../../src/deps/analyze.js", import.meta.url));
  const script = `const { analyzeDependencyStd } = await import(${JSON.stringify(analyzeJs)}); const r = await analyzeDependencyStd({ manifestPath: ${JSON.stringify(manifestPath)}, target: ${JSON.stringify(TARGET)} }); console.log(JSON.stringify({ hits: r.cacheHits, checked: r.cratesChecked, parsed: r.filesParsed }));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, FREESTAND_DEPS_CACHE: cacheFile }, timeout: 120_000 });
  assert.equal(child.status, 0, child.stderr);
  const out = JSON.parse(child.stdout.trim()) as { hits: number; checked: number; parsed: number };
  assert.equal(out.hits, out.checked);
  assert.equal(out.parsed, 0);
});

test("path dependencies are scanned every time: an edit shows at once", { skip: missing }, async () => {
  const cacheFile = path.join(work.dir, "cache-b", "deps-scan.json");
  const local = writeCrate(work.dir, "localdep", "", "#![no_std]\n");
  const dir = writeCrate(work.dir, "uses_local", `[dependencies]\nlocaldep = { path = "../localdep" }\nmemchr = { version = "2", default-features = false }\n`);
  const manifestPath = path.join(dir, "Cargo.toml");
  const before = await analyzeDependencyStd({ manifestPath, target: TARGET, cacheFile });
  assert.deepEqual(chains(before), []);
  fs.writeFileSync(path.join(local, "src", "lib.rs"), "// no no_std any more\n");
  const afterEdit = await analyzeDependencyStd({ manifestPath, target: TARGET, cacheFile });
  assert.deepEqual(chains(afterEdit), ["localdep@0.1.0 uses_local → localdep → std"]);
  assert.equal(afterEdit.cacheHits, afterEdit.cratesChecked - 1, "memchr from the cache, localdep scanned");
});

test("a damaged cache file is ignored and replaced", { skip: missing }, async () => {
  const cacheFile = path.join(work.dir, "cache-c", "deps-scan.json");
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  fs.writeFileSync(cacheFile, '{"format": 1, "entries": [["x", ');
  const dir = writeCrate(work.dir, "damaged", `[dependencies]\nserde = "1"\n`);
  const r = await analyzeDependencyStd({ manifestPath: path.join(dir, "Cargo.toml"), target: TARGET, cacheFile });
  assert.equal(chains(r).length, 1);
  assert.match(chains(r)[0]!, /^serde@\S+ damaged → serde \(default features\) → std$/);
  const j = JSON.parse(fs.readFileSync(cacheFile, "utf8")) as { entries: unknown[] };
  assert.ok(j.entries.length >= 1);
});

test("while the language server remembers programs' answers, the analysis runs once per manifest state, except with path dependencies", { skip: missing }, async () => {
  const cacheFile = path.join(work.dir, "cache-lsp", "deps-scan.json");
  const registryOnly = path.join(writeCrate(work.dir, "remembered", `[dependencies]\nserde = "1"\n`), "Cargo.toml");
  const local = writeCrate(work.dir, "localdep2", "", "#![no_std]\n");
  const withPath = path.join(writeCrate(work.dir, "uses_local2", `[dependencies]\nlocaldep2 = { path = "../localdep2" }\n`), "Cargo.toml");
  rememberCaptures(true);
  try {
    const first = await analyzeDependencyStd({ manifestPath: registryOnly, target: TARGET, cacheFile });
    assert.equal(first.pathCrates, 0);
    assert.equal(await analyzeDependencyStd({ manifestPath: registryOnly, target: TARGET, cacheFile }), first, "asked again: the same answer, not a new analysis");
    // A manifest, lockfile or config change makes the server forget (lsp/server.ts): a new analysis.
    forgetCaptures();
    const afterChange = await analyzeDependencyStd({ manifestPath: registryOnly, target: TARGET, cacheFile });
    assert.notEqual(afterChange, first);
    assert.deepEqual(chains(afterChange), chains(first));

    const before = await analyzeDependencyStd({ manifestPath: withPath, target: TARGET, cacheFile });
    assert.equal(before.pathCrates, 1);
    assert.deepEqual(chains(before), []);
    fs.writeFileSync(path.join(local, "src", "lib.rs"), "// no no_std any more\n");
    const edited = await analyzeDependencyStd({ manifestPath: withPath, target: TARGET, cacheFile });
    assert.deepEqual(chains(edited), ["localdep2@0.1.0 uses_local2 → localdep2 → std"]);
  } finally {
    rememberCaptures(false);
  }
});
