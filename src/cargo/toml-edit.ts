import type { TextEdit } from "../diagnostics/types.js";
import { byteOffsetOf } from "../syntax/source.js";
import { findEntry, findTable, tomlKey, type TomlDocument, type TomlKeyPath } from "./toml.js";

/** "Make `key` in `table` have this value", with the value written as TOML text (`"abort"`, `false`). */
export interface TomlSetting {
  table: TomlKeyPath;
  key: string;
  value: string;
}

/** The end of the line holding `index`, before its line break: a trailing `# comment` stays on its line. */
function endOfLine(text: string, index: number): number {
  const nl = text.indexOf("\n", index);
  if (nl < 0) return text.length;
  return text[nl - 1] === "\r" ? nl - 1 : nl;
}

/**
 * Text edits that make each setting true while keeping the rest of the file — comments, order, spacing — as it
 * is: an existing value is replaced, a missing key is added at the end of its table (or inside its inline
 * table), a missing table is appended at the end of the file. Insertions at the same place are merged, so the
 * edits never overlap.
 */
export function tomlSetEdits(doc: TomlDocument, settings: readonly TomlSetting[]): TextEdit[] {
  const at = (i: number) => byteOffsetOf(doc.text, i);
  const edits: TextEdit[] = [];
  const appended: string[] = [];
  const insertions = new Map<number, string>();
  for (const s of settings) {
    const existing = findEntry(doc, [...s.table, s.key]);
    if (existing) {
      const v = existing.value;
      if (doc.text.slice(v.range[0], v.range[1]) !== s.value) edits.push({ file: doc.path, start: at(v.range[0]), end: at(v.range[1]), text: s.value });
      continue;
    }
    const table = findTable(doc, s.table);
    if (table) {
      const end = endOfLine(doc.text, table.range[1]);
      insertions.set(end, (insertions.get(end) ?? "") + `\n${tomlKey(s.key)} = ${s.value}`);
      continue;
    }
    const inline = s.table.length > 0 ? findEntry(doc, s.table) : undefined;
    if (inline && inline.value.type === "TOMLInlineTable") {
      const close = inline.value.range[1] - 1;
      const sep = inline.value.body.length > 0 ? ", " : " ";
      insertions.set(close, (insertions.get(close) ?? "") + `${sep}${tomlKey(s.key)} = ${s.value} `);
      continue;
    }
    if (inline) continue; // The table is spelled some other way (a dotted key with a scalar?): leave it to the user.
    const header = s.table.filter((k): k is string => typeof k === "string").map(tomlKey).join(".");
    const block = appended.find((b) => b.startsWith(`[${header}]\n`));
    if (block) appended[appended.indexOf(block)] = `${block}${tomlKey(s.key)} = ${s.value}\n`;
    else appended.push(`[${header}]\n${tomlKey(s.key)} = ${s.value}\n`);
  }
  for (const [index, text] of insertions) edits.push({ file: doc.path, start: at(index), end: at(index), text });
  if (appended.length > 0) {
    const end = Buffer.byteLength(doc.text, "utf8");
    const lead = doc.text.length === 0 ? "" : doc.text.endsWith("\n\n") ? "" : doc.text.endsWith("\n") ? "\n" : "\n\n";
    edits.push({ file: doc.path, start: end, end, text: lead + appended.join("\n") });
  }
  return edits;
}

/** Adds strings to a TOML array value, just before its closing bracket, in the array's own style. */
export function tomlArrayAppendEdit(doc: TomlDocument, arrayRange: readonly [number, number], items: readonly string[], existingCount: number): TextEdit {
  const inner = doc.text.slice(arrayRange[0] + 1, arrayRange[1] - 1);
  const multiline = inner.includes("\n");
  const trailingComma = /,\s*$/.test(inner);
  let close = arrayRange[1] - 1;
  // Insert after the last element (before any whitespace that precedes `]`).
  while (close > arrayRange[0] + 1 && /\s/.test(doc.text[close - 1]!)) close--;
  const quoted = items.map((i) => JSON.stringify(i));
  let text: string;
  if (multiline) {
    const indent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? "    ";
    text = trailingComma || existingCount === 0
      ? quoted.map((q) => `\n${indent}${q},`).join("")
      : "," + quoted.map((q) => `\n${indent}${q}`).join(",");
  } else {
    text = (existingCount > 0 && !trailingComma ? ", " : trailingComma ? " " : "") + quoted.join(", ");
  }
  const at = byteOffsetOf(doc.text, close);
  return { file: doc.path, start: at, end: at, text };
}
