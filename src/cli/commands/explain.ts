import type { Command } from "commander";
import { action, parseFormat, useColor, write } from "../io.js";
import type { OutputFormat } from "../../diagnostics/index.js";

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

/** `freestand explain explain_e0463_std`: the long explanation of a compiler/linker error pattern. */
async function explainPattern(code: string): Promise<number | undefined> {
  const { describeExplainCode } = await import("../../explain/index.js");
  const d = describeExplainCode(code);
  if (!d) return undefined;
  await write(`# ${d.code}\n\n${d.summary}.\n\n${d.explanation.trimEnd()}\n`);
  return 0;
}

/** `freestand explain verify_entry_point`: a verify check's page (the same text as docs/verify/<code>.md). */
async function explainVerifyCheck(code: string): Promise<number | undefined> {
  const { describeVerifyCode, verifyDocPage } = await import("../../elf/verify/codes.js");
  const d = describeVerifyCode(code);
  if (!d) return undefined;
  await write(verifyDocPage(d));
  return 0;
}

/** Reads all of stdin as text (bytes that are not UTF-8 become U+FFFD: compiler logs are annotated, not judged). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** `freestand explain -` / `freestand explain <file>`: compiler output (cargo's text or its JSON messages), annotated. */
async function explainOutput(source: string, flags: { format: OutputFormat; root?: string }): Promise<number> {
  const { readFile, stat } = await import("node:fs/promises");
  const ex = await import("../../explain/index.js");
  const { formatDiagnostics } = await import("../../diagnostics/index.js");
  const { packageVersion } = await import("../../version.js");
  let text: string;
  if (source === "-") text = await readStdin();
  else {
    if ((await stat(source)).isDirectory()) {
      const { FreestandError } = await import("../../errors.js");
      throw new FreestandError(`${source} is a directory; give a file of compiler output, or - for stdin.`);
    }
    text = (await readFile(source)).toString("utf8");
  }
  const opts = { root: flags.root };
  // Saved `cargo build --message-format=json` output is JSON lines; anything else is cargo's text.
  const isJson = /^\s*\{"(?:reason|\$message_type|message)"/.test(text.slice(0, 200));
  const result = isJson ? ex.explainCargoMessages(ex.parseJsonLines(text), opts) : ex.explainText(text, opts);
  const report = { cwd: process.cwd(), color: useColor(), describe: ex.describeExplainCode, toolVersion: packageVersion() };
  if (flags.format === "human") await write(isJson ? ex.renderExplained(result, report) : ex.annotateText(text, result, report));
  else await write(formatDiagnostics(result.diagnostics, flags.format, report, { command: "explain", input: result.counts }));
  // The input's errors decide the exit code: explained or not, a build with errors failed.
  return result.counts.errors > 0 ? 1 : 0;
}

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description("explain a rule (`freestand explain missing_no_std`), or annotate compiler output (`cargo build 2>&1 | freestand explain -`)")
    .argument("<rule|file|->", "a rule id, an explanation code (explain_*), a verify check (verify_*), a file of compiler output, or - for stdin")
    .option("--format <format>", "output format for compiler output: human, json or sarif", parseFormat, "human")
    .option("--root <dir>", "the directory cargo ran in (paths in the output are relative to it; default: the current one)")
    .action(
      action(async (what: string, flags: { format: OutputFormat; root?: string }) => {
        if (what === "-") return explainOutput(what, flags);
        const done = (await explainRule(what)) ?? (await explainPattern(what)) ?? (await explainVerifyCheck(what));
        if (done !== undefined) return done;
        const { pathExists } = await import("../../util/fs.js");
        if (await pathExists(what)) return explainOutput(what, flags);
        const { RULES } = await import("../../rules/index.js");
        const { FreestandError } = await import("../../errors.js");
        throw new FreestandError(
          `\`${what}\` is not a rule, an explanation code or a file; the rules are: ${RULES.map((r) => r.id).join(", ")} (see also \`freestand explain explain_e0463_std\` and \`freestand explain verify_entry_point\`).`,
        );
      }),
    );
}
