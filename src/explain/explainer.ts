/**
 * Runs the catalogue over compiler messages and turns what it recognises into the shared Diagnostic type.
 * Messages are fed one at a time (so `freestand build` can print each explanation right after cargo's own text while
 * cargo still runs); `result()` gives everything with the counts for the "N errors, M explained" summary.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Diagnostic, Span } from "../diagnostics/types.js";
import { CATALOGUE } from "./catalogue.js";
import type { CrateOrigin, Finding, MatchContext } from "./entry.js";
import { normaliseCargoMessage } from "./cargo-json.js";
import { parseLinkerOutput, type LinkerReport } from "./linker.js";
import { forEachLine, TextReader, type TextBlock } from "./text.js";
import type { CompilerLocation, CompilerMessage, ExplainCounts, ExplainedMessage, ExplainOptions, ExplainResult } from "./types.js";
import { readTextFileSync } from "../util/fs.js";

/** Patterns look at most this much of one message: a real message is far smaller; a huge one is not worth more. */
const MAX_PATTERN_TEXT = 1 << 20;

function readFromDisk(file: string): string | undefined {
  try {
    return readTextFileSync(file);
  } catch {
    return undefined;
  }
}

export class Explainer {
  private readonly root: string;
  private readonly readSource: (file: string) => string | undefined;
  private readonly sources = new Map<string, SourceLines | null>();
  /** Per compilation unit: the error that makes the later ones follow-on errors. */
  private readonly rootCauses = new Map<string, string>();
  /** Crate name (underscored) → package directory, from everything seen so far. */
  readonly packages = new Map<string, string>();
  private readonly messages: ExplainedMessage[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private omitted = 0;
  private readonly counts: ExplainCounts = { errors: 0, errorsExplained: 0, warnings: 0, warningsExplained: 0 };
  private readonly keepMessages: boolean;
  private readonly maxDiagnostics: number;

  /** The directory cargo ran in is known (not a guess from the current directory). */
  private readonly rootKnown: boolean;
  private readonly target: string | undefined;

  constructor(opts: ExplainOptions = {}) {
    this.root = path.resolve(opts.root ?? process.cwd());
    this.rootKnown = opts.root !== undefined;
    this.target = opts.target;
    this.readSource = opts.readSource ?? readFromDisk;
    this.keepMessages = opts.keepMessages ?? true;
    this.maxDiagnostics = opts.maxDiagnostics ?? Number.POSITIVE_INFINITY;
  }

  /** Feeds one parsed cargo JSON message; returns the error or warning it carried, explained, if it was one. */
  cargoMessage(raw: unknown): ExplainedMessage | undefined {
    this.notePackage(raw);
    const msg = normaliseCargoMessage(raw);
    return msg ? this.explain(msg) : undefined;
  }

  /** A reader for text input whose `Compiling name (dir)` lines feed this explainer's package table. */
  textReader(): TextReader {
    return new TextReader(this.packages);
  }

  /** Feeds one message read from text (see textReader()). */
  textBlock(block: TextBlock): ExplainedMessage {
    const explained = this.explain(block.message);
    explained.startLine = block.startLine;
    explained.endLine = block.endLine;
    return explained;
  }

  result(): ExplainResult {
    return {
      messages: this.messages,
      diagnostics: this.diagnostics,
      counts: { ...this.counts },
      omitted: this.omitted,
    };
  }

  private notePackage(raw: unknown): void {
    if (typeof raw !== "object" || raw === null) return;
    const r = raw as Record<string, unknown>;
    const target = r.target as Record<string, unknown> | undefined;
    if (typeof r.manifest_path === "string" && target && typeof target.name === "string") {
      this.packages.set(target.name.replace(/-/g, "_"), path.dirname(r.manifest_path));
    }
  }

  private explain(msg: CompilerMessage): ExplainedMessage {
    const findings = this.match(msg);
    const diagnostics = findings.map(({ code, rule, finding }) => this.toDiagnostic(msg, code, rule, finding));
    const explained: ExplainedMessage = { level: msg.level, code: msg.code, message: msg.message, rendered: msg.rendered, diagnostics };
    if (msg.level === "error") {
      this.counts.errors++;
      if (diagnostics.length) this.counts.errorsExplained++;
    } else {
      this.counts.warnings++;
      if (diagnostics.length) this.counts.warningsExplained++;
    }
    if (this.keepMessages) this.messages.push(explained);
    for (const d of diagnostics) {
      if (this.diagnostics.length < this.maxDiagnostics) this.diagnostics.push(d);
      else this.omitted++;
    }
    return explained;
  }

  private match(msg: CompilerMessage): { code: string; rule?: string; finding: Finding }[] {
    let text = [msg.message, ...msg.children].join("\n");
    if (text.length > MAX_PATTERN_TEXT) text = text.slice(0, MAX_PATTERN_TEXT);
    let linker: LinkerReport | undefined;
    const ctx: MatchContext = {
      msg,
      text,
      linker: () => (linker ??= looksLikeLinkerOutput(msg) ? parseLinkerOutput(text) : { undefined: new Map(), duplicate: new Map() }),
      rootCause: this.rootCauses.get(msg.unit),
      origin: (crate) => this.origin(crate),
      definesMacro: (name) => this.definesMacro(name),
      target: () => this.target ?? /lib\/rustlib\/([A-Za-z0-9_.-]+)\/lib\b/.exec(text)?.[1],
    };
    const out: { code: string; rule?: string; finding: Finding }[] = [];
    for (const entry of CATALOGUE) {
      const r = entry.match(ctx);
      const list = r === undefined ? [] : Array.isArray(r) ? r : [r];
      for (const finding of list) {
        // A follow-on error has one explanation: the earlier error. Nothing else applies to it.
        if (entry.code === "explain_follow_on") return [{ code: entry.code, finding }];
        out.push({ code: entry.code, rule: finding.rule === null ? undefined : (finding.rule ?? entry.rule), finding });
        if (finding.rootCause && !this.rootCauses.has(msg.unit)) this.rootCauses.set(msg.unit, finding.rootCause);
      }
    }
    return out;
  }

  /**
   * "this crate" when the package lives where cargo ran, "a dependency" when it lives in a registry or vendor
   * directory, or elsewhere while the build's directory is known (`freestand build`, `--root`). For saved output
   * read from another directory, a package elsewhere may be the crate itself: it says so instead of guessing.
   */
  private origin(crate: string): CrateOrigin | undefined {
    const dir = this.packages.get(crate.replace(/-/g, "_"));
    if (!dir) return undefined;
    const abs = path.resolve(this.root, dir);
    if (abs === this.root) return "this crate";
    if (/[\\/](registry[\\/]src|vendor|\.cargo[\\/]git)[\\/]/.test(abs + path.sep) || this.rootKnown) return "a dependency";
    return "this crate or one of its dependencies";
  }

  private readonly macroFiles = new Map<string, string | null>();

  /** Looks through the crate's own sources (under the build directory's `src/`) for `macro_rules! name`. */
  private definesMacro(name: string): string | undefined {
    if (!this.macroFiles.has(name)) {
      const re = new RegExp(`\\bmacro_rules!\\s*${name}\\b`);
      let found: string | null = null;
      for (const file of rustFiles(path.join(this.root, "src"))) {
        const text = this.readSource(file);
        if (text !== undefined && re.test(text)) {
          found = file;
          break;
        }
      }
      this.macroFiles.set(name, found);
    }
    return this.macroFiles.get(name) ?? undefined;
  }

  private toDiagnostic(msg: CompilerMessage, code: string, rule: string | undefined, f: Finding): Diagnostic {
    const loc = f.location ?? msg.location;
    const d: Diagnostic = {
      code,
      severity: f.severity ?? msg.level,
      message: f.message,
    };
    const data: Record<string, unknown> = { ...f.data, compilerMessage: firstLine(msg.message) };
    if (msg.code) data.compilerCode = msg.code;
    if (rule) data.rule = rule;
    if (loc) {
      d.file = this.resolve(loc.file);
      data.line = loc.line;
      if (loc.column !== undefined) data.column = loc.column;
      const span = this.spanOf(d.file, loc);
      if (span) d.span = span;
    }
    const notes = [...(f.notes ?? [])];
    if (rule) notes.push(`\`freestand check\` finds this before compiling (rule \`${rule}\`)`);
    if (notes.length) d.notes = notes;
    if (f.help?.length) d.help = f.help;
    d.data = data;
    return d;
  }

  private readonly resolved = new Map<string, string>();

  /** Paths repeat across messages (every error of a crate names src/main.rs): resolve each once. */
  private resolve(file: string): string {
    let abs = this.resolved.get(file);
    if (abs === undefined) {
      abs = path.resolve(this.root, file);
      if (this.resolved.size < 10_000) this.resolved.set(file, abs);
    }
    return abs;
  }

  /** Byte span of a location: the compiler's offsets when given, else computed from line:column in the file. */
  private spanOf(file: string, loc: CompilerLocation): Span | undefined {
    if (loc.byteStart !== undefined && loc.byteEnd !== undefined && loc.byteEnd >= loc.byteStart) {
      return { start: loc.byteStart, end: loc.byteEnd };
    }
    let src = this.sources.get(file);
    if (src === undefined) {
      const text = this.readSource(file);
      src = text === undefined ? null : sourceLines(text);
      this.sources.set(file, src);
    }
    if (!src || loc.line < 1 || loc.line > src.lines.length) return undefined;
    const lineText = src.lines[loc.line - 1]!;
    const lineStart = src.starts[loc.line - 1]!;
    if (loc.column === undefined) {
      // Only a line (a linker reference): underline the line's text.
      const indent = lineText.length - lineText.trimStart().length;
      const start = lineStart + Buffer.byteLength(lineText.slice(0, indent));
      return { start, end: lineStart + Buffer.byteLength(lineText.trimEnd()) };
    }
    const col = Math.max(1, Math.min(loc.column, lineText.length + 1));
    const start = lineStart + Buffer.byteLength(lineText.slice(0, col - 1));
    // A text location has no end: underline the word (identifier or punctuation run) it starts at.
    const rest = lineText.slice(col - 1);
    const word = /^(?:[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_])/u.exec(rest)?.[0] ?? "";
    return { start, end: start + Buffer.byteLength(word) };
  }
}

interface SourceLines {
  lines: string[];
  /** Byte offset at which each line starts. */
  starts: number[];
}

function sourceLines(text: string): SourceLines {
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const starts: number[] = [];
  let offset = 0;
  for (const raw of text.split("\n")) {
    starts.push(offset);
    offset += Buffer.byteLength(raw) + 1;
  }
  return { lines, starts };
}

/** The .rs files under a directory (a crate's `src/`), a few hundred at most. */
function rustFiles(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || out.length > 500) return out;
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) rustFiles(p, out, depth + 1);
    else if (e.isFile() && e.name.endsWith(".rs")) out.push(p);
  }
  return out;
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

/** Linker failures ("linking with `cc` failed") and forwarded linker output ("linker stderr: …"). */
function looksLikeLinkerOutput(msg: CompilerMessage): boolean {
  return /^linking with `[^`]*` failed|^linker std(?:err|out)/.test(msg.message) || msg.code === "linker_messages";
}

/** Explains cargo's JSON messages (already parsed, in order). */
export function explainCargoMessages(messages: readonly unknown[], opts: ExplainOptions = {}): ExplainResult {
  const ex = new Explainer(opts);
  for (const m of messages) ex.cargoMessage(m);
  return ex.result();
}

/** Explains cargo's plain-text output (a saved log or pasted text). */
export function explainText(text: string, opts: ExplainOptions = {}): ExplainResult {
  const ex = new Explainer(opts);
  const reader = ex.textReader();
  forEachLine(text, (line, no) => {
    const block = reader.line(line, no);
    if (block) ex.textBlock(block);
  });
  const last = reader.end();
  if (last) ex.textBlock(last);
  return ex.result();
}
