import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { CLI, runCli, sh, tempDir } from "../support/cli.js";
import { mkfifoSync } from "./fifo.js";
import { assertOneSentence, cappedHeap } from "./support.js";

/**
 * Compiler output built to make explain's patterns backtrack, and logs far larger than memory should hold.
 * The baits took 41–120 s before; the million-error log ran out of memory after 2.7 GB.
 */

const linkFailure = (note: string) => `error: linking with \`cc\` failed: exit status: 1\n  |\n  = note: ${note}\n\nerror: could not compile \`x\` (bin "x") due to 1 previous error\n`;

for (const [what, unit] of [
  ["undefined reference to `", "undefined reference to `"],
  ["multiple definition of `", "multiple definition of `"],
  ["\"; x:(\" before \"first defined here\"", "; x:("],
  ["\": first defined here\"", "multiple definition of `a'; x:(.text): first defined here "],
] as const) {
  test(`explain on 1 MB of ${what} repeated on one line finishes`, () => {
    const r = runCli(["explain", "-"], { input: linkFailure(unit.repeat(Math.ceil(1_000_000 / unit.length))), timeoutMs: 20_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /1 error, \d explained/);
  });
}

test("explain --format json on a million errors: memory independent of the log, at most 10,000 listed and the rest counted", () => {
  const tmp = tempDir("freestand-hostile-explain-");
  try {
    const log = path.join(tmp.dir, "build.log");
    const one = "error[E0463]: can't find crate for `std`\n  |\n  = note: the `thumbv7em-none-eabihf` target may not support the standard library\n\n";
    writeFileSync(log, one.repeat(1_000_000));
    // 128 MB of log through a 96 MiB heap: only a stream gets through.
    const r = runCli(["explain", log, "--format", "json"], { env: cappedHeap(96), timeoutMs: 300_000 });
    assert.equal(r.code, 1, r.stderr.slice(0, 2000));
    const report = JSON.parse(r.stdout) as { diagnostics: unknown[]; input: { errors: number; errorsExplained: number }; omitted: number };
    assert.equal(report.input.errors, 1_000_000);
    assert.equal(report.input.errorsExplained, 1_000_000);
    assert.equal(report.diagnostics.length, 10_000);
    assert.equal(report.omitted, 990_000);
    // And annotated as text (more output than a test should hold: only its end is kept), through the capped heap.
    const human = sh("bash", ["-c", 'set -o pipefail; "$0" "$1" explain "$2" | tail -c 300', process.execPath, CLI, log], { env: { NO_COLOR: "1", ...cappedHeap(96) }, timeoutMs: 300_000 });
    assert.equal(human.code, 1, human.stderr.slice(0, 2000));
    assert.match(human.stdout, /\n1000000 errors, 1000000 explained\n$/);
  } finally {
    tmp.cleanup();
  }
});

test("a line of 40 MB (no line break at all) is cut, not held, and the rest is still read", () => {
  const r = runCli(["explain", "-"], { input: `error: a\n${"x".repeat(40 << 20)}\nerror[E0463]: can't find crate for \`std\`\n`, env: cappedHeap(256), timeoutMs: 120_000 });
  assert.equal(r.code, 1, r.stderr.slice(0, 2000));
  assert.match(r.stdout, /more characters of this line not read\]/);
  assert.match(r.stdout, /2 errors, 1 explained/);
});

test("explain on a FIFO, a device or a directory: one sentence, never a wait", () => {
  const tmp = tempDir("freestand-hostile-explain-");
  try {
    const fifo = path.join(tmp.dir, "build.log");
    mkfifoSync(fifo);
    assertOneSentence(runCli(["explain", fifo], { timeoutMs: 30_000 }), /build\.log is a FIFO \(named pipe\), not a regular file\./);
    assertOneSentence(runCli(["explain", "/dev/zero"], { timeoutMs: 30_000 }), /\/dev\/zero is a device, not a regular file\./);
    assertOneSentence(runCli(["explain", tmp.dir], { timeoutMs: 30_000 }), /is a directory, not a regular file\./);
  } finally {
    tmp.cleanup();
  }
});
