import * as p from "@clack/prompts";
import { existsSync, readdirSync, statSync } from "node:fs";
import { listTargets } from "../../targets/catalog.js";
import { listBoards } from "../../targets/boards.js";
import { crateNameProblem } from "../../scaffold/crate-name.js";
import { defaultCrateName, EDITIONS, type Edition, type ScaffoldOptions } from "../../scaffold/index.js";

/** What the flags already answered: those questions are never asked. */
export interface Answered {
  dir: boolean;
  kind: boolean;
  target: boolean;
  edition: boolean;
  alloc: boolean;
}

/** Why a directory cannot take the new crate (for the prompt's validation), or undefined. */
function directoryProblem(dir: string, force: boolean | undefined): string | undefined {
  if (!dir.trim()) return "A directory is needed.";
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return `${dir} exists and is not a directory.`;
  if (!force && readdirSync(dir).length > 0) return `${dir} is not empty; choose another (or pass --force).`;
  return undefined;
}

/** Asks, on a terminal, for the choices `freestand new` was not given. Returns undefined when cancelled. */
export async function askMissingChoices(opts: ScaffoldOptions, given: Answered): Promise<ScaffoldOptions | undefined> {
  const out = { ...opts };
  const catalogued = listTargets().find((t) => t.id === out.target || t.triple === out.target) ?? listBoards().find((b) => b.id === out.board);
  const nothingToAsk =
    given.dir &&
    given.kind &&
    given.target &&
    given.edition &&
    (given.alloc || out.lib || catalogued?.flavour === "host") &&
    (out.name !== undefined || !crateNameProblem(defaultCrateName(out.dir)));
  // Every choice came with a flag: no prompt at all, not even its frame.
  if (nothingToAsk) return out;
  p.intro("freestand new");
  if (!given.dir) {
    const dir = await p.text({ message: "Directory for the new crate", placeholder: "hello", validate: (v) => directoryProblem(v ?? "", opts.force) });
    if (p.isCancel(dir)) return cancelled();
    out.dir = dir;
  }
  if (out.name === undefined && crateNameProblem(defaultCrateName(out.dir))) {
    const name = await p.text({
      message: "Package name",
      validate: (v) => crateNameProblem(v ?? ""),
    });
    if (p.isCancel(name)) return cancelled();
    out.name = name;
  }
  if (!given.kind) {
    const kind = await p.select({
      message: "What do you want to create?",
      options: [
        { value: "bin", label: "a binary", hint: "boots and prints" },
        { value: "lib", label: "a library", hint: "no_std, unit-tested on the host" },
      ],
    });
    if (p.isCancel(kind)) return cancelled();
    out.lib = kind === "lib";
  }
  if (!given.target) {
    // A binary can be for a real board too (its value says so: boards and targets share no name).
    const boards = out.lib ? [] : listBoards().map((b) => ({ value: `board:${b.id}`, label: `${b.id} (board)`, hint: b.description }));
    const target = await p.select({
      message: out.lib ? "Target the library is built for" : "Target or board",
      options: [...listTargets().map((t) => ({ value: t.id, label: t.id, hint: t.description })), ...boards],
    });
    if (p.isCancel(target)) return cancelled();
    if (target.startsWith("board:")) out.board = target.slice("board:".length);
    else out.target = target;
  }
  if (!given.edition) {
    const edition = await p.select({
      message: "Rust edition",
      options: EDITIONS.map((e) => ({ value: e, label: e })),
      initialValue: "2024" as Edition,
    });
    if (p.isCancel(edition)) return cancelled();
    out.edition = edition;
  }
  const target = listTargets().find((t) => t.id === out.target || t.triple === out.target) ?? listBoards().find((b) => b.id === out.board);
  if (!given.alloc && !out.lib && target && target.flavour !== "host") {
    const alloc = await p.confirm({ message: "Add a heap allocator (String, Vec, Box)?", initialValue: false });
    if (p.isCancel(alloc)) return cancelled();
    out.alloc = alloc;
  }
  p.outro("Creating the crate");
  return out;
}

function cancelled(): undefined {
  p.cancel("Nothing was created.");
  return undefined;
}
