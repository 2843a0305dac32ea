/**
 * Explaining compiler output at scale, beside what a user would otherwise run on a big build log in the same run:
 * `grep -E '^(error|warning)'` (find the errors, explain nothing) on text, `jq` on cargo's JSON messages.
 * Also the scaling from 5 MB to 50 MB: linear time means the time ratio tracks the size ratio (10x).
 *
 *   node dist/bench/explain.js
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { explainCargoMessages, explainText, parseJsonLines } from "../src/explain/index.js";
import { PACKAGE_ROOT } from "../src/version.js";

const FIXTURES = path.join(PACKAGE_ROOT, "test/fixtures/explain");
const MB = 1024 * 1024;

/** A build log made of real provoked output: linker failures, compiler errors, a clean build's warning. */
function corpus(ext: "txt" | "jsonl", bytes: number): string {
  const names = ["stable/undefined-mem", "rustc-web/undefined-mem", "stable/std-macros", "rustc-web/e0463-std-dep", "stable/e0514-incompatible", "stable/clean-build", "rustc-web/duplicate-start"];
  const one = names.map((n) => readFileSync(path.join(FIXTURES, `${n}.${ext}`), "utf8")).join("");
  return one.repeat(Math.ceil(bytes / one.length));
}

function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

function external(cmd: string, args: string[]): number {
  return best(3, () => {
    const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed: ${r.stderr}`);
  });
}

const dir = mkdtempSync(path.join(tmpdir(), "freestand-bench-explain-"));
try {
  const small = corpus("txt", 5 * MB);
  const big = corpus("txt", 50 * MB);
  const tSmall = best(3, () => explainText(small));
  const tBig = best(3, () => explainText(big));
  const r = explainText(big);
  const bigFile = path.join(dir, "build.log");
  writeFileSync(bigFile, big);
  const tGrep = external("grep", ["-cE", "^(error|warning)", bigFile]);
  const sizeMb = big.length / MB;
  console.log(`text: ${sizeMb.toFixed(0)} MB, ${r.counts.errors} errors (${r.counts.errorsExplained} explained), ${r.counts.warnings} warnings`);
  console.log(`  explainText            ${tBig.toFixed(0)} ms  (${(sizeMb / (tBig / 1000)).toFixed(1)} MB/s)`);
  console.log(`  grep -cE '^(error|warning)' ${tGrep.toFixed(0)} ms  → freestand/grep time ratio ${(tBig / tGrep).toFixed(1)}x (grep only finds the lines; it explains nothing)`);
  console.log(`  scaling 5 MB → 50 MB: size ratio ${(big.length / small.length).toFixed(1)}x, time ratio ${(tBig / tSmall).toFixed(1)}x (linear ≈ equal)`);

  const json = corpus("jsonl", 50 * MB);
  const jsonFile = path.join(dir, "build.jsonl");
  writeFileSync(jsonFile, json);
  const tJson = best(3, () => explainCargoMessages(parseJsonLines(json)));
  const jr = explainCargoMessages(parseJsonLines(json));
  const haveJq = spawnSync("jq", ["--version"]).status === 0;
  console.log(`json: ${(json.length / MB).toFixed(0)} MB, ${jr.counts.errors} errors (${jr.counts.errorsExplained} explained)`);
  console.log(`  parse + explain        ${tJson.toFixed(0)} ms  (${(json.length / MB / (tJson / 1000)).toFixed(1)} MB/s)`);
  if (haveJq) {
    const tJq = external("jq", ["-c", 'select(.reason == "compiler-message") | .message.message', jsonFile]);
    console.log(`  jq (select messages)   ${tJq.toFixed(0)} ms  → freestand/jq time ratio ${(tJson / tJq).toFixed(2)}x`);
  } else {
    console.log("  jq is not installed: no JSON baseline in this run");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
