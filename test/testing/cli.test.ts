import { test, after } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, sh, tempDir } from "../support/cli.js";

// Bad input to `freestand test`: one sentence on stderr and exit 2, before anything runs.
const tmp = tempDir("freestand-test-cli-");
after(tmp.cleanup);

function oneSentence(r: { code: number | null; stderr: string }, re: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split("\n").filter((l) => l.startsWith("error:"));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, re);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
}

test("an unknown harness argument, contradicting flags, a missing directory", () => {
  const crate = path.join(tmp.dir, "plain");
  assert.equal(runCli(["new", crate, "--yes", "--vcs", "none"]).code, 0);
  oneSentence(runCli(["test", "-C", crate, "--", "--bogus"]), /`--bogus` is not a test-harness option freestand test knows/);
  oneSentence(runCli(["test", "-C", crate, "--", "--skip"]), /--skip needs a value/);
  oneSentence(runCli(["test", "-C", crate, "--", "--format", "terse"]), /--format terse is not one freestand test writes/);
  oneSentence(runCli(["test", "-C", crate, "--ignored", "--include-ignored"]), /--ignored and --include-ignored ask for different tests/);
  oneSentence(runCli(["test", "-C", path.join(tmp.dir, "nowhere")]), /does not exist/);
});

test("a test binary without freestand's harness, and a crate with no test binary", () => {
  const std = path.join(tmp.dir, "std-harness-false");
  assert.equal(sh("cargo", ["new", "--quiet", "--vcs", "none", std]).code, 0);
  appendFileSync(path.join(std, "Cargo.toml"), '\n[[bin]]\nname = "std-harness-false"\npath = "src/main.rs"\nharness = false\n');
  oneSentence(runCli(["test", "-C", std, "--target", "host"]), /has no `FREESTAND_TEST_PLAN`: the crate does not use freestand's test harness/);

  const none = path.join(tmp.dir, "no-tests");
  assert.equal(runCli(["new", none, "--yes", "--vcs", "none"]).code, 0);
  const manifest = path.join(none, "Cargo.toml");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace("harness = false", "test = false"));
  oneSentence(runCli(["test", "-C", none]), /the build produced no test binary: every selected target has `test = false`/);
});
