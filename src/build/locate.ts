import { promises as fsp } from "node:fs";
import path from "node:path";
import { FreestandError } from "../errors.js";

/** Finds the Cargo.toml that cargo would use for `dir`: in it or in the nearest parent, as cargo searches. */
export async function findManifest(dir: string): Promise<string> {
  const start = path.resolve(dir);
  let st;
  try {
    st = await fsp.stat(start);
  } catch {
    throw new FreestandError(`${dir} does not exist.`);
  }
  if (!st.isDirectory()) throw new FreestandError(`${dir} is not a directory.`);
  for (let d = start; ; d = path.dirname(d)) {
    const candidate = path.join(d, "Cargo.toml");
    if (await fsp.stat(candidate).then((s) => s.isFile(), () => false)) return candidate;
    if (path.dirname(d) === d) break;
  }
  throw new FreestandError(`no Cargo.toml in ${dir} or any parent directory; create a crate with \`freestand new\`.`);
}
