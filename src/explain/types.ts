import type { Diagnostic } from "../diagnostics/types.js";

/** Where a compiler message points, as the compiler printed it (file relative to the workspace root, or absolute). */
export interface CompilerLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in characters; absent when only a line is known (linker references). */
  column?: number;
  /** Byte offsets into the file, when the compiler gave them (JSON spans). */
  byteStart?: number;
  byteEnd?: number;
}

/**
 * One compiler or linker message, whichever form it came in (cargo JSON or cargo's plain text), reduced to what the
 * catalogue's patterns look at.
 */
export interface CompilerMessage {
  level: "error" | "warning";
  /** rustc's error code (`E0463`) or lint name (`linker_messages`), if any. */
  code?: string;
  /** The headline, without the `error[E0463]: ` prefix; for linker messages it may span several lines. */
  message: string;
  /** The `note:` / `help:` texts, in order (for linker failures these carry the linker's stderr). */
  children: string[];
  /** The source lines the compiler quoted (the code frame), for patterns that need the offending text. */
  sourceLines: string[];
  /** The primary span, if the compiler gave one. */
  location?: CompilerLocation;
  /** The message as cargo printed it. */
  rendered: string;
  /** Identifies the compilation (package and target) the message belongs to, to relate follow-on errors. */
  unit: string;
  /** Directory of the package being compiled, when known (JSON manifest_path, text `Compiling x (path)`). */
  packageDir?: string;
}

/** One error or warning of the input, with what freestand recognised in it (empty: unknown, passed through). */
export interface ExplainedMessage {
  level: "error" | "warning";
  code?: string;
  /** The compiler's headline. */
  message: string;
  /** Cargo's own text for it: print this first, then the explanations. */
  rendered: string;
  diagnostics: Diagnostic[];
  /** Text input only: the lines [startLine, endLine) of the input (0-based) that hold this message. */
  startLine?: number;
  endLine?: number;
}

export interface ExplainCounts {
  /** Errors the compiler or linker reported (cargo's own "could not compile" summaries are not counted). */
  errors: number;
  /** Of those, how many freestand explained. */
  errorsExplained: number;
  warnings: number;
  warningsExplained: number;
}

export interface ExplainResult {
  /** Every error and warning seen, in input order. */
  messages: ExplainedMessage[];
  /** All explanations, in input order (at most `maxDiagnostics`). */
  diagnostics: Diagnostic[];
  counts: ExplainCounts;
  /** Explanations made but not kept in `diagnostics` (beyond `maxDiagnostics`). */
  omitted: number;
}

export interface ExplainOptions {
  /**
   * The workspace root cargo ran in: relative paths in compiler output are resolved against it, and a crate whose
   * package lives outside it is a dependency. Default: the current directory.
   */
  root?: string;
  /**
   * Reads a source file to turn line:column into byte offsets; default reads from disk (and gives up quietly).
   * Return undefined when the file is not available.
   */
  readSource?: (file: string) => string | undefined;
  /** The target the build was for, when the caller knows it (`freestand build`, `explain --target`). */
  target?: string;
  /** Keep every message for result().messages (default); a caller that prints each one as it comes keeps none. */
  keepMessages?: boolean;
  /** Keep at most this many explanations for result().diagnostics; the others are only counted (`omitted`). */
  maxDiagnostics?: number;
}
