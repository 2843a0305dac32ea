import pc from "picocolors";
import type { Diagnostic, Severity } from "../types.js";
import { countDiagnostics } from "../types.js";
import { SourceCache, displayPath, type ReportOptions } from "./context.js";

type Paint = (s: string) => string;
interface Palette {
  sev: Record<Severity, Paint>;
  bold: Paint;
  blue: Paint;
  green: Paint;
}

function palette(color: boolean): Palette {
  const c = pc.createColors(color);
  return {
    sev: { error: (s) => c.bold(c.red(s)), warning: (s) => c.bold(c.yellow(s)), info: (s) => c.bold(c.cyan(s)) },
    bold: c.bold,
    blue: (s) => c.bold(c.blue(s)),
    green: c.green,
  };
}

const severityWord: Record<Severity, string> = { error: "error", warning: "warning", info: "note" };

/** Renders one diagnostic the way cargo does: header, location, code frame with the span underlined, notes. */
export function formatHumanDiagnostic(d: Diagnostic, opts: ReportOptions = {}, sources = new SourceCache(opts.sources)): string {
  const p = palette(opts.color ?? false);
  const out: string[] = [];
  out.push(`${p.sev[d.severity](`${severityWord[d.severity]}[${d.code}]`)}${p.bold(`: ${d.message}`)}`);
  const index = d.file && d.span ? sources.get(d.file) : undefined;
  let gutter = " ";
  if (d.file) {
    if (index && d.span) {
      const start = index.position(d.span.start);
      const end = index.position(Math.max(d.span.start, d.span.end));
      gutter = " ".repeat(String(end.line).length);
      out.push(`${gutter}${p.blue("-->")} ${displayPath(d.file, opts.cwd)}:${start.line}:${start.column}`);
      out.push(`${gutter} ${p.blue("|")}`);
      const lastLine = Math.min(end.line, start.line + 3);
      for (let line = start.line; line <= lastLine; line++) {
        const text = index.lineText(line).replace(/\t/g, "    ");
        out.push(`${p.blue(String(line).padStart(gutter.length))} ${p.blue("|")} ${text}`);
        const from = line === start.line ? start.column - 1 : text.length - text.trimStart().length;
        const to = line === end.line ? end.column - 1 : text.length;
        const width = Math.max(1, to - from);
        const isLast = line === lastLine;
        const marks = " ".repeat(from) + "^".repeat(width) + (isLast && d.label ? ` ${d.label}` : "");
        out.push(`${gutter} ${p.blue("|")} ${p.sev[d.severity](marks)}`);
      }
      if (lastLine < end.line) out.push(`${gutter} ${p.blue("|")} ...`);
      out.push(`${gutter} ${p.blue("|")}`);
    } else {
      out.push(`${gutter}${p.blue("-->")} ${displayPath(d.file, opts.cwd)}`);
    }
  }
  for (const n of d.notes ?? []) out.push(`${gutter} ${p.blue("=")} ${p.bold("note")}: ${indentContinuation(n, gutter)}`);
  for (const h of d.help ?? []) out.push(`${gutter} ${p.blue("=")} ${p.bold("help")}: ${indentContinuation(h, gutter)}`);
  if (d.fix) out.push(`${gutter} ${p.blue("=")} ${p.green("fix")}: ${d.fix.description} (apply with --fix)`);
  return out.join("\n");
}

function indentContinuation(text: string, gutter: string): string {
  return text.split("\n").join(`\n${gutter}   `);
}

export function pluralize(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function formatSummary(diags: readonly Diagnostic[], opts: ReportOptions = {}): string {
  const p = palette(opts.color ?? false);
  const c = countDiagnostics(diags);
  const parts: string[] = [];
  if (c.errors) parts.push(pluralize(c.errors, "error"));
  if (c.warnings) parts.push(pluralize(c.warnings, "warning"));
  if (c.infos) parts.push(pluralize(c.infos, "note"));
  const head = parts.length === 0 ? p.green("no problems found") : parts.join(", ");
  const paint = c.errors ? p.sev.error : c.warnings ? p.sev.warning : (s: string) => s;
  return [paint(head), ...(opts.summaryNotes ?? [])].join("\n");
}

export function formatHuman(diags: readonly Diagnostic[], opts: ReportOptions = {}): string {
  const sources = new SourceCache(opts.sources);
  const blocks = diags.map((d) => formatHumanDiagnostic(d, opts, sources));
  blocks.push(formatSummary(diags, opts));
  return blocks.join("\n\n") + "\n";
}
