import { stream } from "../util/process.js";
import { launcher } from "./launcher.js";
import type { RunOptions, RunResult } from "./types.js";

/** Runs a host-flavour freestanding binary directly: the Linux kernel is its only runtime. */
export async function runHost(elf: string, opts: RunOptions): Promise<RunResult> {
  const r = await stream(elf, opts.args ?? [], {
    timeout: opts.timeoutMs,
    onStdout: opts.onStdout,
    onStderr: opts.onStderr,
    inheritStdin: opts.inheritStdin,
    launcher: await launcher(),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const killed = r.timedOut || r.interrupted || r.stopped;
  return {
    exitCode: killed ? null : (r.exitCode ?? null),
    signal: killed ? null : r.signal,
    timedOut: r.timedOut,
    interrupted: r.interrupted,
    ...(r.stopped ? { stopped: true } : {}),
  };
}
