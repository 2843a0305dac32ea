import * as p from "@clack/prompts";
import { listTargets } from "../../targets/catalog.js";
import { crateNameProblem } from "../../scaffold/crate-name.js";
import { defaultCrateName, EDITIONS, type Edition, type ScaffoldOptions } from "../../scaffold/index.js";

/** Asks, on a terminal, for the choices `freestand new` was not given. Returns undefined when cancelled. */
export async function askMissingChoices(opts: ScaffoldOptions, given: { kindGiven: boolean }): Promise<ScaffoldOptions | undefined> {
  const out = { ...opts };
  p.intro("freestand new");
  if (out.name === undefined && crateNameProblem(defaultCrateName(out.dir))) {
    const name = await p.text({
      message: "Package name",
      validate: (v) => crateNameProblem(v ?? ""),
    });
    if (p.isCancel(name)) return cancelled();
    out.name = name;
  }
  if (!given.kindGiven) {
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
  if (out.target === undefined && !out.lib) {
    const target = await p.select({
      message: "Target",
      options: listTargets().map((t) => ({ value: t.id, label: t.id, hint: t.description })),
    });
    if (p.isCancel(target)) return cancelled();
    out.target = target;
  }
  if (out.edition === undefined) {
    const edition = await p.select({
      message: "Rust edition",
      options: EDITIONS.map((e) => ({ value: e, label: e })),
      initialValue: "2024" as Edition,
    });
    if (p.isCancel(edition)) return cancelled();
    out.edition = edition;
  }
  const target = listTargets().find((t) => t.id === out.target || t.triple === out.target);
  if (out.alloc === undefined && !out.lib && target && target.flavour !== "host") {
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
