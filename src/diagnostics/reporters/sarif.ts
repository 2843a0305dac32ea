import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic, Severity } from "../types.js";
import { SourceCache, type ReportOptions } from "./context.js";

const sarifLevel: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

const HELP_BASE = "https://github.com/freestand-rs/freestand/blob/main/docs/rules/";

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: one run, rules with help text, results with
 * physical locations relative to the repository root (`%SRCROOT%`), 1-based lines and columns.
 */
export function toSarif(diags: readonly Diagnostic[], opts: ReportOptions = {}): object {
  const cwd = opts.cwd ?? process.cwd();
  const sources = new SourceCache(opts.sources);
  const codes = [...new Set(diags.map((d) => d.code))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => {
    const desc = opts.describe?.(code);
    const severity = desc?.defaultSeverity ?? diags.find((d) => d.code === code)!.severity;
    return {
      id: code,
      name: code,
      shortDescription: { text: desc?.summary ?? code },
      fullDescription: { text: desc?.summary ?? code },
      help: { text: desc?.explanation ?? desc?.summary ?? code, markdown: desc?.explanation ?? desc?.summary ?? code },
      helpUri: `${HELP_BASE}${code}.md`,
      defaultConfiguration: { level: sarifLevel[severity] },
    };
  });
  const results = diags.map((d) => {
    const text = [d.message, ...(d.help ?? []).map((h) => `help: ${h}`)].join("\n");
    const result: Record<string, unknown> = {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code),
      level: sarifLevel[d.severity],
      message: { text },
    };
    if (d.file) {
      const rel = path.relative(cwd, d.file);
      const inside = rel && !rel.startsWith("..") && !path.isAbsolute(rel);
      const artifactLocation = inside
        ? { uri: rel.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" }
        : { uri: pathToFileURL(d.file).href };
      const physicalLocation: Record<string, unknown> = { artifactLocation };
      const index = d.span ? sources.get(d.file) : undefined;
      if (index && d.span) {
        const s = index.position(d.span.start);
        const e = index.position(Math.max(d.span.start, d.span.end));
        physicalLocation.region = { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: Math.max(e.column, s.line === e.line ? s.column + 1 : 1) };
      } else {
        physicalLocation.region = { startLine: 1 };
      }
      result.locations = [{ physicalLocation }];
    }
    if (d.fix) {
      result.fixes = [{ description: { text: d.fix.description } }];
    }
    return result;
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "freestand",
            version: opts.toolVersion ?? "0.0.0",
            informationUri: "https://github.com/freestand-rs/freestand",
            rules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(cwd + path.sep).href } },
        results,
      },
    ],
  };
}

export function formatSarif(diags: readonly Diagnostic[], opts: ReportOptions = {}): string {
  return JSON.stringify(toSarif(diags, opts), null, 2) + "\n";
}
