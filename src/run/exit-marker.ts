/**
 * The console line a program ends with on a machine that has no device to hand QEMU an exit code (the
 * LoongArch `virt` board: templates/loongarch64-unknown-none/src/console.rs prints it, then powers off).
 */
export const EXIT_MARKER = "\u0001freestand-exit ";

/**
 * Passes console output through as it comes, holding back only what may be a marker line (`marker` then a value
 * `accept` matches), and takes that line out: `value` is the last one seen. Bytes are kept exactly (latin1 maps
 * each byte to one unit). A line that only starts alike is passed on, and held no longer than a marker can be.
 */
export class MarkerLineFilter {
  value: string | undefined;
  private pending = "";

  constructor(
    private readonly marker: string,
    private readonly accept: RegExp,
    private readonly maxLine = marker.length + 32,
  ) {}

  push(chunk: Buffer): Buffer {
    let text = this.pending + chunk.toString("latin1");
    this.pending = "";
    let out = "";
    for (;;) {
      const i = text.indexOf("\u0001");
      if (i < 0) {
        out += text;
        break;
      }
      out += text.slice(0, i);
      const rest = text.slice(i);
      const marker = this.marker;
      if (rest.length < marker.length ? !marker.startsWith(rest) : !rest.startsWith(marker)) {
        out += rest[0];
        text = rest.slice(1);
        continue;
      }
      const nl = rest.indexOf("\n");
      if (nl < 0) {
        if (rest.length > this.maxLine) out += rest;
        else this.pending = rest;
        break;
      }
      const value = rest.slice(marker.length, nl).replace(/\r$/, "");
      if (this.accept.test(value)) this.value = value;
      else out += rest.slice(0, nl + 1);
      text = rest.slice(nl + 1);
    }
    return Buffer.from(out, "latin1");
  }

  /** What was held back when the output ended (a line that never finished). */
  end(): Buffer {
    const rest = this.pending;
    this.pending = "";
    return Buffer.from(rest, "latin1");
  }
}

/** The exit-marker line's filter: `code` is the program's exit code once its line was seen. */
export class ExitMarkerFilter extends MarkerLineFilter {
  constructor() {
    super(EXIT_MARKER, /^-?\d+$/, EXIT_MARKER.length + 16);
  }

  get code(): number | undefined {
    return this.value === undefined ? undefined : Number(this.value);
  }
}
