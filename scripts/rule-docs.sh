#!/usr/bin/env bash
# Regenerates docs/rules/<rule>.md from the rules' own text (test/check/docs.test.ts fails when they differ).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p .
node --input-type=module -e '
import { writeFileSync, mkdirSync } from "node:fs";
import { RULES } from "./dist/src/rules/index.js";
import { ruleDocMarkdown, ruleDocPath } from "./dist/src/rules/docs.js";
mkdirSync("docs/rules", { recursive: true });
for (const r of RULES) writeFileSync(ruleDocPath("docs", r), ruleDocMarkdown(r));
console.log(`wrote ${RULES.length} pages to docs/rules/`);
'
