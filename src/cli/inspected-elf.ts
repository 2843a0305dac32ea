import path from "node:path";
import { promises as fsp } from "node:fs";
import { FreestandError } from "../errors.js";
import type { TargetInfo } from "../targets/types.js";
import type { Artifact, BuildResult } from "../build/index.js";
import { buildWithProgress, type BuildFlags } from "./commands/build.js";
import { selectionFrom } from "./cargo-flags.js";
import { kindOf } from "../util/fs.js";

/**
 * What `size` and `verify` look at: the ELF file given, or — given a crate directory or nothing — the crate's
 * binaries, built (or found fresh) with the same flags `build` takes, as `cargo size` does.
 */
export type Inspected =
  | { kind: "file"; file: string; target?: TargetInfo; note?: string }
  | { kind: "built"; built: BuildResult; binaries: Artifact[] };

/** The target of an ELF file: --target, else the file's own markers, with the crate's configured target settling a tie. */
async function fileTarget(file: string, flagTarget: string | undefined): Promise<{ target?: TargetInfo; note?: string }> {
  const { requireMachine } = await import("../targets/boards.js");
  if (flagTarget) return { target: requireMachine(flagTarget) };
  const { inferTargetOfFile } = await import("../run/index.js");
  const { buildTarget } = await import("../build/index.js");
  const configured = await buildTarget({ cwd: process.cwd() }).catch(() => undefined);
  const r = await inferTargetOfFile(file, configured).catch(() => undefined);
  if (!r || r.target) return r?.target ? { target: r.target } : {};
  const note =
    r.candidates.length === 0
      ? `${path.basename(file)} is a ${r.described} file, which no target of the catalogue matches: only the checks that need no target ran (pass --target)`
      : `${path.basename(file)} could be for ${r.candidates.map((t) => t.id).join(" or ")}: pass --target to check it against one`;
  return { note };
}

export async function inspected(given: string | undefined, flags: BuildFlags, verb: "size" | "verify" | "stack"): Promise<Inspected> {
  const st = given ? await fsp.stat(given).catch(() => undefined) : undefined;
  if (given && !st) throw new FreestandError(`${given} does not exist.`);
  if (st && !st.isFile() && !st.isDirectory()) throw new FreestandError(`${given} is ${kindOf(st)}: give an ELF file or a crate directory.`);
  if (st?.isFile()) return { kind: "file", file: path.resolve(given!), ...(await fileTarget(given!, flags.target)) };
  const { loadProject, chooseExecutable } = await import("../build/index.js");
  let selection = selectionFrom(flags, given);
  const project = await loadProject(selection);
  if (verb !== "verify") {
    // One binary, chosen like `cargo run` chooses (and said before building).
    const exe = chooseExecutable(project, selection, verb);
    if (exe) selection = { ...selection, packages: [exe.package.name], ...(exe.kind === "bin" ? { bins: [exe.name], examples: undefined } : { examples: [exe.name], bins: undefined }) };
  }
  const built = await buildWithProgress({ selection, flags: { ...flags, format: "human" }, project });
  const binaries = built.artifacts.filter((a) => a.kind === "bin");
  return { kind: "built", built, binaries };
}
