/**
 * One Diagnostic type serves the rules of `check`, the explanations of `build`/`explain` and the checks of
 * `verify`, so that every command has the same three output formats and the same exit-code contract.
 * A diagnostic is plain data: wording of the summary, colours and layout belong to the reporters.
 */

export type Severity = "error" | "warning" | "info";

/** Byte offsets into a file's UTF-8 text, end exclusive (what tree-sitter and toml-eslint-parser give). */
export interface Span {
  start: number;
  end: number;
}

/** Replace bytes [start, end) of `file` with `text`. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  /** What the fix does, imperative: "add `#![no_std]`". */
  description: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  /** The rule or explanation id, snake_case: `missing_no_std`, `verify_interpreter`, `explain_e0463_std`. */
  code: string;
  severity: Severity;
  /** One sentence, lower-case start like rustc: "crate root has no `#![no_std]`". */
  message: string;
  /** Absolute path of the file the diagnostic is about (a source, a Cargo.toml, an ELF), if any. */
  file?: string;
  /** Where in `file`; absent for whole-file findings. */
  span?: Span;
  /** Short text printed under the underline. */
  label?: string;
  /** `= note:` lines: context. */
  notes?: string[];
  /** `= help:` lines: what to do. */
  help?: string[];
  /** A safe, mechanical repair (`check --fix` applies it). */
  fix?: Fix;
  /** Structured extras for JSON consumers (symbol names, addresses, dependency chains). */
  data?: Record<string, unknown>;
}

/** What reporters need to know about a code (for SARIF rule metadata and `explain`). */
export interface CodeDescriptor {
  code: string;
  defaultSeverity: Severity;
  /** One line. */
  summary: string;
  /** Markdown: why it matters, how to fix it, examples. */
  explanation: string;
  /** Its page (SARIF `helpUri`), when the describer knows it. */
  helpUri?: string;
}

export interface DiagnosticCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countDiagnostics(diags: readonly Diagnostic[]): DiagnosticCounts {
  const counts: DiagnosticCounts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diags) {
    if (d.severity === "error") counts.errors++;
    else if (d.severity === "warning") counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

/** The exit-code contract shared by check, verify, build and explain: 0 clean, 1 errors (or warnings when denied). */
export function exitCodeFor(diags: readonly Diagnostic[], opts: { denyWarnings?: boolean } = {}): 0 | 1 {
  const c = countDiagnostics(diags);
  if (c.errors > 0) return 1;
  if (opts.denyWarnings && c.warnings > 0) return 1;
  return 0;
}
