import { createHash } from "node:crypto";
import { createReadStream, promises as fsp } from "node:fs";
import path from "node:path";
import type { RustcInfo } from "./types.js";
import { freestandCacheDir } from "../util/cache-dir.js";

/** Bump when the layout or the way `core` is built changes: old entries are then simply not found. */
export const SYSROOT_FORMAT = 1;
export const MANIFEST_NAME = "freestand-manifest.json";

/**
 * Where built sysroots live: FREESTAND_SYSROOT_DIR, else the XDG cache directory
 * (`$XDG_CACHE_HOME/freestand/sysroots`, default `~/.cache/freestand/sysroots`).
 */
export function defaultSysrootRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FREESTAND_SYSROOT_DIR) return path.resolve(env.FREESTAND_SYSROOT_DIR);
  return path.join(freestandCacheDir(env), "sysroots");
}

/**
 * One sysroot directory per compiler, keyed by its whole `rustc -vV` (release, commit, LLVM, host): two
 * compilers side by side (rustup's stable, Debian's rustc-web) never share or overwrite each other's `core`.
 */
export function sysrootDirFor(rustc: RustcInfo, root: string): string {
  const hash = createHash("sha256").update(`freestand-sysroot-v${SYSROOT_FORMAT}\0${rustc.verbose}`).digest("hex").slice(0, 16);
  return path.join(root, `rustc-${rustc.release}-${hash}`);
}

export interface ManifestFile {
  name: string;
  size: number;
  sha256: string;
}

/** Written beside a target's rlibs once they are complete; the proof that an entry is whole. */
export interface SysrootManifest {
  format: number;
  target: string;
  rustc: {
    path: string;
    release: string;
    commitHash?: string;
    verbose: string;
    sysroot?: string;
    host?: string;
    /** The binary's identity when the entry was built: while it holds, the compiler need not be run to know it. */
    fingerprint?: string;
  };
  sources: { dir: string; version?: string };
  linker?: string;
  builtAt: string;
  buildSeconds: number;
  files: ManifestFile[];
}

export function targetDir(sysroot: string, triple: string): string {
  return path.join(sysroot, "lib", "rustlib", triple);
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest("hex");
}

export async function readManifest(sysroot: string, triple: string): Promise<SysrootManifest | undefined> {
  try {
    const m = JSON.parse(await fsp.readFile(path.join(targetDir(sysroot, triple), MANIFEST_NAME), "utf8")) as SysrootManifest;
    return m && m.format === SYSROOT_FORMAT && m.target === triple && Array.isArray(m.files) ? m : undefined;
  } catch {
    return undefined;
  }
}

export type EntryState = { ok: true; manifest: SysrootManifest } | { ok: false; reason: string; exists: boolean };

/**
 * Is the cached `core` for `triple` whole? `quick` compares names and sizes (cheap enough for every build);
 * `full` also hashes each rlib (what `freestand sysroot` does before calling an entry a hit).
 */
export async function checkEntry(sysroot: string, triple: string, rustc: RustcInfo, mode: "quick" | "full"): Promise<EntryState> {
  const dir = targetDir(sysroot, triple);
  const exists = await fsp.stat(dir).then(() => true, () => false);
  if (!exists) return { ok: false, exists, reason: "not built yet" };
  const m = await readManifest(sysroot, triple);
  if (!m) return { ok: false, exists, reason: "its manifest is missing or unreadable" };
  if (m.rustc.verbose !== rustc.verbose) return { ok: false, exists, reason: `it was built by another compiler (${m.rustc.release})` };
  const libDir = path.join(dir, "lib");
  const present = await fsp.readdir(libDir).catch(() => [] as string[]);
  for (const f of m.files) {
    const st = await fsp.stat(path.join(libDir, f.name)).catch(() => undefined);
    if (!st) return { ok: false, exists, reason: `${f.name} is missing` };
    if (st.size !== f.size) return { ok: false, exists, reason: `${f.name} has ${st.size} bytes instead of ${f.size}` };
    if (mode === "full" && (await sha256File(path.join(libDir, f.name))) !== f.sha256) {
      return { ok: false, exists, reason: `${f.name} does not match its recorded checksum` };
    }
  }
  const extra = present.filter((n) => n.endsWith(".rlib") && !m.files.some((f) => f.name === n));
  if (extra.length) return { ok: false, exists, reason: `unexpected files ${extra.join(", ")}` };
  if (!m.files.some((f) => f.name.startsWith("libcore-"))) return { ok: false, exists, reason: "it holds no libcore" };
  return { ok: true, manifest: m };
}

/**
 * Every cached sysroot under `root` that holds a whole-looking `triple`, with the compiler that built it: lets
 * a build find Debian's rustc-web sysroot when the compiler cargo would pick has no `core` for the target.
 */
export async function cachedEntriesFor(root: string, triple: string): Promise<{ sysroot: string; manifest: SysrootManifest }[]> {
  const names = await fsp.readdir(root).catch(() => [] as string[]);
  const out: { sysroot: string; manifest: SysrootManifest }[] = [];
  for (const n of names.sort()) {
    if (!n.startsWith("rustc-")) continue;
    const sysroot = path.join(root, n);
    const m = await readManifest(sysroot, triple);
    if (m) out.push({ sysroot, manifest: m });
  }
  return out;
}

/** A cheap identity of a compiler binary (real path, size, mtime): a changed compiler changes it. */
export async function rustcFingerprint(program: string): Promise<string | undefined> {
  try {
    const real = await fsp.realpath(program);
    const st = await fsp.stat(real);
    return `${real}:${st.size}:${Math.trunc(st.mtimeMs)}`;
  } catch {
    return undefined;
  }
}
