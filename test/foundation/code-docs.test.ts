import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { allCodePages, codePage } from "../../src/codes/docs.js";
import { allCodes } from "../../src/codes/index.js";
import { ROOT, runCli } from "../support/cli.js";

const DOCS = path.join(ROOT, "docs");

test("every code's page under docs/ is exactly what its code says (regenerate with node scripts/code-docs.mjs)", () => {
  const pages = allCodePages(DOCS);
  for (const [file, text] of pages) {
    let onDisk: string | undefined;
    try {
      onDisk = readFileSync(file, "utf8");
    } catch {
      onDisk = undefined;
    }
    assert.equal(onDisk, text, `${path.relative(ROOT, file)} is missing or stale: run node scripts/code-docs.mjs`);
  }
  // And no page is left of a code that is gone.
  for (const folder of ["rules", "verify", "explain"]) {
    for (const f of readdirSync(path.join(DOCS, folder))) assert.ok(pages.has(path.join(DOCS, folder, f)), `docs/${folder}/${f} belongs to no code`);
  }
});

test("freestand explain <code> prints the code's page, for every code", () => {
  for (const def of allCodes().values()) {
    const r = runCli(["explain", def.code]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, codePage(def), def.code);
  }
});
