import { FreestandError } from "../errors.js";
import { isExecutable } from "../util/fs.js";
import { cachedEntriesFor, checkEntry, defaultSysrootRoot, rustcFingerprint, sysrootDirFor, type SysrootManifest } from "./cache.js";
import { hasCore } from "./installed.js";
import { findCargo, findRustc, parseRustcVerbose, probeRustc } from "./rustc.js";
import { addTargetRustflags } from "./rustflags.js";
import type { CargoInvocation, CoreSource, RustcInfo } from "./types.js";

export interface CargoInvocationOptions {
  /** The crate's directory: cargo runs there, and rustup reads its rust-toolchain.toml from there. */
  crateDir: string;
  /** The rustc target triple to build for. */
  triple: string;
  /** Flags to add to the rustflags cargo will use, merged the same way as `--sysroot` (e.g. `-W linker-messages`). */
  rustflags?: string[];
  /** The environment cargo will run in (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where cached sysroots live (default: FREESTAND_SYSROOT_DIR or the XDG cache). */
  sysrootRoot?: string;
  /** The crate's own rustflags pass `--sysroot`: cargo then runs as the user set it up, with no sysroot of ours. */
  sysrootGiven?: boolean;
}

export function describeRustc(r: RustcInfo): string {
  const where = r.rustupToolchain ? `rustup toolchain ${r.rustupToolchain}` : r.path;
  return `rustc ${r.release} (${where})`;
}

/**
 * Where `core` for `triple` comes from, for the compiler cargo would use in `crateDir`: the compiler's own
 * sysroot (rustup's rust-std), a sysroot freestand built for that same compiler, or a sysroot built for another
 * compiler on this machine (Debian's rustc-web), which the build then runs through RUSTC.
 */
export async function locateCore(opts: CargoInvocationOptions): Promise<{ rustc: RustcInfo; source: CoreSource; discovered: RustcInfo }> {
  const env = opts.env ?? process.env;
  const rustc = await findRustc({ cwd: opts.crateDir, env });
  if (await hasCore(rustc.sysroot, opts.triple)) {
    return { rustc, discovered: rustc, source: { kind: "prebuilt", dir: rustc.sysroot } };
  }
  const root = opts.sysrootRoot ?? defaultSysrootRoot(env);
  const own = sysrootDirFor(rustc, root);
  if ((await checkEntry(own, opts.triple, rustc, "quick")).ok) {
    return { rustc, discovered: rustc, source: { kind: "cached-sysroot", sysroot: own, rustc } };
  }
  for (const entry of await cachedEntriesFor(root, opts.triple)) {
    if (entry.sysroot === own || !(await isExecutable(entry.manifest.rustc.path))) continue;
    const other = await rustcOfEntry(entry.manifest, opts.crateDir, env);
    if ((await checkEntry(entry.sysroot, opts.triple, other, "quick")).ok) {
      return { rustc: other, discovered: rustc, source: { kind: "cached-sysroot", sysroot: entry.sysroot, rustc: other } };
    }
  }
  return { rustc, discovered: rustc, source: { kind: "missing" } };
}

/**
 * The compiler that built a cache entry. Each build asks this, so while the binary is unchanged (same real
 * path, size and mtime as recorded) the manifest is trusted instead of running the compiler twice more.
 */
async function rustcOfEntry(m: SysrootManifest, cwd: string, env: NodeJS.ProcessEnv): Promise<RustcInfo> {
  const r = m.rustc;
  if (r.fingerprint && r.sysroot && r.host && (await rustcFingerprint(r.path)) === r.fingerprint) {
    return { ...parseRustcVerbose(r.verbose), path: r.path, origin: "cache", sysroot: r.sysroot };
  }
  return probeRustc(r.path, "cache", { cwd, env });
}

/** The command that gets a `core` for the target, for messages and `doctor`. */
export function coreFixCommand(triple: string): string {
  // Works offline and without rustup; `rustup target add` is the alternative named beside it when it applies.
  return `freestand sysroot --target ${triple}`;
}

export function rustupAlternative(triple: string, rustc: RustcInfo): string {
  return rustc.rustupToolchain ? ` (or, with network access, \`rustup target add ${triple}\`)` : "";
}

/**
 * Everything needed to run cargo for `triple` in `crateDir`. When the compiler has a prebuilt `core` for the
 * target (always the case for the host triple), that is plain `cargo` with nothing added. Otherwise a cached
 * sysroot is passed with `--sysroot` through the rustflags source cargo will use, and RUSTC when that sysroot
 * belongs to another compiler. Throws a FreestandError naming the fixing command when there is no `core`.
 */
