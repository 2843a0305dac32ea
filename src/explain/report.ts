/**
 * Human output of explained compiler output: cargo's own text, and under each error it explains freestand's
 * explanation as rustc would write more of its own — `= note:` and `= help:` lines attached to the same error —
 * then "N errors, M explained" when there were errors. JSON and SARIF go through the shared formatDiagnostics;
 * this file only adds the interleaving that is particular to explaining.
 */
import pc from "picocolors";
import type { CodeDescriptor, Diagnostic } from "../diagnostics/types.js";
import { pluralize } from "../diagnostics/reporters/human.js";
import type { ReportOptions } from "../diagnostics/reporters/context.js";
import { CATALOGUE } from "./catalogue.js";
import { forEachLine } from "./text.js";
import type { ExplainCounts, ExplainedMessage, ExplainResult } from "./types.js";

/** Metadata of an explanation code (for SARIF rules and `freestand explain explain_…`). */
export function describeExplainCode(code: string): CodeDescriptor | undefined {
  const e = CATALOGUE.find((x) => x.code === code);
  return e && { code: e.code, defaultSeverity: e.defaultSeverity, summary: e.summary, explanation: e.explanation };
}

/** "2 errors, 2 explained" (plus the warnings when any was explained); "" when there is nothing to say. */
export function formatExplainSummary(c: ExplainCounts): string {
  if (c.errors === 0 && c.warningsExplained === 0) return "";
  const parts: string[] = [];
  if (c.errors > 0) parts.push(`${pluralize(c.errors, "error")}, ${c.errorsExplained} explained`);
  if (c.warningsExplained > 0) parts.push(`${pluralize(c.warnings, "warning")}, ${c.warningsExplained} explained`);
  return parts.join("; ");
}

/** One explanation as lines under the compiler's error: its cause and notes as `= note:`, its fixes as `= help:`. */
function attachedLines(d: Diagnostic, color: boolean): string[] {
  const c = pc.createColors(color);
  const eq = c.bold(c.blue("="));
  const line = (kind: "note" | "help", text: string) => `  ${eq} ${c.bold(kind)}: ${text.split("\n").join("\n          ")}`;
  const out = [line("note", d.message)];
  for (const n of d.notes ?? []) out.push(line("note", n));
  for (const h of d.help ?? []) out.push(line("help", h));
  out.push(line("note", `more: \`freestand explain ${d.code}\``));
  return out;
}

/** The explanations of one message, ready to print right after cargo's text for it ("" when there are none). */
export function formatExplanations(m: ExplainedMessage, opts: ReportOptions = {}): string {
  return m.diagnostics.flatMap((d) => attachedLines(d, opts.color ?? false)).join("\n");
}

/**
 * The input text unchanged (unknown errors pass through as they were), with each explanation attached under the
 * error it explains, and the summary at the end. `result` must come from explainText(text).
 */
export function annotateText(text: string, result: ExplainResult, opts: ReportOptions = {}): string {
  const due = result.messages
    .filter((m) => m.endLine !== undefined && m.diagnostics.length > 0)
    .map((m) => ({ start: m.startLine ?? m.endLine! - 1, end: m.endLine! - 1, block: formatExplanations(m, opts) }))
    .sort((a, b) => a.end - b.end);
  const out: string[] = [];
  // Blank lines at the end of an explained message are held back, so the explanation sits inside the message.
  let held: string[] = [];
  let next = 0;
  forEachLine(text, (line, no) => {
    while (next < due.length && due[next]!.end < no) next++;
    const d = due[next];
    const inside = d !== undefined && no >= d.start && no <= d.end;
    if (inside && line.trim() === "") held.push(line);
    else {
      out.push(...held, line);
      held = [];
    }
    if (d && no === d.end) {
      out.push(d.block, ...held);
      held = [];
      next++;
    }
  });
  out.push(...held);
  const summary = formatExplainSummary(result.counts);
  if (summary) out.push("", summary);
  return `${out.join("\n").replace(/\n*$/, "")}\n`;
}

/** For JSON-message input: each message's rendered text with its explanations attached, and the summary. */
export function renderExplained(result: ExplainResult, opts: ReportOptions = {}): string {
  const out: string[] = [];
  for (const m of result.messages) {
    out.push(m.rendered.trimEnd());
    if (m.diagnostics.length) out.push(formatExplanations(m, opts));
    out.push("");
  }
  const summary = formatExplainSummary(result.counts);
  if (summary) out.push(summary, "");
  return out.join("\n");
}
