import { StringDecoder } from "node:string_decoder";

/**
 * Cuts a stream of bytes into lines as they arrive (without the line break). Bytes are decoded as UTF-8 across
 * chunk boundaries (a character split between two chunks stays one). A line longer than `maxLine` characters is
 * cut: the callback gets its first `maxLine` characters and how many more there were.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private rest = "";
  private dropped = 0;

  constructor(
    private readonly onLine: (line: string, dropped: number) => void,
    private readonly maxLine = Number.POSITIVE_INFINITY,
  ) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      this.take(text.slice(start, nl));
      this.finish();
      start = nl + 1;
    }
    this.take(text.slice(start));
  }

  /** The input ended: a last line without a line break, if any. */
  end(): void {
    this.take(this.decoder.end());
    if (this.rest !== "" || this.dropped > 0) this.finish();
  }

  private take(piece: string): void {
    const room = this.maxLine - this.rest.length;
    if (piece.length <= room) this.rest += piece;
    else {
      this.rest += piece.slice(0, room);
      this.dropped += piece.length - room;
    }
  }

  private finish(): void {
    const line = this.rest;
    const dropped = this.dropped;
    this.rest = "";
    this.dropped = 0;
    this.onLine(line, dropped);
  }
}

/** The 0-based number of the line holding `offset`, given each line's start offset (ascending, the first 0). */
export function lineContaining(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
