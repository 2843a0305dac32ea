export * from "./types.js";
export { LineIndex, type Position } from "./position.js";
export type { ReportOptions } from "./reporters/context.js";
export { formatHuman, formatHumanDiagnostic, formatSummary, pluralize } from "./reporters/human.js";
export { formatJson, toJsonReport, JSON_SCHEMA_VERSION, type JsonReport, type JsonDiagnostic } from "./reporters/json.js";
export { formatSarif, toSarif } from "./reporters/sarif.js";

import type { Diagnostic } from "./types.js";
import type { ReportOptions } from "./reporters/context.js";
import { formatHuman } from "./reporters/human.js";
import { formatJson } from "./reporters/json.js";
import { formatSarif } from "./reporters/sarif.js";

import type { OutputFormat } from "./formats.js";
export { OUTPUT_FORMATS, type OutputFormat } from "./formats.js";

/** One entry point for every command that reports diagnostics. */
export function formatDiagnostics(diags: readonly Diagnostic[], format: OutputFormat, opts: ReportOptions = {}, jsonExtra: Record<string, unknown> = {}): string {
  switch (format) {
    case "human":
      return formatHuman(diags, opts);
    case "json":
      return formatJson(diags, opts, jsonExtra);
    case "sarif":
      return formatSarif(diags, opts);
  }
}
