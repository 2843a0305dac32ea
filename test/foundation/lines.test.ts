import { test } from "node:test";
import assert from "node:assert/strict";
import { LineSplitter } from "../../src/util/lines.js";

test("LineSplitter keeps a character split between two chunks whole, and the last line without a break", () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  const bytes = Buffer.from("grüße\nzweite Zeile ✓\nohne Umbruch", "utf8");
  // Every split point, the ones inside ü, ß and ✓ included.
  for (let cut = 0; cut <= bytes.length; cut++) {
    lines.length = 0;
    s.push(bytes.subarray(0, cut));
    s.push(bytes.subarray(cut));
    s.end();
    assert.deepEqual(lines, ["grüße", "zweite Zeile ✓", "ohne Umbruch"], `cut at byte ${cut}`);
  }
});

test("LineSplitter cuts a line longer than its limit and says how much more there was", () => {
  const got: [string, number][] = [];
  const s = new LineSplitter((l, dropped) => got.push([l, dropped]), 4);
  s.push("abcdefgh\nxy");
  s.push("z\n");
  s.end();
  assert.deepEqual(got, [["abcd", 4], ["xyz", 0]]);
});
