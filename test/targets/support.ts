import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { TARGETS } from "../../src/targets/catalog.js";
import type { TargetInfo } from "../../src/targets/types.js";
import { runCli } from "../support/cli.js";

/**
 * A crate directory named after a target: its id, with the dots of `thumbv8m.main-…` as dashes (the name is the
 * package's, and a package name has no dots).
 */
export function crateDirFor(dir: string, target: TargetInfo): string {
  return path.join(dir, target.id.replace(/\./g, "-"));
}

/** The catalogue's bare-metal targets: the ones these tests boot in QEMU. */
export const QEMU_TARGETS: readonly TargetInfo[] = TARGETS.filter((t) => t.flavour === "qemu");

interface Readiness {
  id: string;
  ready: boolean;
  core: { ok: boolean; detail: string; fix: string | null };
  linker: { ok: boolean; fix: string | null };
  qemu: { ok: boolean; debianPackage: string } | null;
}

let readiness: Map<string, Readiness> | undefined;

/**
 * Why `target` cannot be built and booted here (for `t.skip`), or undefined when it can. Asked through our
 * own `freestand targets --format json`, once per test file; scripts/ensure-env.sh builds the sysroots and
 * installs QEMU, so a skip means that step could not run.
 */
export function notReadyReason(target: TargetInfo): string | undefined {
  if (!readiness) {
    const r = runCli(["targets", "--format", "json"]);
    if (r.code !== 0 && r.code !== 1) throw new Error(`freestand targets failed: ${r.stderr}`);
    readiness = new Map((JSON.parse(r.stdout) as Readiness[]).map((x) => [x.id, x]));
  }
  // A board is ready when its target is.
  const t = readiness.get(target.board?.base ?? target.id);
  if (!t) return `${target.id} is not in \`freestand targets\``;
  if (t.ready) return undefined;
  if (!t.core.ok) return `no core for ${target.id} (${t.core.fix ?? t.core.detail}; scripts/ensure-env.sh builds it)`;
  if (!t.linker.ok) return `no linker for ${target.id} (${t.linker.fix ?? "install lld"})`;
  if (t.qemu && !t.qemu.ok) return `QEMU for ${target.id} is missing (apt-get install ${t.qemu.debianPackage})`;
  return `${target.id} is not ready`;
}

/** The two lines every generated binary prints first. */
export function greeting(name: string, triple: string): string {
  return `Hello from ${name}, a freestanding Rust program on ${triple}!\nThe answer is 42, and 22/7 is about 3.143.\n`;
}

/** Edits the generated main.rs: `replace` the first occurrence of `find` (which must exist). */
export function editMain(crate: string, find: string, replace: string): void {
  const file = path.join(crate, "src", "main.rs");
  const src = readFileSync(file, "utf8");
  if (!src.includes(find)) throw new Error(`${file} has no \`${find}\``);
  writeFileSync(file, src.replace(find, replace));
}

/** Makes the generated program panic right after its greeting. */
export function makePanic(crate: string): void {
  editMain(crate, '    console::exit(0)\n}', '    let divisor = answer - 42;\n    panic!("deliberate panic: {answer} / {divisor}");\n}');
}

/** Makes the generated program print its greeting and then never stop. */
export function makeEndless(crate: string): void {
  editMain(crate, '    console::exit(0)\n}', '    #[allow(clippy::empty_loop)]\n    loop {}\n}');
}

export function elfPath(crate: string, triple: string, profile: "debug" | "release"): string {
  return path.join(crate, "target", triple, profile, path.basename(crate));
}
