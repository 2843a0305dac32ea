/**
 * The page of every code, written by one generator into docs/<kind>/<code>.md (rules, verify, explain) and
 * printed by `freestand explain <code>`: the page and the command can never say different things.
 */
import path from "node:path";
import { findRule } from "../rules/index.js";
import { ruleDocMarkdown } from "../rules/docs.js";
import { verifyDocPage } from "../elf/verify/codes/index.js";
import { allCodes, type CodeDef, type CodeKind } from "./index.js";

const FOLDER: Record<CodeKind, string> = { rule: "rules", verify: "verify", explain: "explain" };

/** The Markdown page of a code. */
export function codePage(def: CodeDef): string {
  if (def.kind === "rule") return ruleDocMarkdown(findRule(def.code)!);
  if (def.kind === "verify") return verifyDocPage(def);
  return `# ${def.code}\n\n${def.summary.charAt(0).toUpperCase()}${def.summary.slice(1)}.\n\n${def.explanation.trimEnd()}\n`;
}

/** Where the page lives below the docs directory: docs/rules/x.md, docs/verify/x.md, docs/explain/x.md. */
export function codePagePath(docsDir: string, def: CodeDef): string {
  return path.join(docsDir, FOLDER[def.kind], `${def.code}.md`);
}

/** Every page: path → text. */
export function allCodePages(docsDir: string): Map<string, string> {
  return new Map([...allCodes().values()].map((d) => [codePagePath(docsDir, d), codePage(d)]));
}
