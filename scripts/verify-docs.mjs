#!/usr/bin/env node
// Writes docs/verify/<code>.md from the verify code descriptors (run `npx tsc -p .` first), so the pages and
// `freestand explain <code>` say the same words. test/elf/verify-docs.test.ts fails when they drift apart.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { VERIFY_CODES, verifyDocPage } = await import(path.join(root, "dist/src/elf/verify/codes.js"));
const dir = path.join(root, "docs", "verify");
mkdirSync(dir, { recursive: true });
for (const d of VERIFY_CODES) writeFileSync(path.join(dir, `${d.code}.md`), verifyDocPage(d));
console.log(`wrote ${VERIFY_CODES.length} pages to docs/verify/`);
