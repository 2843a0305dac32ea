import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import type { CliResult } from "../support/cli.js";

/**
 * The hostile-input tests' shared checks. Their bounds are "it finishes" (a timeout generous enough for a noisy
 * machine, far below what the quadratic or unbounded versions took), "bounded memory" (a capped V8 heap), an exit
 * code, one sentence, and what is left on disk.
 */

/** Exit 2 and exactly one `error: …` sentence on stderr (no stack trace, no second line). */
export function assertOneSentence(r: CliResult, pattern?: RegExp): void {
  assert.equal(r.code, 2, `exit ${r.code}\n${r.stderr}${r.stdout}`);
  assert.match(r.stderr, /^error: [^\n]+[.)]\n$/, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  if (pattern) assert.match(r.stderr, pattern);
}

/** Node with its heap capped: a command that holds its whole input (or more) in memory fails under it. */
export function cappedHeap(mib: number): NodeJS.ProcessEnv {
  return { NODE_OPTIONS: `--max-old-space-size=${mib}` };
}

/** Every file below `dir` (relative) with its content's hash. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size >= 0) out.set(path.relative(dir, p), createHash("sha256").update(readFileSync(p)).digest("hex"));
    }
  };
  walk(dir);
  return out;
}

export { rng } from "../support/rng.js";
