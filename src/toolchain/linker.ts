import path from "node:path";
import { isExecutable, which } from "../util/fs.js";

/** Bare-metal targets link with LLVM's lld, which rustc runs as `rust-lld -flavor gnu`. */
export function needsRustLld(triple: string): boolean {
  return /-none(-|$)/.test(triple);
}

/** `<sysroot>/lib/rustlib/<host>/bin/rust-lld`: where rustc looks for rust-lld. */
export function rustLldPath(sysroot: string, host: string): string {
  return path.join(sysroot, "lib", "rustlib", host, "bin", "rust-lld");
}

export interface LinkerFound {
  path: string;
  /** `rust-lld` (from a sysroot) or `ld.lld` (the distribution's lld) or `cc`. */
  kind: "rust-lld" | "ld.lld" | "cc";
}

/**
 * The linker rustc will use for `triple` with this sysroot: for bare-metal targets rust-lld in the sysroot; for
 * the host the system C compiler driver. `ld.lld` on PATH counts for bare-metal targets too, because the sysroot
 * builder links it in as rust-lld (lld accepts `-flavor gnu` whatever its name).
 */
export async function findLinker(triple: string, sysroot: string, host: string, pathEnv = process.env.PATH): Promise<LinkerFound | undefined> {
  if (!needsRustLld(triple)) {
    const cc = await which("cc", pathEnv);
    return cc ? { path: cc, kind: "cc" } : undefined;
  }
  const inSysroot = rustLldPath(sysroot, host);
  if (await isExecutable(inSysroot)) return { path: inSysroot, kind: "rust-lld" };
  return findSystemLld(pathEnv);
}

/** The distribution's lld (`ld.lld`, Debian package `lld`), to stand in for rust-lld. */
export async function findSystemLld(pathEnv = process.env.PATH): Promise<LinkerFound | undefined> {
  const lld = await which("ld.lld", pathEnv);
  return lld ? { path: lld, kind: "ld.lld" } : undefined;
}
