import { promises as fsp } from "node:fs";
import path from "node:path";
import os from "node:os";
import { FreestandError } from "../errors.js";
import { capture } from "../util/process.js";
import { firstMeaningfulLine } from "../util/tool-output.js";
import { isExecutable, pathExists, which } from "../util/fs.js";
import type { RustcInfo, RustcOrigin } from "./types.js";

/** The fields `rustc -vV` printed (`release: 1.96.0`, `host: …`, `commit-hash: …`); "unknown" counts as absent. */
export function rustcVerboseFields(text: string): { release?: string; host?: string; commitHash?: string; commitDate?: string; llvmVersion?: string } {
  const field = (name: string) => {
    const m = new RegExp(`^${name}: (.+)$`, "m").exec(text);
    const v = m?.[1]?.trim();
    return v && v !== "unknown" ? v : undefined;
  };
  return { release: field("release"), host: field("host"), commitHash: field("commit-hash"), commitDate: field("commit-date"), llvmVersion: field("LLVM version") };
}

/** The channel a release string names: `1.97.0-nightly`, `1.96.0-beta.3`, `1.85.0-dev` (built from source), `1.96.0`. */
export function channelOfRelease(release: string): "stable" | "beta" | "nightly" | "dev" {
  return release.includes("nightly") ? "nightly" : release.includes("beta") ? "beta" : release.includes("dev") ? "dev" : "stable";
}

/** Parses `rustc -vV`; a program that prints no release or host is not rustc. */
export function parseRustcVerbose(text: string): Omit<RustcInfo, "path" | "origin" | "sysroot" | "rustupToolchain"> {
  const { release, host, commitHash, commitDate, llvmVersion } = rustcVerboseFields(text);
  if (!release || !host) throw new FreestandError("rustc -vV printed no `release:` or `host:` line; is this really rustc?");
  return { release, host, channel: channelOfRelease(release), commitHash, commitDate, llvmVersion, verbose: text.trim() };
}

/** The plain `X.Y.Z` of a release (`1.97.0-nightly` → `1.97.0`). */
export function releaseNumber(release: string): string {
  return release.replace(/-.*$/, "");
}

function rustupHome(env: NodeJS.ProcessEnv): string {
  return env.RUSTUP_HOME || path.join(env.HOME || os.homedir(), ".rustup");
}

export { cargoHome } from "../cargo/config.js";

/** The rustup toolchain a sysroot belongs to, if it lives in RUSTUP_HOME/toolchains/<name>. */
function rustupToolchainOf(sysroot: string, env: NodeJS.ProcessEnv): string | undefined {
  const dir = path.join(rustupHome(env), "toolchains");
  const rel = path.relative(dir, sysroot);
  if (!rel || rel.startsWith("..") || path.isAbsolute(rel) || rel.includes(path.sep)) return undefined;
  return rel;
}

/** A rustup proxy is a link to (or copy of) the rustup binary; it picks the toolchain from the directory it runs in. */
export async function isRustupProxy(program: string): Promise<boolean> {
  try {
    const real = await fsp.realpath(program);
    return /^rustup(-init)?$/.test(path.basename(real));
  } catch {
    return false;
  }
}

