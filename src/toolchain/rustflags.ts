import { effectiveRustflags, loadCargoConfig } from "../cargo/config.js";
import { valueAt } from "../cargo/toml.js";
import { evalCfg, parseCfg } from "./cfg.js";
import { probeTargetCfg, type TargetCfg } from "./target-cfg.js";

/**
 * Adding `--sysroot` to a crate's rustflags without losing the crate's own flags. Cargo takes rustflags from the
 * FIRST of: CARGO_ENCODED_RUSTFLAGS, RUSTFLAGS, the target's rustflags (target.<triple> plus every matching
 * target.'cfg(..)', from files and CARGO_TARGET_<T>_RUSTFLAGS), build.rustflags. So the flag must be added to
 * the source cargo will actually use. Cargo merges CARGO_TARGET_<T>_RUSTFLAGS / CARGO_BUILD_RUSTFLAGS from the
 * environment with the config files' values (string or array alike, measured with cargo 1.95), which is why the
 * flag travels in the environment rather than a `--config` argument (that one fails to merge with a string value).
 */

function envKey(triple: string): string {
  return `CARGO_TARGET_${triple.toUpperCase().replace(/[-.]/g, "_")}_RUSTFLAGS`;
}

/**
 * Does a cargo `[target.'cfg(…)']` key hold for the target? Evaluated by toolchain/cfg.ts against rustc's cfg
 * (no features: target keys cannot name them); a key that does not parse does not hold, as for cargo.
 */
export function targetKeyHolds(key: string, cfg: TargetCfg): boolean {
  const m = /^\s*cfg\s*\((.*)\)\s*$/s.exec(key);
  const e = m ? parseCfg(m[1]!) : undefined;
  return e !== undefined && evalCfg(e, { features: new Set(), targetNames: cfg.names, targetPairs: cfg.pairs }) === true;
}

export interface RustflagsAddition {
  env: Record<string, string>;
  args: string[];
  /** Which rustflags source carried the flags, for notes and tests. */
  via: "CARGO_ENCODED_RUSTFLAGS" | "target" | "build";
}

/**
 * The environment (or, for a path with spaces, `--config` arguments) that adds `flags` to the rustflags cargo
 * will use for `triple` when run in `cwd`, keeping the crate's own rustflags.
 */
export async function addTargetRustflags(opts: {
  cwd: string;
  triple: string;
  flags: string[];
  rustc: string;
  env?: NodeJS.ProcessEnv;
}): Promise<RustflagsAddition> {
  const env = opts.env ?? process.env;
  const { flags, triple } = opts;
  // Either variable replaces every config file; the encoded one wins and keeps arguments with spaces intact.
  if (env.CARGO_ENCODED_RUSTFLAGS !== undefined || env.RUSTFLAGS !== undefined) {
    const existing =
      env.CARGO_ENCODED_RUSTFLAGS !== undefined
        ? env.CARGO_ENCODED_RUSTFLAGS.split("\x1f").filter(Boolean)
        : (env.RUSTFLAGS ?? "").split(" ").map((s) => s.trim()).filter(Boolean);
    return { env: { CARGO_ENCODED_RUSTFLAGS: [...existing, ...flags].join("\x1f") }, args: [], via: "CARGO_ENCODED_RUSTFLAGS" };
  }
  const key = envKey(triple);
  // Which source cargo will read, by cargo's own precedence (cargo/config.ts): the flags go into that one. A
  // `cfg(..)` table is decided by the target's real cfg; when rustc cannot say, it does not count.
  const config = await loadCargoConfig(opts.cwd, env);
  const hasCfgKey = config.files.some((doc) => Object.keys((valueAt(doc.value, ["target"]) as Record<string, unknown> | undefined) ?? {}).some((k) => k.startsWith("cfg(")));
  const probed = hasCfgKey ? await probeTargetCfg({ rustc: opts.rustc, target: triple, cwd: opts.cwd, env }) : undefined;
  const cfgApplies = (k: string) => (probed?.ok ? targetKeyHolds(k, probed.cfg) : false);
  const targetApplies = effectiveRustflags(config, triple, cfgApplies).some((src) => src.origin === key || src.keyPath?.[0] === "target");
  const via = targetApplies ? "target" : "build";
  if (flags.some((f) => /\s/.test(f))) {
    // Environment lists are split on whitespace; a TOML array keeps such a path whole.
    const table = via === "target" ? `target.${JSON.stringify(triple)}` : "build";
    return { env: {}, args: ["--config", `${table}.rustflags=${JSON.stringify(flags)}`], via };
  }
  const name = via === "target" ? key : "CARGO_BUILD_RUSTFLAGS";
  const before = env[name]?.trim();
  return { env: { [name]: [before, ...flags].filter(Boolean).join(" ") }, args: [], via };
}
