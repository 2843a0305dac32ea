/**
 * `size --diff-with <git-ref>`: the crate built as it was at another revision, in a temporary git worktree (the
 * user's own tree is never touched), with the same cargo flags; the worktree is removed afterwards.
 */
import { promises as fsp } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FreestandError } from "../errors.js";
import { capture } from "../util/process.js";
import { selectionFrom, type CargoFlagValues } from "./cargo-flags.js";
import { buildWithProgress } from "./commands/build.js";

export async function withOldBuild<T>(given: string | undefined, flags: CargoFlagValues, ref: string, use: (oldElf: string) => Promise<T>): Promise<T> {
  const crate = path.resolve(given ?? ".");
  const top = await capture("git", ["rev-parse", "--show-toplevel"], { cwd: crate, timeout: 30_000 }).catch(() => undefined);
  if (!top || top.exitCode !== 0) throw new FreestandError(`${given ?? "this directory"} is not in a git repository: --diff-with builds the crate at another revision of one.`);
  const root = top.stdout.trim();
  const commit = await capture("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: root, timeout: 30_000 });
  if (commit.exitCode !== 0) throw new FreestandError(`\`${ref}\` is not a revision of the repository at ${root}.`);
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "freestand-diff-with-"));
  const tree = path.join(dir, "tree");
  try {
    const add = await capture("git", ["worktree", "add", "--detach", "--quiet", tree, commit.stdout.trim()], { cwd: root, timeout: 120_000 });
    if (add.exitCode !== 0) throw new FreestandError(`git could not check out \`${ref}\`: ${add.stderr.trim().split("\n")[0]}`);
    const oldCrate = path.join(tree, path.relative(root, crate));
    // Its own target directory: a shared one (--target-dir, CARGO_TARGET_DIR) would overwrite the new ELF.
    const oldFlags = { ...flags, targetDir: path.join(dir, "target") };
    const built = await buildWithProgress({ selection: selectionFrom(oldFlags, oldCrate), flags: { ...oldFlags, format: "human" } });
    const bin = built.success ? built.artifacts.find((a) => a.kind === "bin") : undefined;
    if (!bin) throw new FreestandError(`the crate did not build at \`${ref}\`, so there is nothing to compare with.`);
    return await use(bin.path);
  } finally {
    await capture("git", ["worktree", "remove", "--force", tree], { cwd: root, timeout: 60_000 }).catch(() => undefined);
    await fsp.rm(dir, { recursive: true, force: true });
    await capture("git", ["worktree", "prune"], { cwd: root, timeout: 60_000 }).catch(() => undefined);
  }
}
