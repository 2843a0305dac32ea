import path from "node:path";
import { capture } from "../util/process.js";
import { readUtf8File, which } from "../util/fs.js";
import { parseToml } from "./toml.js";
import { configGet, type CargoConfig } from "./config.js";

/** What the rules know about the compiler cargo would use for this crate. */
export interface ToolchainInfo {
  /** `stable`, `beta`, `nightly`, or `unknown` when no compiler could be asked. */
  channel: "stable" | "beta" | "nightly" | "unknown";
  /** [major, minor, patch]; undefined when unknown. */
  version?: [number, number, number];
  /** The compiler's host triple. */
  host?: string;
  sysroot?: string;
  /** Which rustc was asked (`rustc` through rustup, `RUSTC`, `build.rustc`). */
  rustc?: string;
  /** RUSTC_BOOTSTRAP=1 makes a stable compiler accept unstable features. */
  bootstrap?: boolean;
}

export const HOST_TRIPLE_FALLBACK = "x86_64-unknown-linux-gnu";

export function parseRustcVersion(verbose: string): Pick<ToolchainInfo, "channel" | "version" | "host"> {
  const release = /^release:\s*(\S+)/m.exec(verbose)?.[1];
  const host = /^host:\s*(\S+)/m.exec(verbose)?.[1];
  const m = release ? /^(\d+)\.(\d+)\.(\d+)(?:-(\w+))?/.exec(release) : null;
  if (!m) return { channel: "unknown", host };
  const pre = m[4];
  const channel = pre === "nightly" || pre === "dev" ? "nightly" : pre === "beta" ? "beta" : "stable";
  return { channel, version: [Number(m[1]), Number(m[2]), Number(m[3])], host };
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
 * Asks the compiler (run in the crate's directory, so rustup honours its rust-toolchain.toml) for its version
 * and sysroot. A missing compiler is not an error for `check`: rules that need the version stay quiet.
 */
export function detectToolchain(dir: string, config: CargoConfig): Promise<ToolchainInfo> {
  const rustcName = rustcFor(config);
  const key = `${rustcName}\0${dir}\0${config.env.RUSTUP_TOOLCHAIN ?? ""}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const bootstrap = config.env.RUSTC_BOOTSTRAP === "1";
      // Resolve through PATH ourselves: tinyexec puts node's own directory first on the child's PATH, which
      // would pick /usr/bin/rustc over the rustup proxy that cargo itself would run.
      const rustc = (await which(rustcName, config.env.PATH ?? "")) ?? rustcName;
      try {
        const [vv, sr] = await Promise.all([
          capture(rustc, ["-vV"], { cwd: dir, env: config.env, timeout: 30_000 }),
          capture(rustc, ["--print", "sysroot"], { cwd: dir, env: config.env, timeout: 30_000 }),
        ]);
        if (vv.exitCode !== 0) return { channel: "unknown", rustc, bootstrap };
        const info: ToolchainInfo = { ...parseRustcVersion(vv.stdout), rustc, bootstrap };
        if (sr.exitCode === 0 && sr.stdout.trim()) info.sysroot = sr.stdout.trim();
        return info;
      } catch {
        return { channel: "unknown", rustc: rustcName, bootstrap };
      }
    })();
    cache.set(key, p);
  }
  return p;
}

/** The `rust-toolchain.toml` (or legacy `rust-toolchain`) that rustup would use for `dir`, if any. */
export async function findToolchainFile(dir: string): Promise<{ path: string; channel?: string; targets: string[] } | undefined> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    for (const name of ["rust-toolchain.toml", "rust-toolchain"]) {
      const file = path.join(d, name);
      let text: string;
      try {
        text = await readUtf8File(file);
      } catch {
        continue;
      }
      if (name === "rust-toolchain" && !text.includes("[toolchain]")) return { path: file, channel: text.trim(), targets: [] };
      const doc = parseToml(file, text);
      const tc = (doc.value.toolchain ?? {}) as { channel?: unknown; targets?: unknown };
      return {
        path: file,
        channel: typeof tc.channel === "string" ? tc.channel : undefined,
        targets: Array.isArray(tc.targets) ? tc.targets.filter((t): t is string => typeof t === "string") : [],
      };
    }
    if (path.dirname(d) === d) return undefined;
  }
}
