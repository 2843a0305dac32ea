/**
 * Reads cargo's plain-text output (what a user pastes, or a saved build log) one line at a time and cuts it into
 * messages: a message starts at `error…:` / `warning…:` in column 0 and runs through its code frame, its
 * `= note:` lines (a linker failure's stderr lives there) and, for cargo's own errors, its `Caused by:` chain.
 * One pass, constant work per line, so any input — garbage, empty, tens of megabytes — costs linear time.
 */
import type { CompilerMessage } from "./types.js";
import { stripVTControlCharacters } from "node:util";

/** A message found in the text, with the input lines it covers. */
export interface TextBlock {
  message: CompilerMessage;
  startLine: number;
  /** Exclusive; trailing blank lines are not part of the block. */
  endLine: number;
  /** The input lines of the message, as they were (colours, `\r`), without the trailing blank ones. */
  lines: string[];
  /** The blank lines after it that the reader held while the message might go on. */
  trailing: string[];
}

/**
 * A message longer than this (a linker line dump of a huge build) ends here; the rest passes as plain text. It
 * bounds what one message holds in memory, whatever the input.
 */
const MAX_MESSAGE_LINES = 20_000;
const MAX_MESSAGE_CHARS = 16 << 20;

const HEADER = /^(error|warning)(?:\[([A-Za-z0-9_-]+)\])?: (.*)$/;
/** Cargo's own summaries: they repeat a count, they are not errors of their own. */
const CARGO_SUMMARY =
  /^(?:error: could not compile `|warning: `[^`]*` \(.*\) generated \d+ warnings?|warning: build failed, waiting|error: aborting due to|warning: \d+ warnings? emitted|error: build failed)/;
/** Cargo's right-aligned status words ("   Compiling foo v0.1.0 (/path)"). */
const STATUS = /^ {0,12}(?:Compiling|Checking|Finished|Running|Fresh|Downloaded|Downloading|Updating|Locking|Adding|Building|Documenting|Blocking|Packaging|Verifying|Installing|Installed|Replacing|Removing|Fixing|Scraping|Doc-tests|Executable|Packaged|Uploading|Waiting) /;
const COMPILING = /^ {0,12}(?:Compiling|Checking) ([A-Za-z0-9_-]+) v\S+ \((.+)\)\s*$/;
const MORE_INFO = /^(?:For more information about (?:this|an) error|Some errors have detailed explanations)/;
const CHILD_AT_COL0 = /^(note|help|suggestion)(?:\[[^\]]*\])?: ?(.*)$/;
const ARROW = /^\s*-->\s(.+):(\d+):(\d+)\s*$/;
const CODE_LINE = /^\s*(\d+)\s*\|(?: (.*))?$/;
const GUTTER = /^\s*\|/;
const EQ_CHILD = /^\s*= (?:note|help|warning|error)(?:\[[^\]]*\])?: ?(.*)$/;

export function stripAnsi(line: string): string {
  return line.indexOf("\x1b") < 0 ? line : stripVTControlCharacters(line);
}

interface Open {
  level: "error" | "warning";
  code?: string;
  messageLines: string[];
  children: string[];
  sourceLines: string[];
  location?: CompilerMessage["location"];
  raw: string[];
  startLine: number;
  /** Index in `raw` after the last non-blank line. */
  contentEnd: number;
  /** Characters in `raw`. */
  chars: number;
  /** Where continuation lines go: the headline, the last child, or a Caused-by chain. */
  part: "message" | "child" | "caused";
  sawEmpty: boolean;
}

export class TextReader {
  private open: Open | undefined;
  private unitNo = 0;
  /** @param packages receives the packages of `Compiling name vX (dir)` lines: crate name (underscored) → directory. */
  constructor(readonly packages = new Map<string, string>()) {}

  /** Feeds one line (without its line break); returns a message that this line completed, if any. */
  line(rawLine: string, lineNo: number): TextBlock | undefined {
    let line = stripAnsi(rawLine);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    const o = this.open;
    if (o && this.continues(o, line)) {
      this.append(o, line, rawLine);
      return undefined;
    }
    const done = o ? this.close() : undefined;
    this.startOrPass(line, rawLine, lineNo);
    return done;
  }

  /** True while the last line fed belongs to a message that is still open (the caller must not print it yet). */
  get holding(): boolean {
    return this.open !== undefined;
  }

