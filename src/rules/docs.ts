import path from "node:path";
import type { Rule } from "./types.js";

/**
 * The page of a rule: what `freestand explain <rule>` prints and what docs/rules/<rule>.md holds, generated
 * from the rule itself so the two never drift (a test compares them).
 */
export function ruleDocMarkdown(rule: Rule): string {
  const level = { error: "error", warning: "warning", info: "note" }[rule.defaultSeverity];
  const meta = [`Default level: **${level}**.`, rule.fixable ? "Fixable: `freestand check --fix`." : "No automatic fix.", `Allow it with \`allow = ["${rule.id}"]\` in \`[package.metadata.freestand]\` or a \`// freestand: allow(${rule.id})\` comment on the item.`];
  return `# ${rule.id}\n\n${rule.summary.charAt(0).toUpperCase()}${rule.summary.slice(1)}.\n\n${meta.join(" ")}\n\n${rule.explanation.trim()}\n`;
}

export function ruleDocPath(docsDir: string, rule: Rule): string {
  return path.join(docsDir, "rules", `${rule.id}.md`);
}
