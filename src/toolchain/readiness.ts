import { promises as fsp } from "node:fs";
import { findTarget } from "../targets/catalog.js";
import { findQemu } from "./qemu.js";
import { findLinker, lldPackageFor, needsRustLld, type LinkerFound } from "./linker.js";
import { coreFixCommand, describeRustc, locateCore, rustupAlternative } from "./invocation.js";
import type { TargetReadiness } from "./types.js";

export interface ReadinessOptions {
  /** Directory whose toolchain counts (rust-toolchain.toml); default: the current directory. */
  crateDir?: string;
  env?: NodeJS.ProcessEnv;
  sysrootRoot?: string;
}

/**
 * Can freestand build and run `triple` here? Three parts: a `core` (prebuilt or a cached sysroot), a linker,
 * and for QEMU targets the emulator. Each missing part carries the command that fixes it.
 */
export async function targetReadiness(triple: string, opts: ReadinessOptions = {}): Promise<TargetReadiness> {
  const env = opts.env ?? process.env;
  const crateDir = opts.crateDir ?? process.cwd();
  const info = findTarget(triple);
  const realTriple = info?.triple ?? triple;
  const { rustc, discovered, source } = await locateCore({ crateDir, triple: realTriple, env, sysrootRoot: opts.sysrootRoot });

  const core: TargetReadiness["core"] =
    source.kind === "prebuilt"
      ? { id: "core", name: `core for ${realTriple}`, ok: true, required: true, detail: `prebuilt in ${describeRustc(rustc)}`, source }
      : source.kind === "cached-sysroot"
        ? { id: "core", name: `core for ${realTriple}`, ok: true, required: true, detail: `built from source for ${describeRustc(rustc)} at ${source.sysroot}`, source }
        : {
            id: "core",
            name: `core for ${realTriple}`,
            ok: false,
            required: true,
            detail: `${describeRustc(discovered)} has none and no sysroot is cached${rustupAlternative(realTriple, discovered)}`,
            fix: coreFixCommand(realTriple),
            source,
          };

  const sysroot = source.kind === "cached-sysroot" ? source.sysroot : rustc.sysroot;
  const found = await findLinker(realTriple, sysroot, rustc.host, env.PATH);
  const linker: TargetReadiness["linker"] = found
    ? { id: "linker", name: `linker for ${realTriple}`, ok: true, required: true, detail: await linkerDetail(found), path: found.path }
    : {
        id: "linker",
        name: `linker for ${realTriple}`,
        ok: false,
        required: true,
        detail: needsRustLld(realTriple) ? "no rust-lld in the sysroot and no ld.lld on PATH" : "no C compiler driver (cc) on PATH",
        fix: needsRustLld(realTriple) ? `apt-get install ${lldPackageFor(rustc.llvmVersion)}` : "apt-get install gcc",
      };

  let qemu: TargetReadiness["qemu"];
  if (info?.qemu) {
    const p = await findQemu(info.qemu, env.PATH);
    const base = { id: "qemu", name: `${info.qemu.binary} for ${realTriple}`, required: true, binary: info.qemu.binary, debianPackage: info.qemu.debianPackage };
    qemu = p
      ? { ...base, ok: true, detail: p, path: p }
      : { ...base, ok: false, detail: `${info.qemu.binary} is not on PATH`, fix: `apt-get install ${info.qemu.debianPackage}` };
  }
  return { triple: realTriple, core, linker, qemu, ready: core.ok && linker.ok && (qemu?.ok ?? true) };
}

/** Which linker, and what it really is: a sysroot's rust-lld is often a link to the distribution's lld. */
async function linkerDetail(found: LinkerFound): Promise<string> {
  const real = await fsp.realpath(found.path).catch(() => found.path);
  return real === found.path ? `${found.kind} (${found.path})` : `${found.kind} (${found.path} → ${real})`;
}
