import { spawn, type ChildProcess } from "node:child_process";
import { x } from "tinyexec";
import { FreestandError } from "../errors.js";
import { firstMeaningfulLine } from "./tool-output.js";

export interface CaptureResult {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

export interface CaptureOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the process is killed. */
  timeout?: number;
  input?: string;
}

/**
 * Runs a program with an argument array (never a shell string) and collects its output.
 * A program that cannot be started becomes a FreestandError naming it.
 */
export async function capture(cmd: string, args: readonly string[], opts: CaptureOptions = {}): Promise<CaptureResult> {
  try {
    const proc = x(cmd, [...args], {
      timeout: opts.timeout ?? 120_000,
      throwOnError: false,
      // tinyexec would otherwise put node_modules/.bin and node's own directory (/usr/bin here) first on PATH,
      // so `rustc` would run Debian's compiler instead of the rustup proxy the user's PATH chooses.
      nodePath: false,
      nodeOptions: { cwd: opts.cwd, env: opts.env ?? process.env, stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] },
    });
    if (opts.input !== undefined) {
      proc.process?.stdin?.end(opts.input);
    }
    const out = await proc;
    return { stdout: out.stdout, stderr: out.stderr, exitCode: out.exitCode };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e?.code === "ENOENT") throw new FreestandError(`\`${cmd}\` was not found; is it installed and on PATH?`);
    throw err;
  }
}

/** Like capture, but a non-zero exit is an error whose message carries the program's stderr. */
export async function captureOk(cmd: string, args: readonly string[], opts: CaptureOptions = {}): Promise<string> {
  const r = await capture(cmd, args, opts);
  if (r.exitCode !== 0) {
    // The program's own error line, not the last lines (under RUST_BACKTRACE=1 rustup ends with a backtrace).
    const detail = firstMeaningfulLine(r.stderr) ?? r.stderr.trim().split("\n").slice(-3).join(" ");
    throw new FreestandError(`\`${cmd} ${args.join(" ")}\` failed (exit ${r.exitCode ?? "signal"})${detail ? `: ${detail}` : "."}`);
  }
  return r.stdout;
}

export interface StreamOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds; when it runs out the process group is killed and `timedOut` is set. */
  timeout?: number;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Pass the parent's stdin through (interactive programs); default: no stdin. */
  inheritStdin?: boolean;
  /** Aborting kills the process group and sets `stopped` (the caller saw enough, e.g. a build that cannot succeed). */
  signal?: AbortSignal;
}

export interface StreamResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  interrupted: boolean;
  /** Killed because `signal` was aborted. */
  stopped: boolean;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killTree(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    // Spawned detached, so the child leads its own process group: kill the whole group.
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Children never outlive freestand: not on normal exit, not on Ctrl-C.
  process.on("exit", () => {
    for (const c of live) killTree(c);
  });
}

/**
 * Runs a program, streaming its output through callbacks, with a timeout and Ctrl-C handling.
 * The child gets its own process group so that a timeout or Ctrl-C kills it and everything it started.
 */
export function stream(cmd: string, args: readonly string[], opts: StreamOptions = {}): Promise<StreamResult> {
  installExitHook();
  return new Promise((resolve, reject) => {
    let timedOut = false;
    let interrupted = false;
    let stopped = false;
    const child = spawn(cmd, [...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.inheritStdin ? "inherit" : "ignore", "pipe", "pipe"],
      detached: true,
    });
    live.add(child);
    const onSigint = () => {
      interrupted = true;
      killTree(child);
    };
    process.on("SIGINT", onSigint);
    process.on("SIGTERM", onSigint);
    const onAbort = () => {
      stopped = true;
      killTree(child);
    };
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener("abort", onAbort);
    const timer =
      opts.timeout && opts.timeout > 0
        ? setTimeout(() => {
            timedOut = true;
            killTree(child);
          }, opts.timeout)
        : undefined;
    child.stdout!.on("data", (c: Buffer) => opts.onStdout?.(c));
    child.stderr!.on("data", (c: Buffer) => opts.onStderr?.(c));
    const done = () => {
      if (timer) clearTimeout(timer);
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigint);
      opts.signal?.removeEventListener("abort", onAbort);
      live.delete(child);
    };
    child.on("error", (err: NodeJS.ErrnoException) => {
      done();
      if (err.code === "ENOENT") reject(new FreestandError(`\`${cmd}\` was not found; is it installed and on PATH?`));
      else if (err.code === "EACCES") reject(new FreestandError(`${cmd} is not executable.`));
      else reject(err);
    });
    child.on("close", (code, signal) => {
      done();
      resolve({ exitCode: code, signal, timedOut, interrupted, stopped });
    });
  });
}
