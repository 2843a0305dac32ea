import path from "node:path";
import type { CargoDependency } from "./packages.js";
import type { UnitSpec } from "./manifest.js";
import type { Tri } from "./target.js";

/**
 * Which packages are freestanding, decided per package and only on evidence. A package that says nothing about
 * it is a plain std crate, and the freestanding rules have nothing to tell it.
 */
export type Evidence =
  | { kind: "attribute"; attribute: "no_std" | "no_main"; file: string }
  | { kind: "metadata" }
  | { kind: "runtime"; dependency: string }
  | { kind: "dependent"; of: string }
  | { kind: "target"; triple: string };

/** Why a package is known to run on the host (in the compiler, at build time, or as a developer's tool). */
export type HostReason = { kind: "proc-macro" } | { kind: "tool"; why: string } | { kind: "build-dependency"; of: string };

export interface PackageRole {
  freestanding?: Evidence;
  host?: HostReason;
}

/** Dependencies that only exist for freestanding programs: runtimes, panic handlers, boot and console crates. */
const RUNTIME_CRATES = new Set([
  "cortex-m-rt", "cortex-a-rt", "cortex-r-rt", "riscv-rt", "aarch64-rt", "msp430-rt", "esp-hal", "esp-riscv-rt", "xtensa-lx-rt",
  "cortex-m-semihosting", "semihosting", "defmt-rtt", "rtt-target", "esp-backtrace", "esp-println",
  "bootloader_api", "bootloader", "uefi", "uefi-services", "limine", "multiboot2-header", "embassy-executor-cortex-m",
]);

export function isRuntimeCrate(name: string): boolean {
  return RUNTIME_CRATES.has(name) || /^panic[-_]/.test(name);
}

/** What the role decision needs to know about a package. */
export interface RoleInput {
  name: string;
  dir: string;
  manifestPath: string;
  units: (Pick<UnitSpec, "kind" | "root" | "crateTypes"> & { text: string })[];
  dependencies: CargoDependency[];
  hasFreestandMetadata: boolean;
  /** Does the target cargo builds it for have a std? */
  targetHasStd: Tri;
  targetTriple: string;
  /** `cargo build` from where cargo runs builds this package (a default member, or the package itself). */
  built: boolean;
}

/** `#![no_std]` / `#![no_main]`, plain or under `cfg_attr`, at the top of a crate root (text only, before any item). */
export function rootAttribute(text: string, name: "no_std" | "no_main"): boolean {
  const re = name === "no_std" ? /#!\s*\[\s*(?:no_std\b|cfg_attr\s*\([^\]]*\bno_std\b)/ : /#!\s*\[\s*(?:no_main\b|cfg_attr\s*\([^\]]*\bno_main\b)/;
  return re.test(text);
}

/** A developer's program: an `xtask`, or a package of `fn main` binaries that use std and say nothing else. */
function toolReason(p: RoleInput): string | undefined {
  const base = path.basename(p.dir);
  if (p.name === "xtask" || base === "xtask" || /^xtask[-_]|[-_]xtask$/.test(p.name)) return "it is an xtask, a program that runs on the developer's machine";
  const bins = p.units.filter((u) => u.kind === "bin");
  if (bins.length === 0 || p.units.some((u) => u.kind === "lib")) return undefined;
  const hosted = bins.every((u) => /\bfn\s+main\s*\(/.test(u.text) && /\bstd::|\bprintln!|\beprintln!/.test(u.text));
  return hosted ? "its binaries are `fn main` programs that use std" : undefined;
}

/**
 * Decides every package's role: its own attributes first, then proc-macros and tools (host), metadata and
 * runtime crates, then being a normal dependency of a freestanding package (to a fixpoint), then build-only
 * dependencies (host), and last the configured target when it has no std.
 */
export function decideRoles(inputs: readonly RoleInput[]): Map<string, PackageRole> {
  const roles = new Map<string, PackageRole>();
  const byDir = new Map(inputs.map((p) => [path.resolve(p.dir), p]));
  const byName = new Map(inputs.map((p) => [p.name, p]));
  const workspaceDep = (d: CargoDependency): RoleInput | undefined => (d.path ? byDir.get(path.resolve(d.path)) : byName.get(d.name));
  for (const p of inputs) {
    const role: PackageRole = {};
    const attrUnit = p.units.find((u) => (u.kind === "lib" || u.kind === "bin") && (rootAttribute(u.text, "no_std") || rootAttribute(u.text, "no_main")));
    const tool = toolReason(p);
    if (p.units.some((u) => u.kind === "lib" && u.crateTypes.includes("proc-macro"))) role.host = { kind: "proc-macro" };
    else if (attrUnit) role.freestanding = { kind: "attribute", attribute: rootAttribute(attrUnit.text, "no_std") ? "no_std" : "no_main", file: attrUnit.root };
    else if (tool) role.host = { kind: "tool", why: tool };
    else if (p.hasFreestandMetadata) role.freestanding = { kind: "metadata" };
    else {
      const rt = p.dependencies.find((d) => d.kind === "normal" && isRuntimeCrate(d.name));
      if (rt) role.freestanding = { kind: "runtime", dependency: rt.rename ?? rt.name };
    }
    roles.set(p.manifestPath, role);
  }
  // Normal dependencies of freestanding packages are linked into freestanding programs.
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of inputs) {
      if (!roles.get(p.manifestPath)!.freestanding) continue;
      for (const d of p.dependencies) {
        if (d.kind !== "normal") continue;
        const q = workspaceDep(d);
        const r = q && roles.get(q.manifestPath);
        if (!q || !r || r.freestanding || r.host?.kind === "proc-macro") continue;
        r.freestanding = { kind: "dependent", of: p.name };
        delete r.host;
        changed = true;
      }
    }
  }
  for (const p of inputs) {
    const r = roles.get(p.manifestPath)!;
    if (r.freestanding || r.host) continue;
    const user = inputs.find((q) => q.dependencies.some((d) => d.kind !== "normal" && workspaceDep(d) === p));
    const normalUser = inputs.some((q) => q.dependencies.some((d) => d.kind === "normal" && workspaceDep(d) === p));
    if (user && !normalUser) r.host = { kind: "build-dependency", of: user.name };
    else if (p.built && p.targetHasStd === false) r.freestanding = { kind: "target", triple: p.targetTriple };
  }
  return roles;
}

export function describeEvidence(e: Evidence): string {
  switch (e.kind) {
    case "attribute":
      return `its crate root says \`#![${e.attribute}]\``;
    case "metadata":
      return "its Cargo.toml has `[package.metadata.freestand]`";
    case "runtime":
      return `it depends on \`${e.dependency}\``;
    case "dependent":
      return `the freestanding package \`${e.of}\` depends on it`;
    case "target":
      return `it is built for \`${e.triple}\`, which has no std`;
  }
}
