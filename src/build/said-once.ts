import { promises as fsp } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../util/fs.js";

/**
 * Remembers, in the crate's target directory, which notes a build has already said (how the toolchain was
 * chosen, which sysroot is used): they are worth reading once per crate and compiler, not on every build.
 * The memory goes away with `cargo clean`, and a different compiler or sysroot is a different note.
 */
const FILE = path.join("freestand", "notes-said.json");

export async function unsaidNotes(targetDir: string | undefined, notes: readonly string[]): Promise<string[]> {
  if (!targetDir || notes.length === 0) return [...notes];
  const file = path.join(targetDir, FILE);
  const said = await fsp
    .readFile(file, "utf8")
    .then((t) => new Set((JSON.parse(t) as unknown[]).filter((x): x is string => typeof x === "string")))
    .catch(() => new Set<string>());
  const fresh = notes.filter((n) => !said.has(n));
  if (fresh.length === 0) return [];
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify([...said, ...fresh], null, 1) + "\n");
  } catch {
    // A read-only target directory: say the notes every time rather than fail the build.
  }
  return fresh;
}
