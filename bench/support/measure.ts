import { spawnSync } from "node:child_process";

export interface Timing {
  /** Median wall time in milliseconds. */
  median: number;
  min: number;
  runs: number;
}

/** Runs a command `runs` times (after one warm-up) and returns the median wall time. */
export function timeCommand(cmd: string, args: string[], opts: { runs?: number; cwd?: string; env?: NodeJS.ProcessEnv; before?: () => void } = {}): Timing {
  const runs = opts.runs ?? 15;
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    opts.before?.();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: "ignore" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}`);
    if (i > 0) samples.push(ms); // the first run warms caches
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, min: samples[0]!, runs };
}

/** Peak resident memory (KiB) and wall time of one run, from GNU time's -v report. */
export function peakMemory(cmd: string, args: string[], opts: { cwd?: string } = {}): { maxRssKiB: number; wallMs: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-v", cmd, ...args], { cwd: opts.cwd, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? "");
  if (!m) throw new Error(`could not measure ${cmd}: is /usr/bin/time (Debian package time) installed?`);
  return { maxRssKiB: Number(m[1]), wallMs };
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

export function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padEnd(widths[i] ?? 12)).join(" ");
}
