import { which } from "../util/fs.js";
import type { QemuSpec } from "../targets/types.js";

/** Finds a target's QEMU binary on PATH; the spec names the Debian package that provides it. */
export async function findQemu(spec: QemuSpec, pathEnv = process.env.PATH): Promise<string | undefined> {
  return which(spec.binary, pathEnv);
}
