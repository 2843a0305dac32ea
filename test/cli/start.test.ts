/**
 * How the installed CLI starts (src/cli/start.ts, src/cli/code-cache.ts): `--version` without loading the
 * commands, and the bundle loaded with V8's code cache — written on the first run, taken on the next, written
 * again when it does not fit, and never a reason to fail.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, tempDir } from "../support/cli.js";
import { packageVersion } from "../../src/version.js";

function cacheFiles(cacheHome: string): string[] {
  const dir = path.join(cacheHome, "freestand", "code-cache");
  try {
    return readdirSync(dir).map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

test("--version answers without loading the commands (nothing is compiled, so nothing is cached)", () => {
  const home = tempDir("freestand-start-");
  try {
    const r = runCli(["--version"], { env: { XDG_CACHE_HOME: home.dir } });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `freestand ${packageVersion()}\n`);
    assert.deepEqual(cacheFiles(home.dir), []);
    // Anything more than the bare flag goes to the full parser (here: -vV, cargo's verbose version).
    const verbose = runCli(["-vV"], { env: { XDG_CACHE_HOME: home.dir } });
    assert.match(verbose.stdout, /^release: /m);
    assert.equal(cacheFiles(home.dir).length, 1);
  } finally {
    home.cleanup();
  }
});

test("the code cache is written once, taken on the next run, and written again when it does not fit", () => {
  const home = tempDir("freestand-start-");
  try {
    const env = { XDG_CACHE_HOME: home.dir };
    const first = runCli(["targets"], { env });
    assert.equal(first.code, 0, first.stderr);
    const [cache] = cacheFiles(home.dir);
    assert.ok(cache, "no code cache was written");
    assert.match(path.basename(cache), /^program\.cjs-.*\.bin$/);
    const written = statSync(cache);
    assert.ok(written.size > 10_000, `a ${written.size}-byte cache`);

    const second = runCli(["targets"], { env });
    assert.equal(second.stdout, first.stdout);
    // Taken, so not written again.
    assert.equal(statSync(cache).mtimeMs, written.mtimeMs);

    writeFileSync(cache, "not a code cache");
    const third = runCli(["targets"], { env });
    assert.equal(third.code, 0, third.stderr);
    assert.equal(third.stdout, first.stdout);
    assert.notEqual(readFileSync(cache, "utf8").slice(0, 16), "not a code cache");
    assert.deepEqual(cacheFiles(home.dir), [cache], "a temporary file or a second cache was left behind");
  } finally {
    home.cleanup();
  }
});

test("a cache directory that cannot be written costs only the compile", () => {
  const home = tempDir("freestand-start-");
  try {
    // The cache home is a file: no directory can be made under it.
    const blocked = path.join(home.dir, "file");
    writeFileSync(blocked, "");
    const r = runCli(["targets"], { env: { XDG_CACHE_HOME: blocked } });
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /x86_64-unknown-none/);
  } finally {
    home.cleanup();
  }
});
