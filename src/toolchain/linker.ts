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

/**
 * The distribution's lld, to stand in for rust-lld: the one of the compiler's LLVM major version first
 * (`ld.lld-22`, Debian's `lld-22`, for a compiler on LLVM 22), then plain `ld.lld` (Debian's `lld`). An older
 * lld cannot link every target: LLVM 14's stops at LoongArch's relocations ("unknown relocation (71)").
 */
export async function findSystemLld(pathEnv = process.env.PATH, llvmVersion?: string): Promise<LinkerFound | undefined> {
  const major = llvmVersion ? /^(\d+)/.exec(llvmVersion)?.[1] : undefined;
  for (const name of [...(major ? [`ld.lld-${major}`] : []), "ld.lld"]) {
    const lld = await which(name, pathEnv);
    if (lld) return { path: lld, kind: "ld.lld" };
  }
  return undefined;
}

/** The Debian package of the lld that matches an LLVM version (`lld-22`), for messages. */
export function lldPackageFor(llvmVersion: string | undefined): string {
  const major = llvmVersion ? /^(\d+)/.exec(llvmVersion)?.[1] : undefined;
  return major ? `lld-${major}` : "lld";
}
