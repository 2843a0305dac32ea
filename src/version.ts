import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

/**
 * The package root: where package.json, templates/ and docs/ live. Found by walking up from this module, which
 * is dist/src/version.js when tsc's output runs and dist/freestand.mjs when the bundle does.
 */
export const PACKAGE_ROOT = packageRootAbove(path.dirname(fileURLToPath(import.meta.url)));

function packageRootAbove(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string }).name === "freestand") return dir;
    } catch {
      // No package.json here (or not ours): keep walking.
    }
    if (path.dirname(dir) === dir) throw new Error(`freestand's package.json was not found above ${start}`);
  }
}

let cached: string | undefined;
export function packageVersion(): string {
  cached ??= (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  return cached;
}

/**
 * The commit this installation was built from: the checkout's HEAD when it runs from a git clone of freestand
 * itself, else dist/src/build-info.json, written when the package is packed. Undefined when neither says.
 */
export async function buildCommit(): Promise<string | undefined> {
  const { readFile, stat } = await import("node:fs/promises");
  if (await stat(path.join(PACKAGE_ROOT, ".git")).then(() => true, () => false)) {
    const { capture } = await import("./util/process.js");
    const r = await capture("git", ["-C", PACKAGE_ROOT, "rev-parse", "--short=12", "HEAD"], { timeout: 5_000 }).catch(() => undefined);
    if (r?.exitCode === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  const info = await readFile(path.join(PACKAGE_ROOT, "dist", "src", "build-info.json"), "utf8").then((t) => JSON.parse(t) as { commit?: string }, () => undefined);
  return info?.commit ?? undefined;
}
