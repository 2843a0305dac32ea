import type { Node, Tree } from "web-tree-sitter";
import type { Span } from "../diagnostics/types.js";
import { lineContaining } from "../util/lines.js";

/**
 * One Rust source file: its text, its syntax tree, and the conversion from the UTF-16 indices that
 * JavaScript strings, regular expressions and web-tree-sitter use to the UTF-8 byte offsets of Diagnostic spans.
 */
export class RustSource {
  /** UTF-8 byte offset of every UTF-16 index, built only for files that are not pure ASCII. */
  private byteOffsets: Uint32Array | null | undefined;
  private lineStartsCache: number[] | undefined;

  private parsed: Tree | undefined;

  /**
   * `parse` runs on first use of the tree: most files of a large crate are only ever searched as text (a rule's
   * regular expression finds nothing in them), so they are never parsed.
   */
  constructor(
    readonly path: string,
    readonly text: string,
    treeOrParse: Tree | ((text: string) => Tree),
  ) {
    if (typeof treeOrParse === "function") this.parse = treeOrParse;
    else this.parsed = treeOrParse;
  }

  private readonly parse: ((text: string) => Tree) | undefined;

  get tree(): Tree {
    if (!this.parsed) {
      if (!this.parse) throw new Error(`${this.path}: the tree was disposed and cannot be parsed again`);
      this.parsed = this.parse(this.text);
    }
    return this.parsed;
  }

  get isParsed(): boolean {
    return this.parsed !== undefined;
  }

  get root(): Node {
    return this.tree.rootNode;
  }

  /** Frees the tree's wasm memory (it is parsed again if needed). */
  dispose(): void {
    this.parsed?.delete();
    this.parsed = undefined;
  }

  /** Cheap text-only test: is this index after `//` on its line (a comment, most likely a doc comment)? */
  inLineComment(index: number): boolean {
    const start = this.text.lastIndexOf("\n", index - 1) + 1;
    const i = this.text.indexOf("//", start);
    return i !== -1 && i < index;
  }

  /** UTF-8 byte offset of a UTF-16 index. */
  byte(index: number): number {
    if (this.byteOffsets === undefined) {
      // eslint-disable-next-line no-control-regex
      this.byteOffsets = /^[\x00-\x7f]*$/.test(this.text) ? null : computeByteOffsets(this.text);
    }
    return this.byteOffsets === null ? index : this.byteOffsets[Math.min(index, this.text.length)]!;
  }

  span(node: Node): Span {
    return { start: this.byte(node.startIndex), end: this.byte(node.endIndex) };
  }

  spanOf(start: number, end: number): Span {
    return { start: this.byte(start), end: this.byte(end) };
  }

  /** The UTF-16 index where the line holding `index` starts. */
  lineStart(index: number): number {
    return this.text.lastIndexOf("\n", index - 1) + 1;
  }

  /** Whitespace at the start of the line holding `index`. */
  indentAt(index: number): string {
    const start = this.lineStart(index);
    return /^[ \t]*/.exec(this.text.slice(start, index))![0];
  }

  /** Line number (0-based) of a UTF-16 index. */
  lineOf(index: number): number {
    return lineContaining((this.lineStartsCache ??= lineStarts(this.text)), index);
  }

  lineText(line: number): string {
    const starts = (this.lineStartsCache ??= lineStarts(this.text));
    const s = starts[line];
    if (s === undefined) return "";
    const e = starts[line + 1];
    return this.text.slice(s, e === undefined ? this.text.length : e - 1);
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function computeByteOffsets(text: string): Uint32Array {
  const out = new Uint32Array(text.length + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    out[i] = b;
    const c = text.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      // A surrogate pair is one 4-byte character; the low half maps to the same offset.
      b += 4;
      i++;
      if (i < text.length) out[i] = b - 4;
    } else b += 3;
  }
  out[text.length] = b;
  return out;
}

/** Converts a UTF-16 index of a string to its UTF-8 byte offset (for texts that are not Rust sources: TOML). */
export function byteOffsetOf(text: string, index: number): number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return index;
  return Buffer.byteLength(text.slice(0, index), "utf8");
}

/**
 * Hides syntax tree-sitter-rust 0.24 does not know yet, without moving any offset: the edition-2024
 * `unsafe extern "C" { ... }` block and `safe fn` / `safe static` items inside it. Otherwise the grammar
 * produces an ERROR node and everything after it may be misread.
 */
export function maskUnknownSyntax(text: string): string {
  if (!text.includes("unsafe") && !text.includes("safe")) return text;
  return text
    .replace(/\bunsafe(?=\s+extern\s*(?:"[^"\n]*"\s*)?\{)/g, "      ")
    .replace(/(^|[;{}\]]\s*|\bpub(?:\([^)\n]*\))?\s+)safe(?=\s+(?:fn|static)\b)/gm, (_m, pre: string) => `${pre}    `);
}
