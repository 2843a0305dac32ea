import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TargetInfo } from "../../src/targets/types.js";
import { ROOT, runCli } from "../support/cli.js";

/** Every kind of test result (test/fixtures/testing/kinds.rs), for the tests and bench/testing.ts. */
const KINDS = path.join(ROOT, "test", "fixtures", "testing", "kinds.rs");
const TESTS_MODULE = "#[cfg(test)]\nmod tests;";

/** A generated binary crate for `target` with the fixture's tests added beside the template's. */
export function crateWithKinds(dir: string, target: TargetInfo): void {
  const made = runCli(["new", dir, "--target", target.id, "--yes", "--vcs", "none"]);
  if (made.code !== 0) throw new Error(`freestand new failed: ${made.stderr}`);
  copyFileSync(KINDS, path.join(dir, "src", "kinds.rs"));
  const main = path.join(dir, "src", "main.rs");
  const text = readFileSync(main, "utf8");
  if (!text.includes(TESTS_MODULE)) throw new Error(`${main} no longer declares \`mod tests;\` as the template did`);
  writeFileSync(main, text.replace(TESTS_MODULE, `#[cfg(test)]\nmod kinds;\n${TESTS_MODULE}`));
}
