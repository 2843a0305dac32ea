import path from "node:path";
import { promises as fsp } from "node:fs";
import { assertRegularIfPresent, readUtf8File } from "../util/fs.js";
import { describeError, FreestandError } from "../errors.js";
import { parseToml, tomlKey, valueAt, type TomlDocument, type TomlKeyPath } from "./toml.js";
import os from "node:os";
import { pushAll } from "../util/arrays.js";


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

/** The paths of a config file's `include` key: a string, a list of strings, or `[[include]]` tables with `path`. */
function includesOf(doc: TomlDocument): { file: string; optional: boolean }[] {
  const v = doc.value.include;
  const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
  const out: { file: string; optional: boolean }[] = [];
  for (const it of items) {
    const p = typeof it === "string" ? it : typeof (it as { path?: unknown })?.path === "string" ? (it as { path: string }).path : undefined;
    if (p) out.push({ file: path.resolve(path.dirname(doc.path), p), optional: (it as { optional?: unknown })?.optional === true });
  }
  return out;
}

/**
 * A `--config` value as cargo takes it: a path to a config file, or one `KEY=VALUE` setting in TOML syntax
 * (`build.target="thumbv7m-none-eabi"`), which reads as a document of its own named after the flag.
 */
async function commandLineConfig(value: string, cwd: string): Promise<TomlDocument> {
  const file = path.resolve(cwd, value);
  if (!value.includes("=") && (await fsp.stat(file).then((s) => s.isFile(), () => false))) {
    const doc = await readConfigFile(file);
    if (doc) return doc;
  }
  try {
    if (!/^[\w.\-"' ]+=/.test(value)) throw new Error("not KEY=VALUE");
    return parseToml(`--config ${value}`, value);
  } catch {
    throw new FreestandError(`--config takes a KEY=VALUE setting in TOML syntax (\`build.target="thumbv7m-none-eabi"\`) or the path of a config file, not \`${value}\`.`);
  }
}

/** Cargo's home: CARGO_HOME, else ~/.cargo (its config.toml is the last of the chain). */
export function cargoHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CARGO_HOME || path.join(env.HOME || os.homedir(), ".cargo");
}

/**
 * The cargo configuration for a build started in `dir`: `--config` values first (they win), then
 * `.cargo/config.toml` (or the legacy `.cargo/config`) in `dir` and every parent, closest first, then
 * `$CARGO_HOME/config.toml`; each file followed by the files it `include`s, which it overrides.
 */
export async function loadCargoConfig(dir: string, env: NodeJS.ProcessEnv = process.env, cli: readonly string[] = []): Promise<CargoConfig> {
  const files: TomlDocument[] = [];
  for (const value of cli) files.push(await commandLineConfig(value, dir));
  const seen = new Set<string>();
  const addWithIncludes = async (doc: TomlDocument, depth: number) => {
    files.push(doc);
    if (depth > 8) return;
    for (const inc of includesOf(doc)) {
      if (seen.has(inc.file)) continue;
      seen.add(inc.file);
      const included = await readConfigFile(inc.file);
      if (included) await addWithIncludes(included, depth + 1);
    }
  };
  const tryDir = async (d: string) => {
    for (const name of ["config.toml", "config"]) {
      const file = path.join(d, name);
      if (seen.has(file)) return;
      const doc = await readConfigFile(file);
      if (doc) {
        seen.add(file);
        await addWithIncludes(doc, 0);
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

/** A document that came from `--config KEY=VALUE`, not from a file. */
export function isCommandLineConfig(doc: TomlDocument): boolean {
  return doc.path.startsWith("--config ");
}

/** The closest setting of a key. */
export function configGet<T = unknown>(config: CargoConfig, keyPath: TomlKeyPath): ConfigValue<T> | undefined {
  for (const doc of config.files) {
    const v = valueAt(doc.value, keyPath);
    if (v !== undefined) return { value: v as T, doc, origin: doc.path };
  }
  return undefined;
}

/** The chosen target: a built-in triple, or a JSON spec (`value` is then its name, the file's stem). */
export interface ChosenTarget extends ConfigValue<string> {
  /** Absolute path of a JSON target spec. */
  spec?: string;
}

function chosen(raw: string, base: string, from: Omit<ConfigValue<string>, "value">): ChosenTarget {
  if (!raw.endsWith(".json")) return { ...from, value: raw };
  return { ...from, value: path.basename(raw, ".json"), spec: path.resolve(base, raw) };
}

/**
 * The target cargo builds for: `--target`, then CARGO_BUILD_TARGET, then `build.target` (first of a list). A JSON
 * spec given on the command line or in the environment is relative to the directory cargo runs in; in a config
 * file, to the directory holding its `.cargo/`.
 */
export function configuredTarget(config: CargoConfig, cliTarget?: string, cwd = process.cwd()): ChosenTarget | undefined {
  if (cliTarget) return chosen(cliTarget, cwd, { origin: "--target" });
  const envTarget = config.env.CARGO_BUILD_TARGET;
  if (envTarget) return chosen(envTarget, cwd, { origin: "CARGO_BUILD_TARGET" });
  const v = configGet<unknown>(config, ["build", "target"]);
  if (!v) return undefined;
  const t = Array.isArray(v.value) ? v.value[0] : v.value;
  if (typeof t !== "string") return undefined;
  const base = v.doc && !isCommandLineConfig(v.doc) ? path.dirname(path.dirname(v.doc.path)) : cwd;
  return chosen(t, base, { doc: v.doc, origin: v.origin });
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
  /** A `target.'cfg(..)'` table that may or may not apply: the target's cfg is not known. */
  uncertain?: boolean;
}

/** Decides whether a `cfg(...)` key of a `[target]` table applies: true, false, or unknown (undefined). */
export type CfgKeyTest = (key: string) => boolean | undefined;

/**
 * The rustflags cargo passes for a target, in cargo's order of precedence: CARGO_ENCODED_RUSTFLAGS, RUSTFLAGS,
 * every matching `target.<triple>.rustflags` / `target.'cfg(..)'.rustflags` (joined), then `build.rustflags`.
 * `cfg(...)` tables are decided by `cfgApplies` (the target's real cfg); without it, or when it cannot tell,
 * a table counts as matching and is marked `uncertain`.
 */
/**
 * Where cargo looks up a target's table: it splits `target.<triple>` at every dot, so `thumbv8m.main-none-eabihf`
 * is read from `[target.thumbv8m.main-none-eabihf]` (tables `thumbv8m` → `main-none-eabihf`), and a quoted
 * `[target."thumbv8m.main-none-eabihf"]` is silently ignored (measured with cargo 1.95; rust-lang/cargo#15901).
 */
export function targetTablePath(triple: string): string[] {
  return ["target", ...triple.split(".")];
}

/** `[target.<triple>]` as cargo reads it (targetTablePath), for a config file and for messages. */
export function targetTableHeader(triple: string): string {
  return targetTablePath(triple).map(tomlKey).join(".");
}

export function effectiveRustflags(config: CargoConfig, triple: string, cfgApplies?: CfgKeyTest): RustflagsSource[] {
  const env = config.env;
  if (env.CARGO_ENCODED_RUSTFLAGS !== undefined) return [{ flags: env.CARGO_ENCODED_RUSTFLAGS.split("\x1f").filter(Boolean), origin: "CARGO_ENCODED_RUSTFLAGS" }];
  if (env.RUSTFLAGS !== undefined) return [{ flags: splitFlags(env.RUSTFLAGS), origin: "RUSTFLAGS" }];
  const out: RustflagsSource[] = [];
  const envKey = `CARGO_TARGET_${triple.toUpperCase().replace(/[-.]/g, "_")}_RUSTFLAGS`;
  if (env[envKey] !== undefined) out.push({ flags: splitFlags(env[envKey]), origin: envKey });
  for (const doc of config.files) {
    const own = valueAt(doc.value, [...targetTablePath(triple), "rustflags"]);
    if (own !== undefined) out.push({ flags: splitFlags(own), origin: doc.path, doc, keyPath: [...targetTablePath(triple), "rustflags"] });
    const targets = valueAt(doc.value, ["target"]);
    if (!targets || typeof targets !== "object") continue;
    for (const [key, table] of Object.entries(targets as Record<string, unknown>)) {
      if (!key.startsWith("cfg(")) continue;
      const applies = cfgApplies?.(key);
      if (applies === false) continue;
      const flags = valueAt(table, ["rustflags"]);
      if (flags !== undefined) out.push({ flags: splitFlags(flags), origin: doc.path, doc, keyPath: ["target", key, "rustflags"], ...(applies === undefined ? { uncertain: true } : {}) });
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

/** `--cfg name` and `--cfg name="value"` among rustflags. */
export function cfgFlags(flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    if (f === "--cfg" && flags[i + 1] !== undefined) out.push(flags[++i]!);
    else if (f.startsWith("--cfg=")) out.push(f.slice(6));
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
    if (m) pushAll(out, m[1]!.split(/\s+/).filter(Boolean));
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

/**
 * cargo and rustup block forever on a FIFO where they read a manifest or their configuration (and freestand would
 * wait for them), so every such file on the way up from `dir`, and in CARGO_HOME, must be a regular file first.
 */
export async function assertRegularCargoFiles(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const names = ["Cargo.toml", ".cargo/config.toml", ".cargo/config", "rust-toolchain.toml", "rust-toolchain"];
  const candidates: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    for (const n of names) candidates.push(path.join(d, n));
    if (path.dirname(d) === d) break;
  }
  const home = path.resolve(cargoHome(env));
  candidates.push(path.join(home, "config.toml"), path.join(home, "config"));
  // Side by side (this stands before every cargo run), the first problem in the order cargo would read them.
  const results = await Promise.allSettled(candidates.map((file) => assertRegularIfPresent(file)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
