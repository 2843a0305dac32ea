import { lineContaining } from "../util/lines.js";

/** Maps byte offsets of a UTF-8 text to 1-based lines and columns (columns count characters, as rustc's do). */
export interface Position {
  line: number;
  column: number;
}

export class LineIndex {
  private readonly bytes: Buffer;
  /** Byte offset at which each line starts. */
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.bytes = Buffer.from(text, "utf8");
    this.lineStarts = [0];
    for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] === 0x0a) this.lineStarts.push(i + 1);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(byteOffset: number): Position {
    const off = Math.max(0, Math.min(byteOffset, this.bytes.length));
    const lo = lineContaining(this.lineStarts, off);
    const lineStart = this.lineStarts[lo]!;
    const column = this.bytes.subarray(lineStart, off).toString("utf8").length + 1;
    return { line: lo + 1, column };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line];
    let end = next === undefined ? this.bytes.length : next - 1;
    if (end > start && this.bytes[end - 1] === 0x0d) end--;
    return this.bytes.subarray(start, end).toString("utf8");
  }
}
