import path from "node:path";
import { promises as fsp } from "node:fs";
import type { CargoConfig } from "../cargo/config.js";
import { valueAt } from "../cargo/toml.js";
import { readTextFile } from "../util/fs.js";

/**
 * Something cargo does not read that may choose the target: a Makefile or justfile that passes `--target`, a
 * cargo alias with `--target`, an xtask or another package's build script that runs cargo for a target. freestand
 * cannot know what they pass (variables, board choices), so it only says they exist.
 */
export interface TargetDriver {
  /** A path, or `alias.<name>` in a config file. */
  where: string;
  /** The target it names, when it names one literally. */
  target?: string;
}

const DRIVER_FILES = ["Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", ".justfile", "Makefile.toml"];
/** Literal triples (`thumbv7em-none-eabihf`) and spec files (`x86_64-os.json`), not `$(TARGET)`. */
const TARGET_ARG = /--target(?:\s*=\s*|\s+)["']?([A-Za-z0-9_.\/-]+-[A-Za-z0-9_.\/-]+)/;
const TARGET_VAR = /^\s*(?:export\s+)?[A-Z_]*TARGET[A-Z_]*\s*[:?+]?=\s*["']?([A-Za-z0-9_.-]+-[A-Za-z0-9_.-]+(?:\.json)?)/m;

function driverOf(where: string, text: string): TargetDriver | undefined {
  if (!/--target\b|CARGO_BUILD_TARGET/.test(text)) return undefined;
  const target = TARGET_ARG.exec(text)?.[1] ?? TARGET_VAR.exec(text)?.[1];
  return target && !target.includes("$") ? { where, target } : { where };
}

async function readSmall(file: string): Promise<string | undefined> {
  try {
    return await readTextFile(file, 1 << 20);
  } catch {
    return undefined;
  }
}

/** The directory and its parents up to the repository root (the one holding `.git`), at most six levels. */
async function upToRepoRoot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (let d = path.resolve(dir), i = 0; i < 6; d = path.dirname(d), i++) {
    out.push(d);
    if (path.dirname(d) === d) break;
    const git = await fsp.stat(path.join(d, ".git")).catch(() => undefined);
    if (git) break;
  }
  return out;
}

export interface DriverSearch {
  /** Directories whose driver files count (the package's, the one cargo runs in); their parents up to the repository root are searched too. */
  dirs: string[];
  config: CargoConfig;
  /** Texts of build programs of the workspace (an xtask's sources, other packages' build scripts), by path. */
  programs: { path: string; text: string }[];
}

export async function findTargetDrivers(search: DriverSearch): Promise<TargetDriver[]> {
  const out: TargetDriver[] = [];
  const dirs = new Set<string>();
  for (const d of search.dirs) for (const up of await upToRepoRoot(d)) dirs.add(up);
  for (const d of dirs) {
    const entries = await fsp.readdir(d).catch(() => [] as string[]);
    const scripts = (await fsp.readdir(path.join(d, "scripts")).catch(() => [] as string[])).filter((e) => e.endsWith(".sh")).map((e) => path.join("scripts", e));
    for (const name of [...DRIVER_FILES.filter((f) => entries.includes(f)), ...entries.filter((e) => e.endsWith(".sh")), ...scripts]) {
      const file = path.join(d, name);
      const text = await readSmall(file);
      const driver = text === undefined ? undefined : driverOf(file, text);
      if (driver) out.push(driver);
    }
    // A JSON target spec beside the crate is passed on the command line (`--target x86_64-os.json`) when no
    // configuration names it.
    for (const name of entries.filter((e) => e.endsWith(".json"))) {
      const text = await readSmall(path.join(d, name));
      if (text && /"llvm-target"\s*:/.test(text) && /"arch"\s*:/.test(text)) out.push({ where: path.join(d, name), target: name });
    }
  }
  for (const doc of search.config.files) {
    const aliases = valueAt(doc.value, ["alias"]);
    if (!aliases || typeof aliases !== "object") continue;
    for (const [name, v] of Object.entries(aliases as Record<string, unknown>)) {
      const text = Array.isArray(v) ? v.join(" ") : typeof v === "string" ? v : "";
      const driver = driverOf(`alias \`${name}\` in ${doc.path}`, text);
      if (driver) out.push(driver);
    }
  }
  for (const p of search.programs) {
    const driver = /\bcargo\b|CARGO/.test(p.text) ? driverOf(p.path, p.text.replace(/"--target"\s*,\s*/g, "--target ").replace(/"/g, " ")) : undefined;
    if (driver) out.push(driver);
  }
  return out;
}
