import { promises as fsp } from "node:fs";
import path from "node:path";

/** `<sysroot>/lib/rustlib/<triple>/lib`: where rustc looks for a target's precompiled `core`. */
export function targetLibDir(sysroot: string, triple: string): string {
  return path.join(sysroot, "lib", "rustlib", triple, "lib");
}

/** Does this sysroot hold a `core` for the triple (rustup's rust-std component, or a built one)? */
export async function hasCore(sysroot: string, triple: string): Promise<boolean> {
  const names = await fsp.readdir(targetLibDir(sysroot, triple)).catch(() => [] as string[]);
  return names.some((n) => /^libcore-[0-9a-f]+\.rlib$/.test(n));
}

/** Every target whose `core` the sysroot holds. */
export async function installedTargets(sysroot: string): Promise<string[]> {
  const dirs = await fsp.readdir(path.join(sysroot, "lib", "rustlib"), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const d of dirs) if (d.isDirectory() && (await hasCore(sysroot, d.name))) out.push(d.name);
  return out.sort();
}