export async function cargoInvocation(opts: CargoInvocationOptions): Promise<CargoInvocation> {
  const env = opts.env ?? process.env;
  const cargo = await findCargo(env);
  if (!cargo) {
    throw new FreestandError("cargo was not found on PATH: install Rust with rustup (https://rustup.rs) or `apt-get install cargo-web`.");
  }
  const extra = opts.rustflags ?? [];
  if (opts.sysrootGiven) {
    const rustc = await findRustc({ cwd: opts.crateDir, env });
    const added = extra.length ? await addTargetRustflags({ cwd: opts.crateDir, triple: opts.triple, flags: extra, rustc: rustc.path, env }) : { env: {}, args: [] };
    return { cargo, env: added.env, args: added.args, notes: [], rustc };
  }
  const { rustc, discovered, source } = await locateCore(opts);
  if (source.kind === "prebuilt") {
    if (extra.length === 0) return { cargo, env: {}, args: [], notes: [], rustc };
    const added = await addTargetRustflags({ cwd: opts.crateDir, triple: opts.triple, flags: extra, rustc: rustc.path, env });
    return { cargo, env: added.env, args: added.args, notes: [], rustc };
  }
  if (source.kind === "missing") {
    throw new FreestandError(
      `${describeRustc(discovered)} has no \`core\` for ${opts.triple} and no built sysroot is cached; run \`${coreFixCommand(opts.triple)}\`${rustupAlternative(opts.triple, discovered)}.`,
    );
  }
  const flags = await addTargetRustflags({ cwd: opts.crateDir, triple: opts.triple, flags: ["--sysroot", source.sysroot, ...extra], rustc: rustc.path, env });
  const extraEnv: Record<string, string> = { ...flags.env };
  const notes: string[] = [];
  if (rustc !== discovered) {
    extraEnv.RUSTC = rustc.path;
    notes.push(`${describeRustc(discovered)} has no \`core\` for ${opts.triple}; building with ${describeRustc(rustc)}, which has one built from source.`);
  }
  notes.push(`using the sysroot built from source at ${source.sysroot}.`);
  return { cargo, env: extraEnv, args: flags.args, notes, rustc, sysroot: source.sysroot };
}

/** A word of a shell command line, quoted only when it must be. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Whether plain `cargo build` works for the target here, and if not, the one command line that does what freestand does. */
export interface PlainCargo {
  works: boolean;
  /** Why plain cargo stops (the compiler it runs has no `core` for the target). */
  why?: string;
  /** The command line that builds like `freestand build` (RUSTC and the sysroot flag), when a sysroot exists. */
  command?: string;
  /** The same as data: the environment and the arguments after `cargo build`. */
  env?: Record<string, string>;
  args?: string[];
  /** With rustup: the command that installs the target's `core` for the compiler plain cargo runs (needs the network). */
  rustup?: string;
  /** When there is no `core` anywhere: the command that builds one. */
  sysroot?: string;
}

/**
 * Plain `cargo build` runs the compiler rustup (or PATH) chooses, with nothing added: it stops at E0463 when that
 * compiler has no `core` for the target, even where `freestand build` works through a sysroot it built.
 */
export async function plainCargo(opts: { crateDir: string; triple: string; env?: NodeJS.ProcessEnv; sysrootRoot?: string }): Promise<PlainCargo> {
  const { rustc, discovered, source } = await locateCore(opts);
  if (source.kind === "prebuilt") return { works: true };
  const why = `${describeRustc(discovered)}, which plain \`cargo build\` runs, has no \`core\` for ${opts.triple}: it stops with error[E0463]`;
  const rustup = discovered.rustupToolchain ? `rustup target add ${opts.triple}` : undefined;
  if (source.kind === "missing") return { works: false, why, sysroot: coreFixCommand(opts.triple), ...(rustup ? { rustup } : {}) };
  const flags = await addTargetRustflags({ cwd: opts.crateDir, triple: opts.triple, flags: ["--sysroot", source.sysroot], rustc: rustc.path, env: opts.env ?? process.env });
  const env: Record<string, string> = { ...(rustc !== discovered ? { RUSTC: rustc.path } : {}), ...flags.env };
  const command = [...Object.entries(env).map(([k, v]) => `${k}=${shellWord(v)}`), "cargo", "build", ...flags.args.map(shellWord)].join(" ");
  return { works: false, why, command, env, args: flags.args, ...(rustup ? { rustup } : {}) };
}
