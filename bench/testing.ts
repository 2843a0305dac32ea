/**
 * `freestand test` benchmark (issue 15), for the host and every bare-metal target that is ready here:
 *  - the generated crate's test run after the build (`freestand test`, cargo's no-op check included), beside a
 *    plain `freestand run` of the same crate (cargo's no-op check and one boot) — target: at most 2 s;
 *  - what a failing test costs: the fixture with every kind of failure (test/fixtures/testing/kinds.rs) run
 *    through the library, its time per boot beside the time of one `freestand run` boot — target: one boot each.
 * Run: npm run bench -- testing   (or: node dist/bench/testing.js after tsc)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ratio, row, timeCommand } from "./support/measure.js";
import { TARGETS } from "../src/targets/catalog.js";
import type { TargetInfo } from "../src/targets/types.js";
import { build } from "../src/build/index.js";
import { runTestBinary } from "../src/testing/session.js";
import { crateWithKinds } from "../test/testing/support.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The CLI as installed: the bundle package.json's bin runs (scripts/bundle.mjs). */
const CLI = path.join(ROOT, "dist", "bin", "freestand.js");
const work = mkdtempSync(path.join(os.tmpdir(), "freestand-bench-testing-"));

function cli(args: string[], ok = [0]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 << 20 });
  if (!ok.includes(r.status ?? -1)) throw new Error(`freestand ${args.join(" ")} exited with ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

function ready(target: TargetInfo): boolean {
  if (target.flavour === "host") return true;
  const list = JSON.parse(cli(["targets", "--format", "json"], [0, 1])) as { id: string; ready: boolean }[];
  return list.find((t) => t.id === target.id)?.ready ?? false;
}

async function main(): Promise<void> {
  const widths = [30, 14, 14, 8, 20];
  console.log(row(["target", "freestand test", "freestand run", "ratio", "a boot (kinds.rs)"], widths));
  for (const target of TARGETS) {
    if (!ready(target)) {
      console.log(`${target.id.padEnd(30)} skipped: not ready here (see \`freestand targets\`)`);
      continue;
    }
    const crate = path.join(work, target.id);
    cli(["new", crate, "--target", target.id, "--yes", "--vcs", "none"]);
    cli(["test", "-C", crate]);
    cli(["build", crate]);
    const test = timeCommand(process.execPath, [CLI, "test", "-C", crate], { runs: 7 });
    const run = timeCommand(process.execPath, [CLI, "run", crate], { runs: 7 });

    // Every kind of failure: each of the tests that end a boot costs one boot more.
    const kinds = path.join(work, `${target.id}-kinds`);
    crateWithKinds(kinds, target);
    const built = await build({ cwd: kinds, tests: true, verify: false });
    const elf = built.artifacts.find((a) => a.test)?.path;
    if (!elf) throw new Error(`no test binary for ${target.id}`);
    // The hanging test waits out its 800 ms timeout: left out of the per-boot figure.
    const session = await runTestBinary(elf, target, { skip: ["h_hangs"] });
    const perBoot = session.durationMs / session.boots;
    console.log(row([target.id, `${test.median.toFixed(0)} ms`, `${run.median.toFixed(0)} ms`, ratio(test.median, run.median), `${perBoot.toFixed(0)} ms (${session.boots} boots)`], widths));
  }
  console.log("\n`freestand run` includes cargo's no-op check and a boot; `freestand test` the same check, a boot to list the tests,");
  console.log("and one per test that ends its boot (the template's should_panic test ends one). Target: freestand test <= 2 s.");
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
