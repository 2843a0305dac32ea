import { promises as fsp } from "node:fs";
import path from "node:path";
import { pathExists } from "../util/fs.js";
import { releaseNumber } from "./rustc.js";
import type { RustcInfo } from "./types.js";
import { relativeInside } from "../util/paths.js";

/** The standard library's sources (the `library/` directory of a Rust source tree). */
export interface LibrarySources {
  /** The `library` directory: it holds core/, alloc/, compiler-builtins/ and (for offline builds) vendor/. */
  dir: string;
  /** The Rust release they belong to (`1.96.0`), when it can be told. */
  version?: string;
  /** Where they were found, in words. */
  origin: string;
  /** Does `library/vendor` exist (needed to build compiler_builtins' dependencies offline)? */
  vendored: boolean;
}

async function isLibraryDir(dir: string): Promise<boolean> {
  return (await pathExists(path.join(dir, "core", "Cargo.toml"))) && (await pathExists(path.join(dir, "alloc", "Cargo.toml")));
}

/**
 * Which Rust release a source tree is: the `rustc-X.Y.Z` directory name Debian and the release tarballs use,
 * a `version` file, or the top of debian/changelog.
 */
export async function sourceVersion(libraryDir: string): Promise<string | undefined> {
  const root = path.dirname(await fsp.realpath(libraryDir).catch(() => libraryDir));
  const named = /^rustc-(\d+\.\d+\.\d+)/.exec(path.basename(root));
  if (named) return named[1];
  const versionFile = await fsp.readFile(path.join(root, "version"), "utf8").catch(() => undefined);
  const v = versionFile && /^(\d+\.\d+\.\d+)/.exec(versionFile.trim());
  if (v) return v[1];
  const changelog = await fsp.readFile(path.join(root, "debian", "changelog"), "utf8").catch(() => undefined);
  const c = changelog && /^\S+ \((?:\d+:)?(\d+\.\d+\.\d+)/.exec(changelog);
  if (c) return c[1];
  return undefined;
}

async function describe(dir: string, origin: string, knownVersion?: string): Promise<LibrarySources | undefined> {
  if (!(await isLibraryDir(dir))) return undefined;
  // Name the real directory: Debian links /usr/lib/rustlib/src/rust to /usr/src/rustc-<version>.
  dir = await fsp.realpath(dir).catch(() => dir);
  const version = knownVersion ?? (await sourceVersion(dir));
  return { dir, version, origin, vendored: await pathExists(path.join(dir, "vendor")) };
}

/**
 * Every library source tree that could belong to `rustc`, best first: its own sysroot (rustup's `rust-src`
 * component, or a distribution's link there), `/usr/src/rustc-<release>/library` (Debian's rust-web-src /
 * rust-src), `/usr/lib/rustlib/src/rust/library`. The caller decides whether the versions match.
 */
export async function librarySourceCandidates(rustc: RustcInfo, explicit?: string): Promise<LibrarySources[]> {
  const out: LibrarySources[] = [];
  const push = (s: LibrarySources | undefined) => {
    if (s && !out.some((o) => o.dir === s.dir)) out.push(s);
  };
  if (explicit) {
    const dir = (await isLibraryDir(explicit)) ? explicit : path.join(explicit, "library");
    push(await describe(path.resolve(dir), "--src"));
    return out;
  }
  const own = path.join(rustc.sysroot, "lib", "rustlib", "src", "rust", "library");
  if (await pathExists(own)) {
    // rustup's rust-src lives inside the toolchain it belongs to; a link that leads elsewhere must say its version.
    const real = await fsp.realpath(own).catch(() => own);
    const inside = relativeInside(await fsp.realpath(rustc.sysroot).catch(() => rustc.sysroot), real) !== undefined;
    push(await describe(own, rustc.rustupToolchain ? `rust-src component of ${rustc.rustupToolchain}` : "the compiler's sysroot", inside && rustc.rustupToolchain ? releaseNumber(rustc.release) : undefined));
  }
  push(await describe(path.join("/usr/src", `rustc-${releaseNumber(rustc.release)}`, "library"), "/usr/src (Debian rust-web-src or rust-src)"));
  push(await describe("/usr/lib/rustlib/src/rust/library", "/usr/lib/rustlib/src"));
  // Any other Debian source tree, so a mismatch can name what is installed.
  for (const name of (await fsp.readdir("/usr/src").catch(() => [] as string[])).sort()) {
    if (name.startsWith("rustc-")) push(await describe(path.join("/usr/src", name, "library"), "/usr/src"));
  }
  return out;
}

/** Sources whose version is the compiler's own release (the only ones that can build a `core` it accepts). */
export function matchingSources(rustc: RustcInfo, candidates: LibrarySources[]): LibrarySources | undefined {
  return candidates.find((s) => s.version === releaseNumber(rustc.release));
}
