import path from "node:path";
import type { Node } from "web-tree-sitter";
import type { TextEdit } from "../diagnostics/types.js";
import type { RustSource } from "../syntax/source.js";
import { parseToml, type TomlDocument } from "../cargo/toml.js";

/**
 * Where a new crate-level attribute goes: after the file's leading inner doc comments (`//!` lines and `/*!` blocks), so the
 * crate's documentation stays first. Returns a UTF-16 index at the start of a line.
 */
export function afterInnerDocs(source: RustSource): number {
  let index = 0;
  for (const c of source.root.namedChildren) {
    if (!c) continue;
    const isDoc = (c.type === "line_comment" && c.text.startsWith("//!")) || (c.type === "block_comment" && c.text.startsWith("/*!"));
    if (!isDoc) break;
    index = c.endIndex;
  }
  if (index === 0) return 0;
  const nl = source.text.indexOf("\n", index - 1);
  return nl === -1 ? source.text.length : nl + 1;
}

/** The index just after the line that holds `node` ends (after its newline). */
export function afterLine(source: RustSource, node: Node): number {
  const nl = source.text.indexOf("\n", node.endIndex);
  return nl === -1 ? source.text.length : nl + 1;
}

/** An edit inserting text at a UTF-16 index of a source; a file that does not end in a newline gets one first. */
export function insertAt(source: RustSource, index: number, text: string): TextEdit {
  const needsBreak = index === source.text.length && index > 0 && !source.text.endsWith("\n");
  const at = source.byte(index);
  return { file: source.path, start: at, end: at, text: needsBreak ? `\n${text}` : text };
}

/** An edit that puts a line in front of an item, indented like the item. */
export function insertLineBefore(source: RustSource, item: Node, line: string): TextEdit {
  const indent = source.indentAt(item.startIndex);
  const at = source.byte(item.startIndex);
  return { file: source.path, start: at, end: at, text: `${line}\n${indent}` };
}

/** An edit deleting a whole line (the one holding `node`), including its line break. */
export function deleteLine(source: RustSource, node: Node): TextEdit {
  const start = source.lineStart(node.startIndex);
  const end = afterLine(source, node);
  return { file: source.path, start: source.byte(start), end: source.byte(end), text: "" };
}

/** A file path relative to the package, for messages. */
export function rel(dir: string, file: string): string {
  return path.relative(dir, file) || file;
}

/** Backquoted list: `a`, `b` and `c`. */
export function codeList(items: readonly string[]): string {
  const q = items.map((i) => `\`${i}\``);
  return q.length <= 1 ? (q[0] ?? "") : `${q.slice(0, -1).join(", ")} and ${q[q.length - 1]}`;
}

/** An empty TOML document for a file that does not exist yet (edits then create it). */
export function emptyToml(file: string): TomlDocument {
  return parseToml(file, "");
}

/** Backquoted names for a message, at most `max` of them: `a`, `b` and 81 more. */
export function namedList(names: readonly string[], max = 3): string {
  if (names.length <= max) return codeList(names);
  return `${names.slice(0, max).map((n) => `\`${n}\``).join(", ")} and ${names.length - max} more`;
}