  /** The input ended: the message still open, if any. */
  end(): TextBlock | undefined {
    return this.open ? this.close() : undefined;
  }

  private continues(o: Open, line: string): boolean {
    if (o.raw.length >= MAX_MESSAGE_LINES || o.chars >= MAX_MESSAGE_CHARS) return false;
    if (line.trim() === "") return true; // kept tentatively; trailing blanks are cut off at close()
    if (HEADER.test(line) || CARGO_SUMMARY.test(line) || MORE_INFO.test(line)) return false;
    if (line === "Caused by:") return true;
    if (CHILD_AT_COL0.test(line)) return !o.sawEmpty || o.part === "caused";
    // Code-frame lines start in column 0 once line numbers are as wide as the gutter ("11 | fn panic(").
    const indented = line[0] === " " || line[0] === "\t" || CODE_LINE.test(line);
    if (!indented) return false;
    if (STATUS.test(line) && o.part !== "caused") return false;
    return !o.sawEmpty || o.part === "caused";
  }

  private append(o: Open, line: string, rawLine: string): void {
    o.raw.push(rawLine);
    o.chars += rawLine.length;
    if (line === "") {
      o.sawEmpty = true;
      return;
    }
    if (line.trim() === "") return;
    o.contentEnd = o.raw.length;
    if (line === "Caused by:") {
      o.part = "caused";
      o.children.push("");
      return;
    }
    if (o.part === "caused") {
      const last = o.children.length - 1;
      o.children[last] = o.children[last] === "" ? line.trim() : `${o.children[last]}\n${line.trim()}`;
      return;
    }
    o.sawEmpty = false;
    let m: RegExpExecArray | null;
    if ((m = ARROW.exec(line))) {
      if (!o.location) o.location = { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
      o.part = "message";
      return;
    }
    if ((m = CODE_LINE.exec(line))) {
      o.sourceLines.push(m[2] ?? "");
      return;
    }
    if ((m = EQ_CHILD.exec(line)) || (m = CHILD_AT_COL0.exec(line))) {
      o.children.push(m[m.length - 1] ?? "");
      o.part = "child";
      return;
    }
    if (GUTTER.test(line) || /^\s*::: /.test(line) || /^\s*\.\.\.\s*$/.test(line)) return;
    // An indented continuation: of the headline (multi-line linker messages) or of the last note.
    if (o.part === "child" && o.children.length > 0) o.children[o.children.length - 1] += `\n${line.trim()}`;
    else o.messageLines.push(line.trim());
  }

  private startOrPass(line: string, rawLine: string, lineNo: number): void {
    const compiling = COMPILING.exec(line);
    if (compiling) this.packages.set(compiling[1]!.replace(/-/g, "_"), compiling[2]!);
    // Cargo's "could not compile" closes one compilation: follow-on errors do not reach past it.
    if (CARGO_SUMMARY.test(line)) {
      this.unitNo++;
      return;
    }
    const h = HEADER.exec(line);
    if (!h) return;
    this.open = {
      level: h[1] as "error" | "warning",
      code: h[2],
      messageLines: [h[3]!],
      children: [],
      sourceLines: [],
      raw: [rawLine],
      startLine: lineNo,
      contentEnd: 1,
      chars: rawLine.length,
      part: "message",
      sawEmpty: false,
    };
  }

  private close(): TextBlock {
    const o = this.open!;
    this.open = undefined;
    const raw = o.raw.slice(0, o.contentEnd);
    const message: CompilerMessage = {
      level: o.level,
      code: o.code,
      message: o.messageLines.join("\n"),
      children: o.children,
      sourceLines: o.sourceLines,
      location: o.location,
      rendered: raw.join("\n"),
      unit: `text#${this.unitNo}`,
    };
    return { message, startLine: o.startLine, endLine: o.startLine + raw.length, lines: raw, trailing: o.raw.slice(o.contentEnd) };
  }
}

/** Calls `fn` for each line of `text` without building an array of all lines (inputs may be huge). */
export function forEachLine(text: string, fn: (line: string, lineNo: number) => void): void {
  let start = 0;
  let lineNo = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (start === text.length && end === start) break; // no empty line after a final line break
    fn(text.slice(start, end), lineNo++);
    start = end + 1;
  }
}
