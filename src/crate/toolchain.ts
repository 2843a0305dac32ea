import path from "node:path";
import { capture } from "../util/process.js";
import { readUtf8File, which } from "../util/fs.js";
import { parseToml } from "../cargo/toml.js";
import { configGet, type CargoConfig } from "../cargo/config.js";
import { offlineEnv } from "./packages.js";
import { firstMeaningfulLine } from "../util/tool-output.js";
import { channelOfRelease, findToolchainFile, rustcVerboseFields } from "../toolchain/rustc.js";

/** What the rules know about the compiler cargo would use for this crate. */
export interface ToolchainInfo {
  /** `stable`, `beta`, `nightly`, or `unknown` when no compiler could be asked. */
  channel: "stable" | "beta" | "nightly" | "unknown";
  /** [major, minor, patch]; undefined when unknown. */
  version?: [number, number, number];
  /** The compiler's host triple. */
  host?: string;
  /** `commit-hash` of `rustc -vV`. */
  commit?: string;
  sysroot?: string;
  /** Which rustc was asked (`rustc` through rustup, `RUSTC`, `build.rustc`). */
  rustc?: string;
  /** RUSTC_BOOTSTRAP=1 makes a stable compiler accept unstable features. */
  bootstrap?: boolean;
  /** Why the compiler could not be asked: its own first line (a pinned toolchain that is not installed, …). */
  problem?: string;
  /** The channel and version come from a toolchain file's pin, not from a compiler that answered. */
  fromPin?: string;
}


/** `rustc -vV` as the crate model needs it (toolchain/rustc.ts reads the fields); nothing in it is required. */
export function parseRustcVersion(verbose: string): Pick<ToolchainInfo, "channel" | "version" | "host" | "commit"> {
  const { release, host, commitHash } = rustcVerboseFields(verbose);
  const m = release ? /^(\d+)\.(\d+)\.(\d+)/.exec(release) : null;
  if (!release || !m) return { channel: "unknown", host };
  // A compiler built from source (`-dev`, as Debian's) accepts unstable features as nightly does.
  const ch = channelOfRelease(release);
  const channel = ch === "dev" ? "nightly" : ch;
  const commit = commitHash && /^[0-9a-f]{7,}$/.test(commitHash) ? commitHash : undefined;
  return { channel, version: [Number(m[1]), Number(m[2]), Number(m[3])], host, ...(commit ? { commit } : {}) };
}

export function versionAtLeast(t: ToolchainInfo | undefined, major: number, minor: number): boolean {
  if (!t?.version) return false;
  const [a, b] = t.version;
  return a > major || (a === major && b >= minor);
}

/** The rustc cargo would run: RUSTC, then `build.rustc` in the config chain, then `rustc` from PATH. */
export function rustcFor(config: CargoConfig): string {
  if (config.env.RUSTC) return config.env.RUSTC;
  const v = configGet<string>(config, ["build", "rustc"]);
  if (v && typeof v.value === "string" && v.doc) {
    // A relative path with a slash is relative to the directory holding `.cargo/`.
    return v.value.includes("/") && !path.isAbsolute(v.value) ? path.resolve(path.dirname(path.dirname(v.doc.path)), v.value) : v.value;
  }
  return "rustc";
}

const cache = new Map<string, Promise<ToolchainInfo>>();

/**
 * The compiler program cargo would start, resolved through PATH by freestand itself: tinyexec puts node's own
 * directory first on the child's PATH, which would pick /usr/bin/rustc over the rustup proxy cargo would run.
 */
export async function rustcPath(config: CargoConfig): Promise<string> {
  const name = rustcFor(config);
  return (await which(name, config.env.PATH ?? "")) ?? name;
}

/** What a toolchain pin says when no compiler answers: `nightly-2022-03-01` is a nightly, `1.75` a stable 1.75. */
export function pinnedToolchain(channel: string | undefined): Pick<ToolchainInfo, "channel" | "version"> | undefined {
  if (!channel) return undefined;
  if (/^nightly\b/.test(channel)) return { channel: "nightly" };
  if (/^beta\b/.test(channel)) return { channel: "beta" };
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(channel);
  if (m) return { channel: "stable", version: [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] };
  if (/^stable\b/.test(channel)) return { channel: "stable" };
  return undefined;
}

/**
 * Asks the compiler (run in the crate's directory, so rustup honours its rust-toolchain.toml) for its version
 * and sysroot. A missing or failing compiler is not an error for `check`: `problem` says why, in the compiler's
 * (or rustup's) own words, and rules that need the version stay quiet. Never downloads: rustup may not install
 * a pinned toolchain on the way.
 */
export function detectToolchain(dir: string, config: CargoConfig): Promise<ToolchainInfo> {
  const rustcName = rustcFor(config);
  const key = `${rustcName}\0${dir}\0${config.env.RUSTUP_TOOLCHAIN ?? ""}`;
  let p = cache.get(key);
  if (!p) {
    p = (async (): Promise<ToolchainInfo> => {
      const bootstrap = config.env.RUSTC_BOOTSTRAP === "1";
      const rustc = await rustcPath(config);
      const env = offlineEnv(config.env);
      try {
        const [vv, sr] = await Promise.all([
          capture(rustc, ["-vV"], { cwd: dir, env, timeout: 30_000 }),
          capture(rustc, ["--print", "sysroot"], { cwd: dir, env, timeout: 30_000 }),
        ]);
        if (vv.exitCode !== 0) return { channel: "unknown", rustc, bootstrap, problem: firstMeaningfulLine(vv.stderr) ?? `\`${rustcName} -vV\` failed` };
        const info: ToolchainInfo = { ...parseRustcVersion(vv.stdout), rustc, bootstrap };
        if (info.channel === "unknown") info.problem = `\`${rustcName} -vV\` printed no release line`;
        if (sr.exitCode === 0 && sr.stdout.trim()) info.sysroot = sr.stdout.trim();
        return info;
      } catch {
        return { channel: "unknown", rustc: rustcName, bootstrap, problem: `\`${rustcName}\` was not found` };
      }
    })();
    cache.set(key, p);
  }
  return p;
}

/** The `rust-toolchain.toml` (or legacy `rust-toolchain`) that rustup would use for `dir`, if any. */
export async function readToolchainFile(dir: string): Promise<{ path: string; channel?: string; targets: string[] } | undefined> {
  // The nearest file, as rustup takes it (toolchain/rustc.ts finds it for every part of freestand).
  const file = await findToolchainFile(dir);
  if (!file) return undefined;
  let text: string;
  try {
    text = await readUtf8File(file);
  } catch {
    return undefined;
  }
  if (path.basename(file) === "rust-toolchain" && !text.includes("[toolchain]")) return { path: file, channel: text.trim(), targets: [] };
  const doc = parseToml(file, text);
  const tc = (doc.value.toolchain ?? {}) as { channel?: unknown; targets?: unknown };
  return {
    path: file,
    channel: typeof tc.channel === "string" ? tc.channel : undefined,
    targets: Array.isArray(tc.targets) ? tc.targets.filter((t): t is string => typeof t === "string") : [],
  };
}
