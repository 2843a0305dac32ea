import type { Command } from "commander";
import { action, write } from "../io.js";

/**
 * `freestand explain <rule>` prints a rule's long explanation. (`explain -` / `explain <file>` for compiler
 * output is added by the explain patterns; the rule branch stays this small.)
 */
export async function explainRule(code: string): Promise<number | undefined> {
  const { describeRule } = await import("../../rules/index.js");
  const d = describeRule(code);
  if (!d) return undefined;
  await write(`# ${d.code}\n\n${d.summary}.\n\n${d.explanation.trimEnd()}\n`);
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
