import type { Diagnostic } from "../types.js";
import { countDiagnostics } from "../types.js";
import { SourceCache, displayPath, type ReportOptions } from "./context.js";

/** Version of the JSON schema documented in docs/json-output.md; bump only on incompatible changes. */
export const JSON_SCHEMA_VERSION = 1;

export interface JsonDiagnostic {
  code: string;
  severity: Diagnostic["severity"];
  message: string;
  file: string | null;
  span: { start: number; end: number } | null;
  range: { start: { line: number; column: number }; end: { line: number; column: number } } | null;
  label: string | null;
  notes: string[];
  help: string[];
  fix: { description: string; edits: { file: string; start: number; end: number; text: string }[] } | null;
  data: Record<string, unknown>;
}

export interface JsonReport {
  schemaVersion: number;
  tool: "freestand";
  diagnostics: JsonDiagnostic[];
  summary: { errors: number; warnings: number; infos: number };
  [extra: string]: unknown;
}

export function toJsonReport(diags: readonly Diagnostic[], opts: ReportOptions = {}, extra: Record<string, unknown> = {}): JsonReport {
  const sources = new SourceCache(opts.sources);
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: "freestand",
    diagnostics: diags.map((d) => {
      const index = d.file && d.span ? sources.get(d.file) : undefined;
      return {
        code: d.code,
        severity: d.severity,
        message: d.message,
        file: d.file ? displayPath(d.file, opts.cwd) : null,
        span: d.span ? { start: d.span.start, end: d.span.end } : null,
        range: index && d.span ? { start: index.position(d.span.start), end: index.position(d.span.end) } : null,
        label: d.label ?? null,
        notes: d.notes ?? [],
        help: d.help ?? [],
        fix: d.fix
          ? { description: d.fix.description, edits: d.fix.edits.map((e) => ({ ...e, file: displayPath(e.file, opts.cwd) })) }
          : null,
        data: d.data ?? {},
      };
    }),
    summary: countDiagnostics(diags),
    ...extra,
  };
}

export function formatJson(diags: readonly Diagnostic[], opts: ReportOptions = {}, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(toJsonReport(diags, opts, extra), null, 2) + "\n";
}
