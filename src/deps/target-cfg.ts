import { captureOk } from "../util/process.js";
import { parseRustcCfg } from "../toolchain/cfg.js";
import type { TargetCfg as BaseTargetCfg } from "../toolchain/target-cfg.js";

/** The toolchain's TargetCfg, with the target it is of. */
export interface TargetCfg extends BaseTargetCfg {
  target: string;
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

