import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { VERIFY_CODES, verifyDocPage } from "../../src/elf/verify/codes.js";
import { ROOT, runCli } from "../support/cli.js";

test("docs/verify has one page per verify code, with the same text as the explanation", () => {
  const dir = path.join(ROOT, "docs", "verify");
  const pages = readdirSync(dir).filter((f) => f.endsWith(".md")).sort();
  assert.deepEqual(pages, VERIFY_CODES.map((d) => `${d.code}.md`).sort());
  for (const d of VERIFY_CODES) {
    assert.equal(readFileSync(path.join(dir, `${d.code}.md`), "utf8"), verifyDocPage(d), `${d.code}.md is stale: run node scripts/verify-docs.mjs`);
  }
});

test("freestand explain <verify code> prints the same page as docs/verify", () => {
  for (const d of VERIFY_CODES) {
    const r = runCli(["explain", d.code]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, verifyDocPage(d));
  }
});
