import { loadCargoConfig } from "../cargo/config.js";
import { valueAt } from "../cargo/toml.js";
import { capture } from "../util/process.js";

/**
 * Adding `--sysroot` to a crate's rustflags without losing the crate's own flags. Cargo takes rustflags from the
 * FIRST of: CARGO_ENCODED_RUSTFLAGS, RUSTFLAGS, the target's rustflags (target.<triple> plus every matching
 * target.'cfg(..)', from files and CARGO_TARGET_<T>_RUSTFLAGS), build.rustflags. So the flag must be added to
 * the source cargo will actually use. Cargo merges CARGO_TARGET_<T>_RUSTFLAGS / CARGO_BUILD_RUSTFLAGS from the
 * environment with the config files' values (string or array alike, measured with cargo 1.95), which is why the
 * flag travels in the environment rather than a `--config` argument (that one fails to merge with a string value).
 */

/** The `target` tables of every cargo config file that applies to a build run in `cwd`, nearest first. */
async function configTargetTables(cwd: string, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>[]> {
  const config = await loadCargoConfig(cwd, env);
  return config.files
    .map((doc) => valueAt(doc.value, ["target"]))
    .filter((t): t is Record<string, unknown> => Boolean(t) && typeof t === "object");
}

function envKey(triple: string): string {
  return `CARGO_TARGET_${triple.toUpperCase().replace(/[-.]/g, "_")}_RUSTFLAGS`;
}

/** `rustc --print cfg --target T` as a set of `name` and `name="value"` strings. */
async function targetCfg(rustc: string, triple: string, cwd: string): Promise<Set<string>> {
  const r = await capture(rustc, ["--print", "cfg", "--target", triple], { cwd, timeout: 30_000 });
  return new Set(r.stdout.split("\n").map((l) => l.trim()).filter(Boolean));
}

/** Evaluates a cargo `cfg(...)` target key (all/any/not, `name`, `name = "value"`) against rustc's cfg set. */
export function evalCfg(spec: string, cfg: Set<string>): boolean {
  const m = /^\s*cfg\s*\((.*)\)\s*$/s.exec(spec);
  if (!m) return false;
  const src = m[1];
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const ident = () => {
    ws();
    const r = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (!r) throw new Error("bad cfg");
    i += r[0].length;
    return r[0];
  };
  const expr = (): boolean => {
    const name = ident();
    ws();
    if (src[i] === "(" && (name === "all" || name === "any" || name === "not")) {
      i++;
      const vals: boolean[] = [];
      ws();
      while (src[i] !== ")") {
        vals.push(expr());
        ws();
        if (src[i] === ",") i++;
        ws();
        if (i >= src.length) throw new Error("bad cfg");
      }
      i++;
      if (name === "all") return vals.every(Boolean);
      if (name === "any") return vals.some(Boolean);
      return !vals[0];
    }
    if (src[i] === "=") {
      i++;
      ws();
      const s = /^"([^"]*)"/.exec(src.slice(i));
      if (!s) throw new Error("bad cfg");
      i += s[0].length;
      return cfg.has(`${name}="${s[1]}"`);
    }
    return cfg.has(name);
  };
  try {
    const v = expr();
    ws();
    return i === src.length ? v : false;
  } catch {
    return false;
  }
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
  let targetApplies = env[key] !== undefined;
  if (!targetApplies) {
    const tables = await configTargetTables(opts.cwd, env);
    const hasRustflags = (v: unknown) => Boolean(v && typeof v === "object" && "rustflags" in (v as object));
    targetApplies = tables.some((t) => hasRustflags(t[triple]));
    const cfgKeys = tables.flatMap((t) => Object.keys(t).filter((k) => k.startsWith("cfg(") && hasRustflags(t[k])));
    if (!targetApplies && cfgKeys.length) {
      const cfg = await targetCfg(opts.rustc, triple, opts.cwd);
      targetApplies = cfgKeys.some((k) => evalCfg(k, cfg));
    }
  }
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
