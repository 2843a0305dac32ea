/**
 * The rule interface. A rule is one file under src/rules/ exporting a `Rule`, plus one line in
 * src/rules/index.ts. Rules never print and never touch the disk or run a program themselves: `check` looks at
 * the loaded crate, asks the context for anything else (`listDir`, `rustTextsUnder`, `coreFor`, `plainCargo`,
 * `rlibCompiler`: asked once per run) and returns findings; the engine (src/check/) deduplicates them, applies
 * allow lists and levels, turns findings into Diagnostics, and applies fixes.
 *
 * ```ts
 * export const myRule: Rule = {
 *   id: "my_rule",
 *   defaultSeverity: "error",
 *   summary: "one line",
 *   explanation: `markdown, shown by \`freestand explain my_rule\` and kept in docs/rules/my_rule.md`,
 *   fixable: false,
 *   check(ctx) {
 *     return [{ message: "...", file: ctx.crate.manifest.doc.path, span: { start, end } }];
 *   },
 * };
 * ```
 */
import type { Diagnostic, Severity } from "../diagnostics/types.js";
import type { RuleContext } from "./context.js";

export type { RuleContext } from "./context.js";

/**
 * What a rule reports: a Diagnostic without its code (the engine adds the rule's id) and with an optional severity
 * that overrides the rule's configured level for this finding (e.g. informational variants). Messages are one
 * sentence, lower-case start, no final period; findings about the package as a whole point at its Cargo.toml;
 * a fix's edits must not overlap each other.
 */
export type Finding = Omit<Diagnostic, "code" | "severity"> & { severity?: Severity };

export interface Rule {
  /** snake_case, like clippy's lints. */
  id: string;
  defaultSeverity: Severity;
  /** One line, no final period. */
  summary: string;
  /** Markdown: what it finds, why it matters, how to fix it, an example. */
  explanation: string;
  /** True when some findings carry a fix. */
  fixable: boolean;
  check(ctx: RuleContext): Finding[] | Promise<Finding[]>;
}
