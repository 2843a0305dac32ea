/**
 * The console line a program ends with on a machine that has no device to hand QEMU an exit code (the
 * LoongArch `virt` board: templates/loongarch64-unknown-none/src/console.rs prints it, then powers off).
 */
export const EXIT_MARKER = "\u0001freestand-exit ";

/** A marker longer than this is not one (a line that only starts alike is passed on, not held forever). */
const MAX_MARKER_LINE = EXIT_MARKER.length + 16;

/**
 * Passes console output through as it comes, holding back only what may be the exit-marker line, and takes that
 * line out: `code` is its exit code once seen. Bytes are kept exactly (latin1 maps each byte to one unit).
 */
export class ExitMarkerFilter {
  code: number | undefined;
  private pending = "";

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
      if (rest.length < EXIT_MARKER.length ? !EXIT_MARKER.startsWith(rest) : !rest.startsWith(EXIT_MARKER)) {
        out += rest[0];
        text = rest.slice(1);
        continue;
      }
      const nl = rest.indexOf("\n");
      if (nl < 0) {
        if (rest.length > MAX_MARKER_LINE) out += rest;
        else this.pending = rest;
        break;
      }
      const value = rest.slice(EXIT_MARKER.length, nl).replace(/\r$/, "");
      if (/^-?\d+$/.test(value)) this.code = Number(value);
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
