/**
 * The incremental parse behind the language server's keystrokes (syntax/parser.ts editBetween, crate/modules.ts):
 * a kept file whose text changed is parsed from its previous tree, edited by the change, and the tree must be
 * the one a fresh parse of the new text gives — for insertions, deletions, replacements, text outside the Basic
 * Multilingual Plane, edits at either end, and an edit that breaks the syntax and one that mends it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { editBetween, parseRust, rustParser } from "../../src/syntax/parser.js";
import { keepSourcesBetweenChecks, SourceStore } from "../../src/crate/modules.js";
import { PACKAGE_ROOT } from "../../src/version.js";
import { tempDir } from "../support/cli.js";

const BASE = readFileSync(path.join(PACKAGE_ROOT, "templates", "common", "src", "tests.rs"), "utf8") + `\nfn greet() -> &'static str { "héllo 🦀 wörld" }\n`;

function edits(base: string): [string, string][] {
  const crab = base.indexOf("🦀");
  return [
    ["insert a line", base.replace("fn greet", "fn extra() {}\nfn greet")],
    ["delete a function", base.replace(/fn greet[^\n]*\n/, "")],
    ["replace an identifier", base.replaceAll("greet", "salute")],
    ["edit after an astral character", base.slice(0, crab + 2) + "🦀🦀" + base.slice(crab + 2)],
    ["edit at the very start", `// a comment\n${base}`],
    ["edit at the very end", `${base}\nstruct Tail;\n`],
    ["break the syntax", base.replace("fn greet() ->", "fn greet( ->")],
    ["empty the file", ""],
  ];
}

test("an incrementally parsed tree is the tree a fresh parse gives", async () => {
  const parser = await rustParser();
  for (const [what, after] of edits(BASE)) {
    for (const [from, to] of [[BASE, after], [after, BASE]] as const) {
      const old = parseRust(parser, from, "x.rs");
      const base = old.copy();
      base.edit(editBetween(from, to));
      const incremental = parseRust(parser, to, "x.rs", base);
      const fresh = parseRust(parser, to, "x.rs");
      try {
        assert.equal(incremental.rootNode.toString(), fresh.rootNode.toString(), `${what} (${from === BASE ? "forth" : "back"})`);
        assert.equal(incremental.rootNode.endIndex, to.length);
      } finally {
        for (const t of [old, base, incremental, fresh]) t.delete();
      }
    }
  }
});

test("editBetween names the one replaced range, in UTF-16 units, rows and columns", () => {
  assert.deepEqual(editBetween("ab\ncd\nef", "ab\ncXd\nef"), {
    startIndex: 4,
    oldEndIndex: 4,
    newEndIndex: 5,
    startPosition: { row: 1, column: 1 },
    oldEndPosition: { row: 1, column: 1 },
    newEndPosition: { row: 1, column: 2 },
  });
  // A repeated character: the prefix and the suffix do not overlap.
  assert.deepEqual(editBetween("aaa", "aa").startIndex + editBetween("aaa", "aa").newEndIndex, 4);
  assert.equal(editBetween("x🦀y", "x🦀🦀y").startIndex, 3);
});

test("a kept file whose text changed is parsed again from its previous tree, with the same result", async () => {
  const dir = tempDir("freestand-incremental-");
  keepSourcesBetweenChecks(true);
  try {
    const file = path.join(dir.dir, "lib.rs");
    writeFileSync(file, BASE);
    const first = new SourceStore();
    const before = await first.load(file);
    void before.root; // parsed, so the next load has a tree to start from
    first.dispose();
    for (const [what, after] of edits(BASE)) {
      writeFileSync(file, after);
      const store = new SourceStore();
      const source = await store.load(file);
      assert.ok(source.isParsed, `${what}: parsed at once from the previous tree`);
      const fresh = parseRust(await rustParser(), after, file);
      try {
        assert.equal(source.root.toString(), fresh.rootNode.toString(), what);
      } finally {
        fresh.delete();
        store.dispose();
      }
    }
  } finally {
    keepSourcesBetweenChecks(false);
    dir.cleanup();
  }
});
