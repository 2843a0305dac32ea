export interface RunOptions {
  /** Milliseconds before the program (or QEMU) is killed. */
  timeoutMs: number;
  /** Arguments for the program (host flavour only). */
  args?: string[];
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Give the program the terminal's stdin. */
  inheritStdin?: boolean;
}

export interface RunResult {
  /** The program's (or the guest's) own exit code; null when it was killed. */
  exitCode: number | null;
  /** The signal that ended the program, if one did (host flavour). */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  interrupted: boolean;
}
