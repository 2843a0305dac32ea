import type { CodeDescriptor } from "../types.js";
import { LineIndex } from "../position.js";
import { readTextFileSync } from "../../util/fs.js";
import { relativeInside } from "../../util/paths.js";

export interface ReportOptions {
  /** Paths are shown relative to this directory (default: the process's cwd). */
  cwd?: string;
  /** Colour output (human reporter only). */
  color?: boolean;
  /** Looks up a code's metadata (summary and explanation) for SARIF and for help links. */
  describe?: (code: string) => CodeDescriptor | undefined;
  /** Name and version of the tool run, for SARIF. */
  toolVersion?: string;
  /** Extra lines for the human summary (e.g. "fixed 3 problems"). */
  summaryNotes?: string[];
  /** Source texts already in memory, by absolute path; others are read from disk when a frame needs them. */
  sources?: ReadonlyMap<string, string>;
}

/** Reads source files at most once per report, and never throws: a frame without text is just omitted. */
export class SourceCache {
  private readonly cache = new Map<string, LineIndex | null>();
  constructor(private readonly sources?: ReadonlyMap<string, string>) {}

  get(file: string): LineIndex | undefined {
    if (!this.cache.has(file)) {
      let text = this.sources?.get(file);
      if (text === undefined) {
        try {
          text = readTextFileSync(file);
        } catch {
          text = undefined;
        }
      }
      this.cache.set(file, text === undefined ? null : new LineIndex(text));
    }
    return this.cache.get(file) ?? undefined;
  }
}

export function displayPath(file: string, cwd = process.cwd()): string {
  return relativeInside(cwd, file) || file;
}
