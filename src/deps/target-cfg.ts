import { captureOk } from "../util/process.js";
import { parseRustcCfg } from "../toolchain/cfg.js";

export interface TargetCfg {
  target: string;
  names: Set<string>;
  pairs: Map<string, Set<string>>;
}

const cache = new Map<string, Promise<TargetCfg>>();

/**
 * The target's cfg as the compiler sees it. `rustc --print cfg --target T` works on stable for every built-in
 * target, even when that target's `core` is not installed, so the analysis needs no sysroot.
 */
export function targetCfg(target: string, rustc = process.env.RUSTC || "rustc"): Promise<TargetCfg> {
  const key = `${rustc}\0${target}`;
  let p = cache.get(key);
  if (!p) {
    p = captureOk(rustc, ["--print", "cfg", "--target", target], { timeout: 30_000 }).then((out) => ({
      target,
      ...parseRustcCfg(out),
    }));
    // A failure is not cached: the next call may run with a fixed environment.
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

/** The host triple from `rustc -vV`. */
export async function hostTarget(rustc = process.env.RUSTC || "rustc"): Promise<string> {
  const out = await captureOk(rustc, ["-vV"], { timeout: 30_000 });
  const m = /^host: (\S+)$/m.exec(out);
  if (!m) throw new Error(`\`${rustc} -vV\` printed no host line`);
  return m[1]!;
}
