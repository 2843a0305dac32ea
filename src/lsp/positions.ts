/**
 * Byte offsets (what Diagnostic spans and TextEdits hold: UTF-8) to LSP positions (line and UTF-16 code unit,
 * LSP's default encoding) and back, for one text.
 */
import { lineContaining } from "../util/lines.js";

export interface Position {
  line: number;
  character: number;
}

export class PositionIndex {
  private readonly bytes: Buffer;
  /** Byte offset at which each line starts. */
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    this.bytes = Buffer.from(text, "utf8");
    for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] === 0x0a) this.starts.push(i + 1);
  }

  /** The position of a byte offset (clamped to the text; an offset inside a character counts from its start). */
  position(byteOffset: number): Position {
    const off = Math.max(0, Math.min(byteOffset, this.bytes.length));
    const line = lineContaining(this.starts, off);
    // UTF-16 length of the line's bytes up to the offset: decoding stops at whole characters.
    const character = this.bytes.subarray(this.starts[line]!, off).toString("utf8").length;
    return { line, character };
  }

  /** The byte offset of a position (a character past the line's end means its end, as LSP says). */
  offset(p: Position): number {
    if (p.line >= this.starts.length) return this.bytes.length;
    const start = this.starts[Math.max(0, p.line)]!;
    const end = p.line + 1 < this.starts.length ? this.starts[p.line + 1]! - 1 : this.bytes.length;
    const lineText = this.bytes.subarray(start, end).toString("utf8");
    const prefix = lineText.slice(0, Math.max(0, p.character));
    return start + Buffer.byteLength(prefix, "utf8");
  }
}
