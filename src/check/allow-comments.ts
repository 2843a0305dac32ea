import type { Node } from "web-tree-sitter";
import type { RustSource } from "../syntax/source.js";
import { enclosingItems, leadingComments } from "../syntax/queries.js";
import { pushAll } from "../util/arrays.js";

const ALLOW = /freestand:\s*allow\(([^)]*)\)/g;

function rulesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(ALLOW)) pushAll(out, m[1]!.split(",").map((s) => s.trim()).filter(Boolean));
  return out;
}

/** Converts a UTF-8 byte offset back to a UTF-16 index of the source (binary search over `byte`). */
function indexOfByte(source: RustSource, byte: number): number {
  let lo = 0;
  let hi = source.text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (source.byte(mid) < byte) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Is a finding at `byteOffset` allowed by a `// freestand: allow(rule)` comment? The comment may be on the
 * finding's line, on the line above it, among the attributes and comments above any item that encloses it,
 * or an inner `//! freestand: allow(rule)` at the top of the file (for the whole file).
 */
export function allowedByComment(source: RustSource, byteOffset: number, rule: string): boolean {
  if (!source.text.includes("freestand:")) return false;
  const index = indexOfByte(source, byteOffset);
  const line = source.lineOf(index);
  if (rulesIn(source.lineText(line)).includes(rule)) return true;
  if (line > 0 && /^\s*\/\/.*freestand:/.test(source.lineText(line - 1)) && rulesIn(source.lineText(line - 1)).includes(rule)) return true;
  for (const c of source.root.namedChildren) {
    if (!c || (c.type !== "line_comment" && c.type !== "inner_attribute_item")) break;
    if (c.type === "line_comment" && c.text.startsWith("//!") && rulesIn(c.text).includes(rule)) return true;
  }
  const node: Node | null = source.root.descendantForIndex(index, index);
  if (!node) return false;
  for (const item of enclosingItems(node)) {
    for (const c of leadingComments(item)) if (rulesIn(c.text).includes(rule)) return true;
  }
  return false;
}

/** For TOML files (Cargo.toml, config.toml): a `# freestand: allow(rule)` on the finding's line or the one above. */
export function allowedInText(text: string, byteOffset: number, rule: string): boolean {
  if (!text.includes("freestand:")) return false;
  const before = Buffer.from(text, "utf8").subarray(0, byteOffset).toString("utf8");
  const lines = text.split("\n");
  const line = before.split("\n").length - 1;
  return [lines[line] ?? "", lines[line - 1] ?? ""].some((l) => rulesIn(l).includes(rule));
}
