/** docs/targets.md is the catalogue's own text: the test fails when they differ (and can rewrite the page). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { boardDocMarkdown, targetsDocMarkdown } from "../../src/targets/docs.js";
import { BOARDS } from "../../src/targets/boards.js";
import { PACKAGE_ROOT } from "../../src/version.js";
import { QEMU_TARGETS } from "./support.js";

const PAGE = path.join(PACKAGE_ROOT, "docs/targets.md");

test("docs/targets.md matches the catalogue", () => {
  const expected = targetsDocMarkdown();
  if (process.env.FREESTAND_UPDATE_DOCS === "1") writeFileSync(PAGE, expected);
  assert.equal(readFileSync(PAGE, "utf8"), expected, "regenerate with FREESTAND_UPDATE_DOCS=1 node --test dist/test/targets/docs.test.js");
  for (const t of QEMU_TARGETS) assert.ok(expected.includes(`## ${t.id}\n`), t.id);
});

test("docs/boards/<name>.md matches each board's record", () => {
  for (const board of BOARDS) {
    const page = path.join(PACKAGE_ROOT, "docs/boards", `${board.id}.md`);
    const expected = boardDocMarkdown(board);
    if (process.env.FREESTAND_UPDATE_DOCS === "1") {
      mkdirSync(path.dirname(page), { recursive: true });
      writeFileSync(page, expected);
    }
    assert.equal(readFileSync(page, "utf8"), expected, `${board.id}: regenerate with FREESTAND_UPDATE_DOCS=1 node --test dist/test/targets/docs.test.js`);
    assert.match(expected, new RegExp(`--board ${board.id}\``));
  }
});
