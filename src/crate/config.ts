import path from "node:path";
import { promises as fsp } from "node:fs";
import { readUtf8File } from "../util/fs.js";
import { describeError, FreestandError } from "../errors.js";
import { parseToml, valueAt, type TomlDocument, type TomlKeyPath } from "./toml.js";
import { cargoHome } from "../toolchain/rustc.js";

export { cargoHome };

/**
 * The cargo configuration as cargo reads it for a build started in `dir`: `.cargo/config.toml` (or the legacy
 * `.cargo/config`) in `dir` and every parent, closest first, then `$CARGO_HOME/config.toml`. A key set in a
 * closer file wins; arrays such as rustflags are joined, as cargo does.
 */
export interface CargoConfig {
  /** Closest first. */
  files: TomlDocument[];
  env: NodeJS.ProcessEnv;
}

export interface ConfigValue<T = unknown> {
  value: T;
  /** The file that set it; undefined when it came from an environment variable or the command line. */
  doc?: TomlDocument;
  /** Where it came from, for messages: a path or `CARGO_BUILD_TARGET`. */
  origin: string;
}

async function readConfigFile(file: string): Promise<TomlDocument | undefined> {
  let text: string;
  try {
    text = await readUtf8File(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    if (err instanceof FreestandError) throw err;
    throw new FreestandError(describeError(err));
  }
  return parseToml(file, text);
}

export async function loadCargoConfig(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<CargoConfig> {
  const files: TomlDocument[] = [];
  const seen = new Set<string>();
  const tryDir = async (d: string) => {
    for (const name of ["config.toml", "config"]) {
      const file = path.join(d, name);
      if (seen.has(file)) continue;
      const doc = await readConfigFile(file);
      if (doc) {
        seen.add(file);
        files.push(doc);
        return; // cargo prefers config.toml and warns when both exist; the first one found is the one used.
      }
    }
  };
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    await tryDir(path.join(d, ".cargo"));
    if (path.dirname(d) === d) break;
  }
  const home = cargoHome(env);
  if (!files.some((f) => path.dirname(f.path) === path.resolve(home))) await tryDir(home);
  return { files, env };
}

/** The closest setting of a key. */
export function configGet<T = unknown>(config: CargoConfig, keyPath: TomlKeyPath): ConfigValue<T> | undefined {
  for (const doc of config.files) {
    const v = valueAt(doc.value, keyPath);
    if (v !== undefined) return { value: v as T, doc, origin: doc.path };
  }
  return undefined;
}

/** The target cargo builds for: `--target`, then CARGO_BUILD_TARGET, then `build.target` (first of a list). */
export function configuredTarget(config: CargoConfig, cliTarget?: string): ConfigValue<string> | undefined {
  if (cliTarget) return { value: cliTarget, origin: "--target" };
  const envTarget = config.env.CARGO_BUILD_TARGET;
  if (envTarget) return { value: envTarget, origin: "CARGO_BUILD_TARGET" };
  const v = configGet<unknown>(config, ["build", "target"]);
  if (!v) return undefined;
  const t = Array.isArray(v.value) ? v.value[0] : v.value;
  if (typeof t !== "string") return undefined;
  // A target given as a path to a JSON spec names the target after the file.
  const triple = t.endsWith(".json") ? path.basename(t, ".json") : t;
  return { value: triple, doc: v.doc, origin: v.origin };
}

function splitFlags(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  if (typeof v === "string") return v.split(/\s+/).filter(Boolean);
  return [];
}

export interface RustflagsSource {
  flags: string[];
  origin: string;
  doc?: TomlDocument;
  keyPath?: TomlKeyPath;
}

/**
 * The rustflags cargo passes for a target, in cargo's order of precedence: CARGO_ENCODED_RUSTFLAGS, RUSTFLAGS,
 * every matching `target.<triple>.rustflags` / `target.'cfg(..)'.rustflags` (joined), then `build.rustflags`.
 * `cfg(...)` tables are counted as matching: guessing wrong would only hide a finding, never invent one.
 */
export function effectiveRustflags(config: CargoConfig, triple: string): RustflagsSource[] {
  const env = config.env;
  if (env.CARGO_ENCODED_RUSTFLAGS !== undefined) return [{ flags: env.CARGO_ENCODED_RUSTFLAGS.split("\x1f").filter(Boolean), origin: "CARGO_ENCODED_RUSTFLAGS" }];
  if (env.RUSTFLAGS !== undefined) return [{ flags: splitFlags(env.RUSTFLAGS), origin: "RUSTFLAGS" }];
  const out: RustflagsSource[] = [];
  const envKey = `CARGO_TARGET_${triple.toUpperCase().replace(/[-.]/g, "_")}_RUSTFLAGS`;
  if (env[envKey] !== undefined) out.push({ flags: splitFlags(env[envKey]), origin: envKey });
  for (const doc of config.files) {
    const targets = valueAt(doc.value, ["target"]);
    if (!targets || typeof targets !== "object") continue;
    for (const [key, table] of Object.entries(targets as Record<string, unknown>)) {
      if (key !== triple && !key.startsWith("cfg(")) continue;
      const flags = valueAt(table, ["rustflags"]);
      if (flags !== undefined) out.push({ flags: splitFlags(flags), origin: doc.path, doc, keyPath: ["target", key, "rustflags"] });
    }
  }
  if (out.length > 0) return out;
  if (env.CARGO_BUILD_RUSTFLAGS !== undefined) return [{ flags: splitFlags(env.CARGO_BUILD_RUSTFLAGS), origin: "CARGO_BUILD_RUSTFLAGS" }];
  for (const doc of config.files) {
    const flags = valueAt(doc.value, ["build", "rustflags"]);
    if (flags !== undefined) out.push({ flags: splitFlags(flags), origin: doc.path, doc, keyPath: ["build", "rustflags"] });
  }
  return out;
}

/** `-C link-arg=X`, `-Clink-arg=X`, `-C link-args=X Y` and `-Zpre-link-arg` forms, flattened to the linker arguments. */
export function linkArgs(flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    let f = flags[i]!;
    if (f === "-C" || f === "-Z") f = f + (flags[++i] ?? "");
    const m = /^-[CZ](?:pre-)?link-args?=(.*)$/s.exec(f);
    if (m) out.push(...m[1]!.split(/\s+/).filter(Boolean));
  }
  return out;
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isDirectory();
  } catch {
    return false;
  }
}
