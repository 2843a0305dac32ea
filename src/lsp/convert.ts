/** freestand's Diagnostic and TextEdit as LSP's: ranges in UTF-16 positions, severities, codes with their pages. */
import { pathToFileURL } from "node:url";
import type { Diagnostic as LspDiagnostic, Range, TextEdit as LspTextEdit } from "vscode-languageserver";
import { DiagnosticSeverity } from "vscode-languageserver";
import { describeCode } from "../codes/index.js";
import type { Diagnostic, Severity, TextEdit } from "../diagnostics/types.js";
import { PositionIndex } from "./positions.js";

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** A byte range of `index`'s text as an LSP range. */
export function rangeOf(index: PositionIndex, start: number, end: number): Range {
  return { start: index.position(start), end: index.position(end) };
}

/**
 * One diagnostic for the editor. The notes and help lines go in as related information at the diagnostic's own
 * place (LSP has no other slot for rustc's `= note:` lines); `data.key` finds the finding again for its fix.
 */
export function toLspDiagnostic(d: Diagnostic, index: PositionIndex, key: string): LspDiagnostic {
  const range = d.span ? rangeOf(index, d.span.start, d.span.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const href = describeCode(d.code)?.helpUri;
  const uri = uriOf(d.file!);
  const related = [...(d.label ? [d.label] : []), ...(d.notes ?? []).map((n) => `note: ${n}`), ...(d.help ?? []).map((h) => `help: ${h}`)];
  return {
    range,
    severity: SEVERITY[d.severity],
    code: d.code,
    ...(href ? { codeDescription: { href } } : {}),
    source: "freestand",
    message: d.message,
    ...(related.length ? { relatedInformation: related.map((message) => ({ location: { uri, range }, message })) } : {}),
    data: { key },
  };
}

/** A fix's byte edit of a file as an LSP edit of `index`'s text. */
export function toLspEdit(e: TextEdit, index: PositionIndex): LspTextEdit {
  return { range: rangeOf(index, e.start, e.end), newText: e.text };
}
