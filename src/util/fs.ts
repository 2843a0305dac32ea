import { promises as fsp, constants } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { FreestandError } from "../errors.js";

/**
 * Writes a file so that readers see either the old or the new content, never half of it:
 * write a temporary file in the same directory, flush it, then rename over the target.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  let existingMode: number | undefined;
  try {
    existingMode = (await fsp.stat(file)).mode & 0o7777;
  } catch {
    existingMode = undefined;
  }
  const handle = await fsp.open(tmp, "wx", mode ?? existingMode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads a text file that must be UTF-8 (Rust sources, TOML); anything else is one clear error. */
export async function readUtf8File(file: string): Promise<string> {
  const bytes = await fsp.readFile(file);
  return decodeUtf8(bytes, file);
}

export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new FreestandError(`${file} is not valid UTF-8 text.`);
  }
}

export async function pathExists(p: string): Promise<boolean> {
  try {
    await fsp.access(p, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

export async function isExecutable(p: string): Promise<boolean> {
  try {
    const st = await fsp.stat(p);
    if (!st.isFile()) return false;
    await fsp.access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds an executable on PATH (or the given PATH string), like `command -v`. */
export async function which(name: string, pathEnv = process.env.PATH ?? ""): Promise<string | undefined> {
  if (name.includes("/")) return (await isExecutable(name)) ? path.resolve(name) : undefined;
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}
