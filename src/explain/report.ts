/**
 * Human output of explained compiler output: cargo's own text first, each explanation right after the error it
 * explains (in the shared cargo-like diagnostic layout), then "N errors, M explained". JSON and SARIF go through the
 * shared formatDiagnostics; this file only adds the interleaving that is particular to explaining.
 */
import type { CodeDescriptor } from "../diagnostics/types.js";
import { formatHumanDiagnostic, pluralize } from "../diagnostics/reporters/human.js";
import { SourceCache, type ReportOptions } from "../diagnostics/reporters/context.js";
import { CATALOGUE } from "./catalogue.js";
import { forEachLine } from "./text.js";
import type { ExplainCounts, ExplainedMessage, ExplainResult } from "./types.js";

/** Metadata of an explanation code (for SARIF rules and `freestand explain explain_…`). */
export function describeExplainCode(code: string): CodeDescriptor | undefined {
  const e = CATALOGUE.find((x) => x.code === code);
  return e && { code: e.code, defaultSeverity: e.defaultSeverity, summary: e.summary, explanation: e.explanation };
}

/** "2 errors, 2 explained" (plus the warnings when there are any). */
export function formatExplainSummary(c: ExplainCounts): string {
  const parts = [`${pluralize(c.errors, "error")}, ${c.errorsExplained} explained`];
  if (c.warnings > 0) parts.push(`${pluralize(c.warnings, "warning")}, ${c.warningsExplained} explained`);
  return parts.join("; ");
}

/** The explanations of one message, ready to print right after cargo's text for it ("" when there are none). */
export function formatExplanations(m: ExplainedMessage, opts: ReportOptions = {}, sources = new SourceCache(opts.sources)): string {
  return m.diagnostics.map((d) => formatHumanDiagnostic(d, opts, sources)).join("\n\n");
}

/**
 * The input text unchanged (unknown errors pass through as they were), with each explanation inserted after the
 * error it explains, and the summary at the end. `result` must come from explainText(text).
 */
export function annotateText(text: string, result: ExplainResult, opts: ReportOptions = {}): string {
  const sources = new SourceCache(opts.sources);
  const after = new Map<number, string>();
  for (const m of result.messages) {
    if (m.endLine === undefined || m.diagnostics.length === 0) continue;
    after.set(m.endLine - 1, formatExplanations(m, opts, sources));
  }
  const out: string[] = [];
  forEachLine(text, (line, no) => {
    out.push(line);
    const block = after.get(no);
    if (block !== undefined) out.push("", block);
  });
  out.push("", formatExplainSummary(result.counts), "");
  return out.join("\n");
}

/** For JSON-message input: each message's rendered text, its explanations, and the summary. */
export function renderExplained(result: ExplainResult, opts: ReportOptions = {}): string {
  const sources = new SourceCache(opts.sources);
  const out: string[] = [];
  for (const m of result.messages) {
    out.push(m.rendered.trimEnd());
    if (m.diagnostics.length) out.push("", formatExplanations(m, opts, sources));
    out.push("");
  }
  out.push(formatExplainSummary(result.counts), "");
  return out.join("\n");
}
