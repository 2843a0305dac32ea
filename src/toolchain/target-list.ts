import { capture } from "../util/process.js";
import { findRustc } from "./rustc.js";

/**
 * Every triple the compiler cargo would use knows (`rustc --print target-list`), for "did you mean" and for the
 * commands that accept any triple where the catalogue is not needed. Empty when no compiler answers.
 */
export async function rustcTargetList(opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string[]> {
  const rustc = await findRustc(opts).catch(() => undefined);
  if (!rustc) return [];
  const r = await capture(rustc.path, ["--print", "target-list"], { cwd: opts.cwd, env: opts.env, timeout: 30_000 }).catch(() => undefined);
  if (!r || r.exitCode !== 0) return [];
  return r.stdout.split("\n").map((s) => s.trim()).filter(Boolean);
}
