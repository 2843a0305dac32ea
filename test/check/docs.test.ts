import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { RULES, describeRule } from "../../src/rules/index.js";
import { PACKAGE_ROOT } from "../../src/version.js";
import { ruleDocMarkdown } from "../../src/rules/docs.js";
import { CLI } from "../support/cli.js";

test("rule metadata is complete and ids are unique snake_case", () => {
  const seen = new Set<string>();
  for (const r of RULES) {
    assert.match(r.id, /^[a-z][a-z0-9_]*$/);
    assert.ok(!seen.has(r.id), `duplicate ${r.id}`);
    seen.add(r.id);
    assert.ok(r.summary.length > 10 && !r.summary.endsWith("."));
    assert.match(r.explanation, /## What it finds/);
    assert.deepEqual(describeRule(r.id)?.code, r.id);
  }
  assert.equal(describeRule("no_such_rule"), undefined);
});

test("`freestand explain <rule>` prints the page; an unknown rule is one sentence and exit 2", () => {
  const main = CLI;
  const out = execFileSync(process.execPath, [main, "explain", "missing_no_std"], { encoding: "utf8" });
  assert.equal(out, ruleDocMarkdown(RULES.find((r) => r.id === "missing_no_std")!));
  try {
    execFileSync(process.execPath, [main, "explain", "nope"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    assert.fail("should exit non-zero");
  } catch (err) {
    const e = err as { status: number; stderr: string };
    assert.equal(e.status, 2);
    assert.equal(e.stderr.trim().split("\n").length, 1);
    assert.match(e.stderr, /`nope` is not a rule/);
  }
});

test("a snake_case file in src/rules/ is a rule of that id, and every rule has one (helpers are kebab-case)", () => {
  const dir = path.join(PACKAGE_ROOT, "src", "rules");
  const snake = readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && f.includes("_"))
    .map((f) => f.replace(/\.ts$/, ""))
    .sort();
  assert.deepEqual(snake, RULES.map((r) => r.id).sort());
});
