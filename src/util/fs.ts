import { closeSync, fstatSync, openSync, promises as fsp, constants, readSync, type Stats } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { FreestandError } from "../errors.js";
import { isRunning } from "./process.js";
import { humanBytes } from "./bytes.js";

/**
 * Writes a file so that readers see either the old or the new content, never half of it:
 * write a temporary file in the same directory, flush it, then rename over the target.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const dir = path.dirname(file);
  // The writer's pid in the name: a temporary file whose writer is gone was left by a kill (see below).
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
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

const TEMPORARY = /^\..+\.(\d+)-[0-9a-f]{12}\.tmp$/;

/** Removes the temporary files of writeFileAtomic in `dir` whose writing process no longer runs (it was killed). */
export async function removeStaleTemporaries(dir: string): Promise<void> {
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    const m = TEMPORARY.exec(name);
    if (!m || isRunning(Number(m[1]))) continue;
    await fsp.rm(path.join(dir, name), { force: true }).catch(() => {});
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The largest text file freestand reads (a source, manifest, config or log): nothing a crate holds comes close. */
export const MAX_TEXT_FILE = 64 << 20;

// O_NONBLOCK: opening a FIFO then returns at once (instead of waiting for a writer), and fstat tells what it is.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;


/** What a non-regular file is, for a sentence ("a FIFO (named pipe)"). */
export function kindOf(st: Stats): string {
  if (st.isFile()) return "a file";
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * Why a file opened for reading cannot be read whole: not a regular file (a FIFO would block, /dev/zero never ends)
 * or larger than `limit`. Checked on the open descriptor, so the answer is about the file that will be read.
 */
function refusal(file: string, st: Stats, limit: number): FreestandError | undefined {
  if (!st.isFile()) {
    const kind = kindOf(st);
    return new FreestandError(kind === "not a regular file" ? `${file} is not a regular file.` : `${file} is ${kind}, not a regular file.`);
  }
  if (st.size > limit) return new FreestandError(`${file} is ${humanBytes(st.size)}, more than freestand reads (limit ${humanBytes(limit)}).`);
  return undefined;
}

/** Nothing, or a regular file, is at `file` (following symlinks); a FIFO, device or directory there is one sentence. */
export async function assertRegularIfPresent(file: string): Promise<void> {
  const st = await fsp.stat(file).catch(() => undefined);
  if (st && !st.isFile()) throw new FreestandError(`${file} is ${kindOf(st)}, not a regular file.`);
}

/** Opens a file for reading; a missing file keeps its errno error (callers test `code === "ENOENT"`). */
export async function openRegular(file: string, limit = Number.MAX_SAFE_INTEGER): Promise<{ handle: FileHandle; size: number }> {
  const handle = await fsp.open(file, OPEN_FLAGS);
  const st = await handle.stat();
  const refused = refusal(file, st, limit);
  if (refused) {
    await handle.close();
    throw refused;
  }
  return { handle, size: st.size };
}

/** openRegular for synchronous readers (the ELF reader): returns the descriptor and the size. */
export function openRegularSync(file: string, limit = Number.MAX_SAFE_INTEGER): { fd: number; size: number } {
  const fd = openSync(file, OPEN_FLAGS);
  const st = fstatSync(fd);
  const refused = refusal(file, st, limit);
  if (refused) {
    closeSync(fd);
    throw refused;
  }
  return { fd, size: st.size };
}

/**
 * Texts that stand in for files (absolute path → content) while a function runs under `withFileTexts`: `check
 * --fix` checks its next pass against the fixed texts before any file is written (and an editor's unsaved
 * buffers can be checked the same way). Every text read below goes through readRegularFile, so all of it sees them.
 */
const fileTexts = new AsyncLocalStorage<ReadonlyMap<string, string>>();

export function withFileTexts<T>(texts: ReadonlyMap<string, string>, fn: () => Promise<T>): Promise<T> {
  return fileTexts.run(texts, fn);
}

function standIn(file: string): Buffer | undefined {
  const text = fileTexts.getStore()?.get(path.resolve(file));
  return text === undefined ? undefined : Buffer.from(text, "utf8");
}

/** Reads a whole regular file of at most `limit` bytes (a file that grows while read is cut at `limit`). */
export async function readRegularFile(file: string, limit = MAX_TEXT_FILE): Promise<Buffer> {
  const text = standIn(file);
  if (text) return text;
  const { handle, size } = await openRegular(file, limit);
  try {
    const buf = Buffer.alloc(Math.min(size, limit));
    let done = 0;
    while (done < buf.length) {
      const { bytesRead } = await handle.read(buf, done, buf.length - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buf.subarray(0, done);
  } finally {
    await handle.close();
  }
}

/** readRegularFile for synchronous callers. */
export function readRegularFileSync(file: string, limit = MAX_TEXT_FILE): Buffer {
  const text = standIn(file);
  if (text) return text;
  const { fd, size } = openRegularSync(file, limit);
  try {
    const buf = Buffer.alloc(Math.min(size, limit));
    let done = 0;
    while (done < buf.length) {
      const n = readSync(fd, buf, done, buf.length - done, done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/** Reads a text file that must be UTF-8 (Rust sources, TOML); anything else is one clear error. */
export async function readUtf8File(file: string, limit = MAX_TEXT_FILE): Promise<string> {
  return decodeUtf8(await readRegularFile(file, limit), file);
}

/** A text file read leniently (invalid UTF-8 becomes U+FFFD), for files freestand looks into but does not judge. */
export async function readTextFile(file: string, limit = MAX_TEXT_FILE): Promise<string> {
  return (await readRegularFile(file, limit)).toString("utf8");
}

export function readTextFileSync(file: string, limit = MAX_TEXT_FILE): string {
  return readRegularFileSync(file, limit).toString("utf8");
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
