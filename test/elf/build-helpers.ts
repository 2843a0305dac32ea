import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hasCommand, ROOT, sh, tempDir } from "../support/cli.js";

/**
 * Builds the ELF files the ELF tests need, at test time, with the real compilers (gcc, arm-none-eabi-gcc,
 * powerpc-linux-gnu-gcc, ld.lld, cargo). Nothing binary is committed: each test says how its input was made.
 */

export const FIXTURES = path.join(ROOT, "test", "fixtures", "elf");

const work = tempDir("freestand-elf-");
process.on("exit", () => work.cleanup());

/** A fresh directory under this test process's scratch directory. */
export function scratch(name: string): string {
  const dir = path.join(work.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs a build step; a failure throws with the tool's output, so a broken fixture is never mistaken for a pass. */
export function mustRun(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = sh(cmd, args, { ...opts, timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Why a tool-dependent test must be skipped, or undefined when every tool is there. */
export function missing(...tools: string[]): string | undefined {
  const absent = tools.filter((t) => !hasCommand(t));
  return absent.length ? `needs ${absent.join(", ")} (install with scripts/ensure-env.sh)` : undefined;
}

/** Compiles a C or assembly fixture from test/fixtures/elf/c/ into `out` with the given compiler and flags. */
export function compile(compiler: string, sources: string[], out: string, flags: string[], libs: string[] = []): string {
  const dir = scratch("c");
  const output = path.join(dir, out);
  // Libraries after the sources: the linker resolves left to right.
  mustRun(compiler, [...flags, "-o", output, ...sources.map((s) => path.join(FIXTURES, "c", s)), ...libs]);
  return output;
}

/** Copies a fixture crate to scratch space and builds it with cargo; returns the crate directory. */
export function cargoBuild(crate: string, args: string[], env: NodeJS.ProcessEnv = {}, prepare?: (dir: string) => void): string {
  const dir = scratch(`crate-${crate}-${Math.random().toString(36).slice(2, 8)}`);
  cpSync(path.join(FIXTURES, crate), dir, { recursive: true });
  prepare?.(dir);
  mustRun("cargo", ["build", "--offline", "--quiet", ...args], { cwd: dir, env: { CARGO_TARGET_DIR: path.join(dir, "target"), ...env } });
  return dir;
}

/** The rustc-demangle sources vendored in Debian's rust-web-src (the reference demangler), if installed. */
export function vendoredRustcDemangle(): string | undefined {
  const src = "/usr/src";
  if (!existsSync(src)) return undefined;
  for (const rustc of readdirSync(src).filter((d) => d.startsWith("rustc-")).sort().reverse()) {
    const vendor = path.join(src, rustc, "library", "vendor");
    if (!existsSync(vendor)) continue;
    const crate = readdirSync(vendor).find((d) => d.startsWith("rustc-demangle-"));
    if (crate) return path.join(vendor, crate);
  }
  return undefined;
}

/**
 * Builds test/fixtures/elf/demangle-ref against the vendored rustc-demangle (copied beside it with a minimal
 * manifest: the vendor tree's own workspace manifest needs nightly cargo). `mangling` picks the symbol scheme of
 * the crate's own items: stable rustc mangles user crates in the legacy scheme by default (and refuses
 * `-C symbol-mangling-version=legacy` without -Z), while v0 is a stable flag.
 */
export function buildDemangleRef(mangling: "legacy" | "v0"): string {
  const vendored = vendoredRustcDemangle();
  if (!vendored) throw new Error("rustc-demangle sources not found");
  const dir = cargoBuild("demangle-ref", ["--release"], mangling === "v0" ? { RUSTFLAGS: "-C symbol-mangling-version=v0" } : {}, (d) => {
    const lib = path.join(d, "rustc-demangle");
    cpSync(path.join(vendored, "src"), path.join(lib, "src"), { recursive: true });
    writeFileSync(path.join(lib, "Cargo.toml"), '[package]\nname = "rustc-demangle"\nversion = "0.0.0"\nedition = "2015"\n\n[features]\nstd = []\n');
    const manifest = readFileSync(path.join(d, "Cargo.toml.in"), "utf8").replaceAll("@RUSTC_DEMANGLE@", "rustc-demangle");
    writeFileSync(path.join(d, "Cargo.toml"), manifest);
  });
  const exe = path.join(dir, `demangle-ref-${mangling}`);
  copyFileSync(path.join(dir, "target", "release", "demangle-ref"), exe);
  return exe;
}
