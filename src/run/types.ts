export interface RunOptions {
  /** Milliseconds before the program (or QEMU) is killed. */
  timeoutMs: number;
  /** Arguments for the program (host flavour only). */
  args?: string[];
  /** A promise returned pauses the program's output until it settles (a slow reader slows the program). */
  onStdout?: (chunk: Buffer) => void | Promise<unknown>;
  onStderr?: (chunk: Buffer) => void | Promise<unknown>;
  /** Give the program the terminal's stdin. */
  inheritStdin?: boolean;
  /** Aborting it stops the program (the result then says `stopped`). */
  signal?: AbortSignal;
  /** QEMU starts halted, its gdbstub listening on this port of 127.0.0.1, until a debugger attaches and continues. */
  gdbPort?: number;
  /** Ctrl-C belongs to the debugger beside the program (it interrupts the target), not to the run. */
  keepOnInterrupt?: boolean;
  /**
   * `run --stack`: this stack region is filled (through QEMU's gdbstub, before the program starts) and the
   * program's stack line (src/run/stack.ts) is taken out of its output and reported.
   */
  stackRegion?: { bottom: bigint; top: bigint };
  /** With `stackRegion`: leave the program's stack lines in its output (`freestand test --stack` reads one per test). */
  keepStackLines?: boolean;
}

export interface RunResult {
  /** The program's (or the guest's) own exit code; null when it was killed. */
  exitCode: number | null;
  /** The signal that ended the program, if one did (host flavour). */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  interrupted: boolean;
  /** Stopped through `signal`. */
  stopped?: boolean;
  /** `measureStack`: the bytes of the stack region the program used, of its size (absent: it never reported). */
  stack?: { used: number; size: number };
}
