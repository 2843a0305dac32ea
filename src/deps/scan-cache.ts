/**
 * Remembers crate scans (does this crate, with these features, for this target's cfg, link std?) in memory and in
 * one JSON file under the XDG cache directory, so a second `freestand check` does not read or parse the same
 * registry crates again.
 *
 * Only crates with a source (registry, vendored directory, git checkout) are remembered: their files do not change
 * under a version. Path dependencies are the user's own code and are scanned every time. The key holds the crate
 * root's path, its mtime and size (a reinstalled package gets new ones), the enabled features, the target's cfg
 * and the scanner's version.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../util/fs.js";
import type { CrateStdVerdict } from "./crate-std.js";
import type { TargetCfg } from "./target-cfg.js";
import { freestandCacheDir } from "../util/cache-dir.js";

/** Bump when the scan's answer for the same input can change: old entries are then simply not found. */
const SCAN_FORMAT = 1;
/** Enough for several large workspaces and targets; the oldest entries go first. */
const MAX_ENTRIES = 20_000;

type Entry = Omit<CrateStdVerdict, "filesParsed">;

/**
 * The cache file: FREESTAND_DEPS_CACHE (a file path, or `off`), else
 * `$XDG_CACHE_HOME/freestand/deps-scan.json` (default `~/.cache/freestand/deps-scan.json`).
 */
export function defaultScanCacheFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.FREESTAND_DEPS_CACHE;
  if (v === "off") return undefined;
  if (v) return path.resolve(v);
  return path.join(freestandCacheDir(env), "deps-scan.json");
}

export class ScanCache {
  private dirty = false;

  private constructor(
    readonly file: string | undefined,
    private readonly entries: Map<string, Entry>,
  ) {}

  /** One cache per file per process: loaded from disk once, kept in memory afterwards. */
  private static open = new Map<string, ScanCache>();

  static load(file: string | undefined): ScanCache {
    if (file === undefined) return new ScanCache(undefined, new Map());
    let c = ScanCache.open.get(file);
    if (!c) {
      c = new ScanCache(file, readEntries(file));
      ScanCache.open.set(file, c);
    }
    return c;
  }

  /** The key for a crate root, or undefined when the crate is not to be remembered (no source, or unreadable). */
  static key(rootFile: string, source: string | null, features: ReadonlySet<string>, cfg: TargetCfg): string | undefined {
    if (source === null) return undefined;
    const st = fs.statSync(rootFile, { throwIfNoEntry: false });
    if (!st) return undefined;
    const cfgText = [...cfg.names].sort().join(",") + ";" + [...cfg.pairs].map(([k, v]) => `${k}=${[...v].sort().join("|")}`).sort().join(",");
    const text = [SCAN_FORMAT, rootFile, st.mtimeMs, st.size, [...features].sort().join(","), cfg.target, cfgText].join("\0");
    return createHash("sha1").update(text).digest("base64url");
  }

  get(key: string): CrateStdVerdict | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    return { ...e, filesParsed: 0 };
  }

  set(key: string, v: CrateStdVerdict): void {
    const { filesParsed: _n, ...entry } = v;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.dirty = true;
  }

  /** Writes the file when something was added. A cache that cannot be written is not an error: it is a cache. */
  async flush(): Promise<void> {
    if (!this.dirty || this.file === undefined) return;
    this.dirty = false;
    try {
      await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, JSON.stringify({ format: SCAN_FORMAT, entries: [...this.entries] }));
    } catch {
      // Read-only home, full disk: the next run scans again.
    }
  }
}

function readEntries(file: string): Map<string, Entry> {
  try {
    const j = JSON.parse(fs.readFileSync(file, "utf8")) as { format?: number; entries?: [string, Entry][] };
    if (j.format === SCAN_FORMAT && Array.isArray(j.entries)) return new Map(j.entries.filter((e) => Array.isArray(e) && typeof e[0] === "string" && e[1] && typeof e[1] === "object"));
  } catch {
    // Missing or damaged: start empty (the next flush replaces it whole).
  }
  return new Map();
}
