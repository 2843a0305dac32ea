/**
 * Puts a rendered crate into its directory so that an interruption (an error, a full disk, a SIGKILL) leaves the
 * directory as it was or as it should be, never half-written. The whole new tree is staged in a sibling
 * directory, then moved in by rename: a fresh directory in one rename; `--force` into an existing one by staging a
 * copy of it (hard links, so nothing is copied), writing the template's files into the copy and swapping the two
 * directories (two renames, back to back; a run killed between them is repaired by the next one). Staging
 * directories carry their writer's pid, so the next run removes the ones a killed run left.
 */
import { promises as fsp } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describeError, FreestandError } from "../errors.js";
import { isRunning } from "../util/process.js";

const STAGING = /^\.freestand-(tmp|old|trash)-(.+)-(\d+)-[0-9a-f]{8}$/;

/**
 * Cleans up after runs that were killed in `parent`: staging directories and the old trees of finished swaps
 * (`trash`) are removed; a directory moved aside by a swap that never finished is moved back when its place is
 * empty.
 */
export async function repairInterrupted(parent: string): Promise<void> {
  for (const name of await fsp.readdir(parent).catch(() => [] as string[])) {
    const m = STAGING.exec(name);
    if (!m || isRunning(Number(m[3]))) continue;
    const staged = path.join(parent, name);
    if (m[1] === "old") {
      const home = path.join(parent, m[2]!);
      const taken = await fsp.stat(home).then(
        () => true,
        () => false,
      );
      if (!taken && (await fsp.rename(staged, home).then(() => true, () => false))) continue;
    }
    await fsp.rm(staged, { recursive: true, force: true }).catch(() => {});
  }
}

function stagingName(parent: string, kind: "tmp" | "old" | "trash", dir: string): string {
  return path.join(parent, `.freestand-${kind}-${path.basename(dir)}-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/** A copy of `from` at `to` made of hard links (directories and symbolic links recreated). */
async function linkTree(from: string, to: string): Promise<void> {
  await fsp.mkdir(to);
  for (const e of await fsp.readdir(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) await linkTree(src, dst);
    else if (e.isSymbolicLink()) await fsp.symlink(await fsp.readlink(src), dst);
    else await fsp.link(src, dst);
  }
}

/** Writes `files` (relative path → text) below `root`, replacing a hard link rather than writing through it. */
async function writeFiles(root: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const [rel, text] of files) {
    const file = path.join(root, rel);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.rm(file, { force: true });
    await fsp.writeFile(file, text);
  }
}

/** One sentence for what went wrong, with the path, whatever the errno. */
function placeError(err: unknown, dir: string): FreestandError {
  if (err instanceof FreestandError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ENOTEMPTY" || e?.code === "EEXIST") return new FreestandError(`${dir} was created by another process while freestand was writing it; nothing was written.`);
  if (e?.code === "EACCES" || e?.code === "EPERM" || e?.code === "EROFS") return new FreestandError(`${path.dirname(dir)} is not writable, so ${dir} could not be created; nothing was written.`);
  if (e?.code === "ENOSPC" || e?.code === "EDQUOT") return new FreestandError(`${dir} could not be written: no space left on the device; nothing was written.`);
  // errno errors of writes carry no path: the sentence names the directory.
  return new FreestandError(typeof e?.path === "string" ? `${describeError(err).replace(/\.$/, "")}; nothing was written to ${dir}.` : `${dir} could not be written (${describeError(err)}); nothing was written.`);
}

/**
 * Places `files` into `dir`: `state` says what is there now ("missing", "empty", or "non-empty", which only
 * `--force` reaches). Files of `dir` that the template does not have are kept.
 */
export async function placeTree(dir: string, files: ReadonlyMap<string, string>, state: "missing" | "empty" | "non-empty"): Promise<void> {
  const parent = path.dirname(dir);
  try {
    await fsp.mkdir(parent, { recursive: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ENOTDIR" || e.code === "EEXIST") throw new FreestandError(`${parent} is not a directory (a file is in the way), so ${dir} could not be created.`);
    throw placeError(err, dir);
  }
  await repairInterrupted(parent);
  const staging = stagingName(parent, "tmp", dir);
  try {
    if (state === "non-empty") await linkTree(dir, staging);
    else await fsp.mkdir(staging);
    await writeFiles(staging, files);
    if (state !== "non-empty") {
      // An empty directory goes first (rmdir refuses one that another process has just filled).
      if (state === "empty") await fsp.rmdir(dir);
      await fsp.rename(staging, dir);
      return;
    }
    // Swap: the old directory aside, the staged one in, the old one removed.
    const aside = stagingName(parent, "old", dir);
    await fsp.rename(dir, aside);
    try {
      await fsp.rename(staging, dir);
    } catch (err) {
      await fsp.rename(aside, dir).catch(() => {});
      throw err;
    }
    // Renamed before it is removed: a kill while removing leaves trash, never something to move back.
    const trash = stagingName(parent, "trash", dir);
    await fsp.rename(aside, trash);
    await fsp.rm(trash, { recursive: true, force: true });
  } catch (err) {
    await fsp.rm(staging, { recursive: true, force: true }).catch(() => {});
    throw placeError(err, dir);
  }
}
