import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, sh, tempDir } from "../support/cli.js";

const SCRIPT = path.join(ROOT, "scripts", "import-cycles.mjs");

test("no import circles between the folders of src/", () => {
  const r = sh(process.execPath, [SCRIPT], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test("the circle check finds a circle, and not one made only of types", () => {
  const tmp = tempDir("freestand-imports-");
  try {
    const write = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(tmp.dir, rel)), { recursive: true });
      writeFileSync(path.join(tmp.dir, rel), text);
    };
    write("a/one.ts", 'import { two } from "../b/two.js";\nexport const one = () => two;\n');
    write("b/two.ts", 'import type { T } from "../a/types.js";\nexport const two = (t?: T) => import("../c/three.js");\n');
    write("a/types.ts", "export type T = number;\n");
    write("c/three.ts", 'export type U = import("../a/one.js").X;\nexport const three = 3;\n');
    assert.equal(sh(process.execPath, [SCRIPT, tmp.dir]).code, 0, "type-only imports tie nothing");
    write("c/three.ts", 'import { one } from "../a/one.js";\nexport const three = one;\n');
    const r = sh(process.execPath, [SCRIPT, tmp.dir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^circle: a, b, c$/m);
  } finally {
    tmp.cleanup();
  }
});
