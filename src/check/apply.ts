import path from "node:path";
import { promises as fsp } from "node:fs";
import type { Diagnostic, Fix, TextEdit } from "../diagnostics/types.js";
import { decodeUtf8, writeFileAtomic } from "../util/fs.js";
import { FreestandError } from "../errors.js";

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

/**
 * Applies every fix that does not overlap one chosen before it (a fix's edits go in together or not at all),
 * then writes each changed file once, atomically. A fix may create a file (edits at offset 0 of a file that
 * does not exist yet, such as `.cargo/config.toml`).
 */
export async function applyFixes(diags: readonly Diagnostic[]): Promise<ApplyResult> {
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
    chosen.push(...fix.edits);
    applied.push(d);
  }
  const byFile = new Map<string, TextEdit[]>();
  for (const e of chosen) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  // Compute every new text first, so a bad edit changes nothing at all.
  const writes: [string, string][] = [];
  for (const [file, edits] of byFile) {
    let text = "";
    let bom = false;
    try {
      const raw = await fsp.readFile(file);
      // Offsets are into the text without its byte-order mark (as the parsers read it); the mark is kept.
      bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
      text = decodeUtf8(raw, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    writes.push([file, (bom ? BOM : "") + applyEdits(text, edits)]);
  }
  for (const [file, text] of writes) {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, text);
  }
  return { applied, skipped, files: writes.map(([f]) => f) };
}
