/** docs/explain.md is the catalogue's own text: the test fails when they differ (and can rewrite the page). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CATALOGUE, explainDocMarkdown } from "../../src/explain/index.js";
import { PACKAGE_ROOT } from "../../src/version.js";

const PAGE = path.join(PACKAGE_ROOT, "docs/explain.md");

test("docs/explain.md matches the catalogue", () => {
  const expected = explainDocMarkdown();
  if (process.env.FREESTAND_UPDATE_DOCS === "1") writeFileSync(PAGE, expected);
  assert.equal(readFileSync(PAGE, "utf8"), expected, "regenerate with FREESTAND_UPDATE_DOCS=1 node --test dist/test/explain/docs.test.js");
  for (const e of CATALOGUE) assert.ok(expected.includes(`](explain/${e.code}.md)`), e.code);
});
