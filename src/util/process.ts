import { spawn, type ChildProcess } from "node:child_process";
import { x } from "tinyexec";
import { FreestandError } from "../errors.js";
import { firstMeaningfulLine } from "./tool-output.js";

/** Whether a process with this pid exists (EPERM: it does, and belongs to someone else). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

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
 * Answers of programs kept until forgotten (the language server turns this on, and forgets them when a manifest,
 * cargo config or toolchain file changes): `cargo metadata`, `rustc -vV` and `rustc --print cfg` then run once per
 * configuration, not on every keystroke.
 */
let remembered: Map<string, Promise<CaptureResult>> | undefined;

/** What was computed from those answers (rememberedResult), kept and forgotten with them. */
let results: Map<string, Promise<unknown>> | undefined;

export function rememberCaptures(on: boolean): void {
  remembered = on ? new Map() : undefined;
  results = on ? new Map() : undefined;
}

export function forgetCaptures(): void {
  remembered?.clear();
  results?.clear();
}

/**
 * A result computed from programs' answers and files that only change when they do (the dependency analysis
 * from `cargo metadata` and the manifests): computed once while captures are remembered, else every time. A
 * failure is not kept, nor a result `keep` refuses.
 */
export function rememberedResult<T>(key: string, compute: () => Promise<T>, keep: (result: T) => boolean = () => true): Promise<T> {
  if (!results) return compute();
  let p = results.get(key) as Promise<T> | undefined;
  if (!p) {
    p = compute();
    results.set(key, p);
    p.then(
      (r) => {
        if (!keep(r)) results?.delete(key);
      },
      () => results?.delete(key),
    );
  }
  return p;
}

/**
 * Runs a program with an argument array (never a shell string) and collects its output.
 * A program that cannot be started becomes a FreestandError naming it.
 */
export async function capture(cmd: string, args: readonly string[], opts: CaptureOptions = {}): Promise<CaptureResult> {
  if (!remembered || opts.input !== undefined) return run(cmd, args, opts);
  const key = JSON.stringify([cmd, args, opts.cwd ?? null, opts.env ?? null]);
  let p = remembered.get(key);
  if (!p) {
    p = run(cmd, args, opts);
    remembered.set(key, p);
    // A program that could not start is asked again next time.
    p.catch(() => remembered?.delete(key));
  }
  return p;
}

async function run(cmd: string, args: readonly string[], opts: CaptureOptions): Promise<CaptureResult> {
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
  /** A promise returned means "wait": the child's output is paused until it settles (back-pressure). */
  onStdout?: (chunk: Buffer) => unknown;
  onStderr?: (chunk: Buffer) => unknown;
  /** Pass the parent's stdin through (interactive programs); default: no stdin. */
  inheritStdin?: boolean;
  /** Aborting kills the process group and sets `stopped` (the caller saw enough, e.g. a build that cannot succeed). */
  signal?: AbortSignal;
  /** Ctrl-C is not for this program (a debugger beside it interrupts the target with it); only SIGTERM/SIGHUP end it. */
  keepOnInterrupt?: boolean;
  /**
   * Start the program through this launcher (src/run/launcher.ts): it kills what the program leaves behind, also
   * processes in a session of their own, and everything when freestand dies.
   */
  launcher?: string;
}

export interface StreamResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  interrupted: boolean;
  /** Killed because `signal` was aborted. */
  stopped: boolean;
}

/** Children still running (or whose output is still open), and whether each runs under the launcher. */
const live = new Map<ChildProcess, { launched: boolean }>();
let exitHookInstalled = false;

/**
 * Kills a child and everything it started. Under the launcher: SIGTERM to the launcher, which kills its whole tree
 * (a SIGKILL would orphan the program instead). Otherwise SIGKILL to the child's process group — also after the
 * child itself has exited, since a process it left in the group may still hold the output open.
 */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  if (live.get(child)?.launched) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return;
  }
  try {
    // Spawned detached, so the child leads its own process group: kill the whole group.
    process.kill(-child.pid, "SIGKILL");
  } catch {
    try {
      if (child.exitCode === null) child.kill("SIGKILL");
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
    for (const c of live.keys()) killTree(c);
  });
}

/** A data handler that pauses the stream while the handler's promise is pending. */
function paced(readable: NodeJS.ReadableStream, handler: ((chunk: Buffer) => unknown) | undefined): (chunk: Buffer) => void {
  return (chunk) => {
    const wait = handler?.(chunk);
    if (!(wait instanceof Promise)) return;
    readable.pause();
    void wait.then(
      () => readable.resume(),
      () => readable.resume(),
    );
  };
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
    const env = opts.env ?? process.env;
    const child = spawn(opts.launcher ?? cmd, opts.launcher ? [cmd, ...args] : [...args], {
      cwd: opts.cwd,
      env: opts.launcher ? { ...env, FREESTAND_LAUNCH_PARENT: String(process.pid) } : env,
      stdio: [opts.inheritStdin ? "inherit" : "ignore", "pipe", "pipe"],
      detached: true,
    });
    live.set(child, { launched: opts.launcher !== undefined });
    const onSigint = () => {
      interrupted = true;
      killTree(child);
    };
    // SIGHUP (the terminal closed) ends the run as Ctrl-C does.
    const ending = opts.keepOnInterrupt ? (["SIGTERM", "SIGHUP"] as const) : (["SIGINT", "SIGTERM", "SIGHUP"] as const);
    for (const s of ending) process.on(s, onSigint);
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
    child.stdout!.on("data", paced(child.stdout!, opts.onStdout));
    child.stderr!.on("data", paced(child.stderr!, opts.onStderr));
    // The program ended: what it left in its group must not keep the output open (and the run waiting).
    child.on("exit", () => killTree(child));
    const done = () => {
      if (timer) clearTimeout(timer);
      for (const s of ending) process.off(s, onSigint);
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
