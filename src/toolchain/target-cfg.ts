import { promises as fsp } from "node:fs";
import { capture } from "../util/process.js";
import { firstMeaningfulLine } from "../util/tool-output.js";
import { parseRustcCfg } from "./cfg.js";

/** A target's cfg as the compiler prints it: names (`unix`) and key → values (`target_os` → `none`). */
export interface TargetCfg {
  names: Set<string>;
  pairs: Map<string, Set<string>>;
}

export { parseRustcCfg };

export type TargetCfgResult = { ok: true; cfg: TargetCfg } | { ok: false; problem: string };

const cache = new Map<string, Promise<TargetCfgResult>>();

/**
 * `rustc --print cfg --target T`: works on stable for every built-in target, even when its `core` is not
 * installed. A JSON target spec (an absolute path) is printed with `-Z unstable-options`, which stable rustc
 * accepts under RUSTC_BOOTSTRAP=1 — only to print, never to build. Memoised per compiler, target and spec file
 * version; a failure is not remembered. No target is the compiler's host (rustc's default when `--target` is not
 * given), asked without waiting to learn which triple that is.
 */
export function probeTargetCfg(opts: { rustc: string; target: string | undefined; cwd?: string; env?: NodeJS.ProcessEnv }): Promise<TargetCfgResult> {
  const env = opts.env ?? process.env;
  const run = async (): Promise<TargetCfgResult> => {
    const spec = opts.target?.endsWith(".json") ?? false;
    const stamp = spec ? await fsp.stat(opts.target!).then((s) => `${s.mtimeMs}:${s.size}`, () => "missing") : "";
    const key = [opts.rustc, opts.target ?? "(host)", stamp, env.RUSTUP_TOOLCHAIN ?? "", opts.cwd ?? ""].join("\0");
    let p = cache.get(key);
    if (!p) {
      const args = [...(spec ? ["-Z", "unstable-options"] : []), "--print", "cfg", ...(opts.target ? ["--target", opts.target] : [])];
      p = capture(opts.rustc, args, { cwd: opts.cwd, env: spec ? { ...env, RUSTC_BOOTSTRAP: "1" } : env, timeout: 30_000 }).then(
        (r): TargetCfgResult =>
          r.exitCode === 0 ? { ok: true, cfg: parseRustcCfg(r.stdout) } : { ok: false, problem: firstMeaningfulLine(r.stderr) ?? `rustc exited with ${r.exitCode ?? "a signal"}` },
        (err: unknown): TargetCfgResult => ({ ok: false, problem: err instanceof Error ? err.message : String(err) }),
      );
      cache.set(key, p);
      void p.then((r) => {
        if (!r.ok) cache.delete(key);
      });
    }
    return p;
  };
  return run();
}

export function cfgValue(cfg: TargetCfg | undefined, key: string): string | undefined {
  const v = cfg?.pairs.get(key);
  return v && v.size > 0 ? [...v][0] : undefined;
}
