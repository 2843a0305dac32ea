import path from "node:path";
import { constants, promises as fsp } from "node:fs";
import type { Diagnostic, Fix, TextEdit } from "../diagnostics/types.js";
import { decodeUtf8, kindOf, readRegularFile, removeStaleTemporaries, writeFileAtomic } from "../util/fs.js";
import { describeError, FreestandError } from "../errors.js";
import { pushAll } from "../util/arrays.js";

export interface ApplyResult {
  /** Diagnostics whose fix was applied. */
  applied: Diagnostic[];
  /** Diagnostics whose fix overlapped an earlier one (they are tried again on the next pass). */
  skipped: Diagnostic[];
  /** Files written. */
  files: string[];
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  // Two insertions at the same place would depend on their order: treat them as overlapping.
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** The line break a file mostly uses: CRLF when most of its lines end so, LF otherwise. */
export function lineBreakOf(text: string): "\r\n" | "\n" {
  const crlf = text.split("\r\n").length - 1;
  const lf = text.split("\n").length - 1;
  return crlf > 0 && crlf * 2 >= lf ? "\r\n" : "\n";
}

/**
 * Applies edits to a text given in UTF-8 byte offsets, from the end backwards so earlier offsets stay valid.
 * Inserted text takes the file's own line breaks, so a CRLF file stays CRLF.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let bytes = Buffer.from(text, "utf8");
  const eol = lineBreakOf(text);
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  for (const e of sorted) {
    if (e.start < 0 || e.end > bytes.length || e.start > e.end) throw new FreestandError(`a fix for ${e.file} points outside the file; nothing was changed.`);
    const insert = eol === "\r\n" ? e.text.replace(/\r?\n/g, "\r\n") : e.text;
    bytes = Buffer.concat([bytes.subarray(0, e.start), Buffer.from(insert, "utf8"), bytes.subarray(e.end)]);
  }
  return bytes.toString("utf8");
}

const BOM = "\uFEFF";

export interface FixPlan extends ApplyResult {
  /** The full new text of every file a chosen fix changes or creates (absolute path → text). */
  texts: Map<string, string>;
}

/**
 * Chooses every fix that does not overlap one chosen before it (a fix's edits go in together or not at all) and
 * computes the new texts, writing nothing. Files are read through readRegularFile, so under withFileTexts a plan
 * builds on the texts of an earlier pass. A fix may create a file (edits at offset 0 of a file that does not exist
 * yet, such as `.cargo/config.toml`).
 */
export async function planFixes(diags: readonly Diagnostic[]): Promise<FixPlan> {
  const chosen: TextEdit[] = [];
  const applied: Diagnostic[] = [];
  const skipped: Diagnostic[] = [];
  for (const d of diags) {
    const fix: Fix | undefined = d.fix;
    if (!fix || fix.edits.length === 0) continue;
    if (fix.edits.some((e) => chosen.some((c) => overlaps(c, e)) || fix.edits.some((o) => o !== e && overlaps(o, e)))) {
      skipped.push(d);
      continue;
    }
    pushAll(chosen, fix.edits);
    applied.push(d);
  }
  const byFile = new Map<string, TextEdit[]>();
  for (const e of chosen) {
    const file = path.resolve(e.file);
    byFile.set(file, [...(byFile.get(file) ?? []), e]);
  }
  // Every new text first, so a bad edit changes nothing at all.
  const texts = new Map<string, string>();
  for (const [file, edits] of byFile) {
    let text = "";
    let bom = false;
    try {
      const raw = await readRegularFile(file);
      // Offsets are into the text without its byte-order mark (as the parsers read it); the mark is kept.
      bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
      text = decodeUtf8(raw, file);
    } catch (err) {
      // Not there yet (ENOTDIR: a parent is a file; writing it is refused, with the reason, before anything is written).
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw err;
    }
    texts.set(file, (bom ? BOM : "") + applyEdits(text, edits));
  }
  return { applied, skipped, files: [...texts.keys()], texts };
}

/** Applies the fixes that do not overlap (see planFixes) and writes the files they change (see writeAllOrNothing). */
export async function applyFixes(diags: readonly Diagnostic[]): Promise<ApplyResult> {
  const plan = await planFixes(diags);
  await writeAllOrNothing(plan.texts);
  return { applied: plan.applied, skipped: plan.skipped, files: plan.files };
}

/** Why `file` cannot be written (or created), or undefined: checked for every file before the first is written. */
async function unwritable(file: string): Promise<string | undefined> {
  const st = await fsp.stat(file).catch(() => undefined);
  if (st) {
    if (!st.isFile()) return `it is ${kindOf(st)}`;
    // access() sees what permissions, read-only mounts and `chattr +i` forbid (root included); the temporary
    // file and the rename need the directory to be writable too.
    if (!(await writable(file))) return "it is not writable";
    return (await writable(path.dirname(file))) ? undefined : `${path.dirname(file)} is not writable`;
  }
  let dir = path.dirname(file);
  for (;;) {
    const d = await fsp.stat(dir).catch(() => undefined);
    if (d) {
      if (!d.isDirectory()) return `${dir} is ${kindOf(d)}, not a directory`;
      return (await writable(dir)) ? undefined : `${dir} is not writable`;
    }
    if (path.dirname(dir) === dir) return `${dir} does not exist`;
    dir = path.dirname(dir);
  }
}

async function writable(p: string): Promise<boolean> {
  return fsp.access(p, constants.W_OK).then(
    () => true,
    () => false,
  );
}

/** The directories `mkdir -p dir` would create, outermost first. */
async function missingDirs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (let d = dir; !(await fsp.stat(d).catch(() => undefined)); d = path.dirname(d)) {
    out.unshift(d);
    if (path.dirname(d) === d) break;
  }
  return out;
}

/**
 * Writes each file once (atomically: a reader sees the old or the new text), all or nothing: every file is checked
 * first, and when a write fails part-way the files already written are put back and the directories made removed.
 * Temporary files a killed run left beside these files are removed first.
 */
export async function writeAllOrNothing(texts: ReadonlyMap<string, string>): Promise<void> {
  for (const dir of new Set([...texts.keys()].map((f) => path.dirname(f)))) await removeStaleTemporaries(dir);
  const before = new Map<string, Buffer | undefined>();
  for (const file of texts.keys()) {
    const why = await unwritable(file);
    if (why) throw new FreestandError(`cannot write ${file}: ${why}; no file was changed.`);
    before.set(file, await readRegularFile(file).catch(() => undefined));
  }
  const written: string[] = [];
  const made: string[] = [];
  try {
    for (const [file, text] of texts) {
      if (before.get(file)?.equals(Buffer.from(text, "utf8"))) continue;
      const dirs = await missingDirs(path.dirname(file));
      for (const d of dirs) {
        await fsp.mkdir(d);
        made.push(d);
      }
      await writeFileAtomic(file, text);
      written.push(file);
    }
  } catch (err) {
    for (const file of written.reverse()) {
      const old = before.get(file);
      await (old ? writeFileAtomic(file, old) : fsp.rm(file, { force: true })).catch(() => {});
    }
    for (const d of made.reverse()) await fsp.rmdir(d).catch(() => {});
    throw new FreestandError(`${describeError(err).replace(/\.$/, "")}; no file was changed.`);
  }
}
