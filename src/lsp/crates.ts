/**
 * The crates the language server checks: one check of a crate at a time, started at the change (keystrokes
 * that arrive during a check are checked together after it), with the open files' unsaved texts standing in for the files on disk.
 * Each check's findings are kept (for code actions and hover) and handed on, per file, to be published.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { check } from "../check/index.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { describeError } from "../errors.js";
import { withFileTexts } from "../util/fs.js";

/**
 * How long to wait after a change before checking: nothing. Changes that come while a check runs are checked
 * together once it ends (`again`), so a burst of keystrokes costs one check more, not one each.
 */
const SETTLE_MS = 0;

interface CrateState {
  dir: string;
  /** The latest findings, by key (what an LSP diagnostic's `data.key` names). */
  findings: Map<string, Diagnostic>;
  /** Files the latest check had findings in. */
  files: Set<string>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  again: boolean;
}

export interface CrateChecksOptions {
  /** The unsaved texts of the open files, by absolute path. */
  openTexts: () => Map<string, string>;
  /** A check's findings of one file (keyed), and the files that no longer have any (to clear). */
  publish: (file: string, findings: [key: string, d: Diagnostic][]) => Promise<void>;
  /** Why a check could not run (half-written input): the last findings stay. */
  warn: (message: string) => void;
}

export class CrateChecks {
  private readonly crates = new Map<string, CrateState>();

  constructor(private readonly opts: CrateChecksOptions) {}

  /** The crate a file belongs to: the nearest directory above it with a Cargo.toml. */
  static crateOf(file: string): string | undefined {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, "Cargo.toml"))) return dir;
      if (path.dirname(dir) === dir) return undefined;
    }
  }

  /** Checks `dir` soon (again, if a check of it is running). */
  schedule(dir: string): void {
    const s = this.stateOf(dir);
    clearTimeout(s.timer);
    s.timer = setTimeout(() => void this.run(s), SETTLE_MS);
  }

  /** The crates checked so far, by directory. */
  known(): string[] {
    return [...this.crates.keys()];
  }

  /** The latest findings of the crate holding `file`. */
  findingsOf(file: string): Map<string, Diagnostic> {
    const dir = CrateChecks.crateOf(file);
    return (dir ? this.crates.get(dir)?.findings : undefined) ?? new Map();
  }

  private stateOf(dir: string): CrateState {
    let s = this.crates.get(dir);
    if (!s) this.crates.set(dir, (s = { dir, findings: new Map(), files: new Set(), again: false }));
    return s;
  }

  private async run(s: CrateState): Promise<void> {
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = this.checkOnce(s).finally(() => {
      s.running = undefined;
      if (s.again) {
        s.again = false;
        void this.run(s);
      }
    });
    await s.running;
  }

  private async checkOnce(s: CrateState): Promise<void> {
    let diagnostics: Diagnostic[];
    const open = this.opts.openTexts();
    try {
      diagnostics = (await withFileTexts(open, () => check(s.dir))).diagnostics;
    } catch (err) {
      this.opts.warn(`freestand: ${s.dir}: ${describeError(err)}`);
      return;
    }
    const byFile = new Map<string, [string, Diagnostic][]>();
    s.findings = new Map();
    for (const [i, d] of diagnostics.entries()) {
      if (!d.file) continue;
      const key = `${i}:${d.code}`;
      s.findings.set(key, d);
      byFile.set(d.file, [...(byFile.get(d.file) ?? []), [key, d]]);
    }
    for (const [file, list] of byFile) await this.opts.publish(file, list);
    // Files that had findings and have none now are cleared, and every open file of the crate hears that it was
    // checked (an editor then knows its text has no findings).
    const inCrate = (f: string) => f.startsWith(`${s.dir}${path.sep}`) && CrateChecks.crateOf(f) === s.dir;
    for (const file of new Set([...s.files, ...[...open.keys()].filter(inCrate)])) if (!byFile.has(file)) await this.opts.publish(file, []);
    s.files = new Set(byFile.keys());
  }
}
