/**
 * Progress for long work (cargo, sysroot builds, QEMU): a spinner with the latest status on a terminal,
 * plain lines otherwise (logs and CI keep every line). Output printed through `log` appears above the spinner.
 */
import { stripVTControlCharacters } from "node:util";

export interface Progress {
  /** The current status (e.g. cargo's "Compiling foo v0.1.0"). */
  status(text: string): void;
  /** A line that must stay visible. */
  log(text: string): void;
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function createProgress(stream: NodeJS.WriteStream = process.stderr, opts: { interactive?: boolean } = {}): Progress {
  const interactive = opts.interactive ?? Boolean(stream.isTTY);
  if (!interactive) {
    return {
      status: (text) => stream.write(text.endsWith("\n") ? text : text + "\n"),
      log: (text) => stream.write(text.endsWith("\n") ? text : text + "\n"),
      stop: () => {},
    };
  }
  let current = "";
  let frame = 0;
  let shown = false;
  const columns = () => Math.max(20, (stream.columns || 80) - 4);
  const clear = () => {
    if (shown) stream.write("\r\x1b[K");
    shown = false;
  };
  const draw = () => {
    if (!current) return;
    clear();
    // Status lines may carry colour codes; cut by visible width would need parsing, so strip them here.
    const plain = stripVTControlCharacters(current).trim();
    stream.write(`${FRAMES[frame % FRAMES.length]} ${plain.slice(0, columns())}`);
    shown = true;
  };
  const timer = setInterval(() => {
    frame++;
    draw();
  }, 80);
  timer.unref();
  return {
    status(text) {
      current = text;
      draw();
    },
    log(text) {
      clear();
      stream.write(text.endsWith("\n") ? text : text + "\n");
      draw();
    },
    stop() {
      clearInterval(timer);
      clear();
    },
  };
}
