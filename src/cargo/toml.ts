import { parseTOML, getStaticTOMLValue, type AST } from "toml-eslint-parser";
import { FreestandError } from "../errors.js";
import type { Span } from "../diagnostics/types.js";
import { byteOffsetOf } from "../syntax/source.js";

/** A TOML file kept with its syntax tree, so findings and fixes can point into it and edit it in place. */
export interface TomlDocument {
  path: string;
  text: string;
  ast: AST.TOMLProgram;
  value: Record<string, unknown>;
}

export type TomlKeyPath = readonly (string | number)[];

export function parseToml(path: string, text: string): TomlDocument {
  let ast: AST.TOMLProgram;
  let value: Record<string, unknown>;
  try {
    ast = parseTOML(text);
    value = getStaticTOMLValue(ast) as Record<string, unknown>;
  } catch (err) {
    // The parser recurses per nesting level and spreads a string's characters into one call: a string of about
    // 150,000 characters or arrays nested thousands deep overflow the stack. That is a limit, not bad TOML.
    if (err instanceof RangeError) {
      throw new FreestandError(`${path} holds a string longer than freestand's TOML reader takes (about 100,000 characters) or values nested thousands deep.`);
    }
    const e = err as { message?: string; lineNumber?: number; column?: number };
    const where = e.lineNumber ? ` (line ${e.lineNumber}, column ${(e.column ?? 0) + 1})` : "";
    const why = (e.message ?? "syntax error").replace(/\.$/, "");
    throw new FreestandError(`${path} is not valid TOML: ${why}${where}.`);
  }
  return { path, text, ast, value };
}

/** Byte span of a TOML node (its range is in UTF-16 units). */
export function tomlSpan(doc: TomlDocument, node: { range: [number, number] }): Span {
  return { start: byteOffsetOf(doc.text, node.range[0]), end: byteOffsetOf(doc.text, node.range[1]) };
}

function keyNames(key: AST.TOMLKey): string[] {
  return key.keys.map((k) => (k.type === "TOMLBare" ? k.name : k.value));
}

function topLevel(doc: TomlDocument): AST.TOMLTopLevelTable | undefined {
  return doc.ast.body[0];
}

export function samePath(a: TomlKeyPath, b: TomlKeyPath): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Calls `visit` for every key/value pair with its full key path (through tables and inline tables). */
export function forEachEntry(doc: TomlDocument, visit: (path: (string | number)[], kv: AST.TOMLKeyValue) => void): void {
  const top = topLevel(doc);
  if (!top) return;
  const walkKv = (prefix: (string | number)[], kv: AST.TOMLKeyValue) => {
    const path = [...prefix, ...keyNames(kv.key)];
    visit(path, kv);
    if (kv.value.type === "TOMLInlineTable") for (const inner of kv.value.body) walkKv(path, inner);
  };
  for (const item of top.body) {
    if (item.type === "TOMLKeyValue") walkKv([], item);
    else for (const kv of item.body) walkKv(item.resolvedKey, kv);
  }
}

/** The key/value pair at exactly this path. */
export function findEntry(doc: TomlDocument, path: TomlKeyPath): AST.TOMLKeyValue | undefined {
  let found: AST.TOMLKeyValue | undefined;
  forEachEntry(doc, (p, kv) => {
    if (!found && samePath(p, path)) found = kv;
  });
  return found;
}

/** A `[table]` or `[[array.table]]` header with this resolved path (`["bin", 0]` for the first `[[bin]]`). */
export function findTable(doc: TomlDocument, path: TomlKeyPath): AST.TOMLTable | undefined {
  const top = topLevel(doc);
  if (!top) return undefined;
  for (const item of top.body) if (item.type === "TOMLTable" && samePath(item.resolvedKey, path)) return item;
  return undefined;
}

/** The value at a path in the plain value tree (no positions). */
export function valueAt(value: unknown, path: TomlKeyPath): unknown {
  let v: unknown = value;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** Formats a key for TOML: bare when it can be, quoted otherwise. */
export function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}
