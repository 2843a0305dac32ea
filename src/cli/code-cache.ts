import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { freestandCacheDir } from "../util/cache-dir.js";

/**
 * Loads the CLI's CommonJS bundle (dist/bin/program.cjs) with V8's code cache, as `v8-compile-cache` did for
 * CommonJS tools: compiling the 1.4 MB bundle costs a one-shot command about 35 ms, reading the cache about 10.
 * The cache lives in freestand's cache directory, one file per bundle version and node; V8 checks that it fits
 * the source and the engine and rejects it otherwise, and a rejected or missing cache is written again when the
 * process exits (then it also holds the functions this run compiled). Any failure to read or write it only
 * costs the compile.
 */
export function requireWithCodeCache(file: string): unknown {
  // The parser runs its wasm on V8's baseline tier (syntax/parser.ts says why). V8 rejects a cache made under
  // other flags, so the flag is set before the bundle is compiled and is the same when the cache is written.
  v8.setFlagsFromString("--liftoff-only");
  const source = readFileSync(file, "utf8");
  const st = statSync(file);
  const dir = path.join(freestandCacheDir(), "code-cache");
  const name = `${path.basename(file)}-${process.versions.v8}-${process.arch}-${st.size}-${Math.trunc(st.mtimeMs)}.bin`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(path.join(dir, name));
  } catch {
    // First run of this bundle on this node: compiled from source, cached at exit.
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (!cachedData || script.cachedDataRejected) process.once("exit", () => writeCache(dir, name, script));
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/** Written atomically (a temporary file renamed), and the caches of older bundles removed. */
function writeCache(dir: string, name: string, script: vm.Script): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, path.join(dir, name));
    const prefix = name.slice(0, name.indexOf("-"));
    for (const old of readdirSync(dir)) if (old !== name && old.startsWith(`${prefix}-`)) unlinkSync(path.join(dir, old));
  } catch {
    // A read-only or full cache directory: the next run compiles again.
  }
}
