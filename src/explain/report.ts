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
import { forEachLine, TextReader, type TextBlock } from "./text.js";
import type { ExplainCounts, ExplainedMessage, ExplainResult } from "./types.js";
import { pushAll } from "../util/arrays.js";

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
 * Places explanations into cargo's text while it streams: a line outside any message is given back at once, a
 * message's lines when it ends, followed by its explanations and then the blank lines after it. Blank lines are
 * held until something follows them, so the output ends where the input's last text does.
 */
export class TextAnnotator {
  private heldBlank: string[] = [];
  private lineNo = 0;

  constructor(
    private readonly reader: TextReader,
    private readonly explain: (block: TextBlock) => ExplainedMessage | undefined,
    private readonly opts: ReportOptions = {},
  ) {}

  /** Feeds one input line; returns the output lines it releases. */
  line(raw: string): string[] {
    const out: string[] = [];
    const block = this.reader.line(raw, this.lineNo++);
    if (block) this.place(block, out);
    if (!this.reader.holding) this.emit(out, raw);
    return out;
  }

  /** The input ended: the last message, if one was open (held trailing blank lines are dropped). */
  end(): string[] {
    const out: string[] = [];
    const block = this.reader.end();
    if (block) this.place(block, out);
    return out;
  }

  private place(block: TextBlock, out: string[]): void {
    for (const l of block.lines) this.emit(out, l);
    const m = this.explain(block);
    if (m && m.diagnostics.length > 0) this.emit(out, formatExplanations(m, this.opts));
    for (const l of block.trailing) this.emit(out, l);
  }

  private emit(out: string[], line: string): void {
    // A run of blank lines longer than this is not worth holding back (it only decides the end of the output).
    if (line.trim() === "" && this.heldBlank.length < 10_000) {
      this.heldBlank.push(line);
      return;
    }
    pushAll(out, this.heldBlank).push(line);
    this.heldBlank = [];
  }
}

/**
 * The input text unchanged (unknown errors pass through as they were), with each explanation attached under the
 * error it explains, and the summary at the end. `result` must come from explainText(text).
 */
export function annotateText(text: string, result: ExplainResult, opts: ReportOptions = {}): string {
  const byStart = new Map(result.messages.filter((m) => m.startLine !== undefined).map((m) => [m.startLine!, m]));
  const annotator = new TextAnnotator(new TextReader(), (b) => byStart.get(b.startLine), opts);
  const out: string[] = [];
  forEachLine(text, (line) => pushAll(out, annotator.line(line)));
  pushAll(out, annotator.end());
  const summary = formatExplainSummary(result.counts);
  if (summary) out.push("", summary);
  return `${out.join("\n")}\n`;
}

/** One JSON message's rendered text with its explanations attached, as printed for JSON-message input. */
export function renderMessage(m: ExplainedMessage, opts: ReportOptions = {}): string {
  const out = [m.rendered.trimEnd()];
  if (m.diagnostics.length) out.push(formatExplanations(m, opts));
  out.push("");
  return out.join("\n") + "\n";
}

/** For JSON-message input: each message's rendered text with its explanations attached, and the summary. */
export function renderExplained(result: ExplainResult, opts: ReportOptions = {}): string {
  const summary = formatExplainSummary(result.counts);
  return result.messages.map((m) => renderMessage(m, opts)).join("") + (summary ? `${summary}\n` : "");
}
