import os from "node:os";
import path from "node:path";

/** freestand's cache directory: `$XDG_CACHE_HOME/freestand` (an absolute XDG_CACHE_HOME only), else `~/.cache/freestand`. */
export function freestandCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(env.HOME || os.homedir(), ".cache");
  return path.join(xdg, "freestand");
}
