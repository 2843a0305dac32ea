import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { ROOT } from "../support/cli.js";

/**
 * No function of src/ is much longer than 80 lines unless a comment right above it says why ("Long on
 * purpose: …"): long functions hide jobs that want names of their own.
 */
const LIMIT = 85;

test(`functions of src/ are at most ${LIMIT} lines, or say why not`, () => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".ts")) files.push(p);
    }
  };
  walk(path.join(ROOT, "src"));
  const long: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node) => {
      if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.body) {
        const start = sf.getLineAndCharacterOfPosition(n.getStart()).line;
        const end = sf.getLineAndCharacterOfPosition(n.end).line;
        const reason = text.slice(n.getFullStart(), n.getStart()).includes("Long on purpose");
        if (end - start > LIMIT && !reason) long.push(`${path.relative(ROOT, file)}:${start + 1} (${end - start} lines)`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  assert.deepEqual(long, []);
});
