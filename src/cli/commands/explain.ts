import type { Command } from "commander";
import { action, write } from "../io.js";

/**
 * `freestand explain <rule>` prints a rule's page (the same text as docs/rules/<rule>.md). Returns undefined
 * when `code` is not a rule, so other kinds of explanation can be tried.
 */
export async function explainRule(code: string): Promise<number | undefined> {
  const { findRule } = await import("../../rules/index.js");
  const { ruleDocMarkdown } = await import("../../rules/docs.js");
  const rule = findRule(code);
  if (!rule) return undefined;
  await write(ruleDocMarkdown(rule));
  return 0;
}

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description("explain a rule (`freestand explain missing_no_std`)")
    .argument("<rule>", "a rule id")
    .action(
      action(async (what: string) => {
        const done = await explainRule(what);
        if (done !== undefined) return done;
        const { RULES } = await import("../../rules/index.js");
        const { FreestandError } = await import("../../errors.js");
        throw new FreestandError(`\`${what}\` is not a rule; the rules are: ${RULES.map((r) => r.id).join(", ")}.`);
      }),
    );
}