/** `rust-toolchain.toml` / `rust-toolchain` in dir or an ancestor: rustup honours the nearest one. */
export async function findToolchainFile(dir: string): Promise<string | undefined> {
  let cur = path.resolve(dir);
  for (;;) {
    for (const name of ["rust-toolchain.toml", "rust-toolchain"]) {
      const f = path.join(cur, name);
      if (await pathExists(f)) return f;
    }
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

const probeCache = new Map<string, Promise<RustcInfo>>();

/**
 * Runs `rustc -vV` and `rustc --print sysroot` (in `cwd`, so a rustup proxy sees the crate's toolchain file).
 * Results are memoised per program, directory and toolchain override: a build asks several times.
 */
export function probeRustc(
  program: string,
  origin: RustcOrigin,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RustcInfo> {
  const env = opts.env ?? process.env;
  const key = [program, opts.cwd ?? "", env.RUSTUP_TOOLCHAIN ?? "", origin].join("\0");
  let p = probeCache.get(key);
  if (!p) {
    p = probeUncached(program, origin, opts.cwd, env);
    probeCache.set(key, p);
    p.catch(() => probeCache.delete(key));
  }
  return p;
}

async function probeUncached(program: string, origin: RustcOrigin, cwd: string | undefined, env: NodeJS.ProcessEnv): Promise<RustcInfo> {
  const [vv, sr] = await Promise.all([
    capture(program, ["-vV"], { cwd, env, timeout: 30_000 }),
    capture(program, ["--print", "sysroot"], { cwd, env, timeout: 30_000 }),
  ]);
  if (vv.exitCode !== 0) {
    // rustup's own error (a pinned toolchain not installed) comes first; its backtrace after it is not the message.
    const why = firstMeaningfulLine(vv.stderr);
    throw new FreestandError(`\`${program} -vV\` failed${why ? `: ${why}` : "."}`);
  }
  const info = parseRustcVerbose(vv.stdout);
  const sysroot = sr.stdout.trim();
  if (sr.exitCode !== 0 || !sysroot) throw new FreestandError(`\`${program} --print sysroot\` failed; is this really rustc?`);
  return { ...info, path: program, origin, sysroot, rustupToolchain: rustupToolchainOf(sysroot, env) };
}

/**
 * The rustc cargo would use for a crate in `cwd`: RUSTC, else `rustc` on PATH (through rustup, which honours
 * RUSTUP_TOOLCHAIN and rust-toolchain.toml). Throws with the fixing command when there is none.
 */
export async function findRustc(opts: { cwd?: string; env?: NodeJS.ProcessEnv; explicit?: string } = {}): Promise<RustcInfo> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  if (opts.explicit) {
    const p = await which(opts.explicit, env.PATH);
    if (!p) throw new FreestandError(`the compiler ${opts.explicit} does not exist or is not executable.`);
    return probeRustc(p, "explicit", { cwd, env });
  }
  if (env.RUSTC) {
    const p = await which(env.RUSTC, env.PATH);
    if (!p) throw new FreestandError(`RUSTC is set to ${env.RUSTC}, which is not an executable program.`);
    return probeRustc(p, "RUSTC", { cwd, env });
  }
  // Measured: even a rustup cargo proxy runs the first `rustc` on PATH (a distribution's /usr/bin/rustc before
  // ~/.cargo/bin wins over rustup's choice); only when that is rustup's own proxy does rustup's choice apply.
  const onPath = await which("rustc", env.PATH);
  if (!onPath) {
    throw new FreestandError(
      "no Rust compiler found: install one with `curl https://sh.rustup.rs -sSf | sh` or `apt-get install rustc-web rust-web-src`.",
    );
  }
  let origin: RustcOrigin = "PATH";
  if (await isRustupProxy(onPath)) {
    origin = env.RUSTUP_TOOLCHAIN ? "RUSTUP_TOOLCHAIN" : (await findToolchainFile(cwd)) ? "rust-toolchain.toml" : "rustup";
  }
  return probeRustc(onPath, origin, { cwd, env });
}

/** The cargo that goes with the environment: CARGO, else `cargo` on PATH. */
export async function findCargo(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.CARGO && (await isExecutable(env.CARGO))) return env.CARGO;
  return which("cargo", env.PATH);
}

/**
 * Every distinct rustc program on this machine worth considering for a sysroot: the one cargo would use, every
 * `rustc` on PATH that is not a rustup proxy (a distribution's compiler), /usr/bin/rustc, and each rustup toolchain.
 */
export async function candidateRustcPrograms(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const out: string[] = [];
  const add = async (p: string | undefined) => {
    if (!p || !(await isExecutable(p))) return;
    const real = await fsp.realpath(p).catch(() => p);
    if (!out.includes(p) && !(await isRustupProxy(p)) && !(await Promise.all(out.map((o) => fsp.realpath(o).catch(() => o)))).includes(real)) {
      out.push(p);
    }
  };
  for (const dir of (env.PATH ?? "").split(path.delimiter)) if (dir) await add(path.join(dir, "rustc"));
  await add("/usr/bin/rustc");
  const tcDir = path.join(rustupHome(env), "toolchains");
  const names = await fsp.readdir(tcDir).catch(() => [] as string[]);
  for (const n of names.sort()) await add(path.join(tcDir, n, "bin", "rustc"));
  return out;
}
