#!/usr/bin/env node
// Writes the page of every code — docs/rules/, docs/verify/, docs/explain/ — from the codes themselves (run
// `npx tsc -p .` first). test/foundation/code-docs.test.ts fails when a page and its code drift apart.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { allCodePages } = await import(path.join(root, "dist/src/codes/docs.js"));
const pages = allCodePages(path.join(root, "docs"));
for (const [file, text] of pages) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
console.log(`wrote ${pages.size} pages under docs/`);
