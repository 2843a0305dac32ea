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

test("every code is defined in a file of its own, named by the code, in its kind's folder", () => {
  const folders = { rule: "src/rules", verify: "src/elf/verify/codes", explain: "src/explain/entries" } as const;
  for (const [kind, folder] of Object.entries(folders)) {
    const files = readdirSync(path.join(ROOT, folder))
      .filter((f) => /^[a-z0-9]+_[a-z0-9_]+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    const codes = [...allCodes().values()].filter((d) => d.kind === kind).map((d) => d.code).sort();
    assert.deepEqual(files, codes, `${folder}: one file per ${kind} code`);
    for (const code of codes) {
      const text = readFileSync(path.join(ROOT, folder, `${code}.ts`), "utf8");
      // The file defines that code and no other (a rule by its id, the others by their code field).
      const defined = [...text.matchAll(/^\s*(?:id|code): "([a-z0-9_]+)"/gm)].map((m) => m[1]);
      assert.deepEqual(defined, [code], `${folder}/${code}.ts`);
    }
  }
});
