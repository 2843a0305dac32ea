import { promises as fsp } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { FreestandError } from "../errors.js";
import { requireTarget } from "../targets/catalog.js";
import type { TargetInfo } from "../targets/types.js";
import { renderTemplates, type TemplateFlags, type TemplateVars } from "../templates/render.js";
import { writeFileAtomic } from "../util/fs.js";
import { crateNameProblem } from "./crate-name.js";

export const EDITIONS = ["2024", "2021"] as const;
export type Edition = (typeof EDITIONS)[number];

export interface ScaffoldOptions {
  /** Directory to create (or fill, when empty). */
  dir: string;
  /** Package name; default: the directory's name. */
  name?: string;
  /** A no_std library instead of a binary. */
  lib?: boolean;
  /** Catalogue id or triple; default `host`. */
  target?: string;
  edition?: Edition;
  /** Include a heap and a `#[global_allocator]` (bare-metal binary templates). */
  alloc?: boolean;
  /** Write into a non-empty directory, replacing the files the template provides. */
  force?: boolean;
}

export interface ScaffoldResult {
  dir: string;
  name: string;
  kind: "bin" | "lib";
  target: TargetInfo;
  edition: Edition;
  /** Paths relative to `dir`, sorted. */
  files: string[];
  /** Files that existed and were replaced (only with `force`). */
  replaced: string[];
}

export function defaultCrateName(dir: string): string {
  return path.basename(path.resolve(dir));
}

/** Checks the options without touching the disk, so that bad input never leaves anything behind. */
export function resolveScaffoldOptions(opts: ScaffoldOptions): { name: string; kind: "bin" | "lib"; target: TargetInfo; edition: Edition; alloc: boolean } {
  const name = opts.name ?? defaultCrateName(opts.dir);
  const problem = crateNameProblem(name);
  if (problem) {
    const hint = opts.name === undefined ? " (the name comes from the directory; choose another with --name)" : "";
    throw new FreestandError(`invalid package name: ${problem}${hint}.`);
  }
  const edition = opts.edition ?? "2024";
  if (!EDITIONS.includes(edition)) throw new FreestandError(`unsupported edition \`${edition}\`; use ${EDITIONS.join(" or ")}.`);
  const target = requireTarget(opts.target ?? "host");
  const kind = opts.lib ? "lib" : "bin";
  const alloc = Boolean(opts.alloc);
  if (alloc && kind === "lib") throw new FreestandError("--alloc applies to binaries; a library can use `alloc` without choosing an allocator.");
  if (alloc && target.flavour === "host") {
    throw new FreestandError("--alloc is available for the bare-metal targets; the host template has no heap.");
  }
  return { name, kind, target, edition, alloc };
}

/** A size in linker-script notation: `4M`, `256K`, or bytes. */
function linkerSize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}M`;
  if (bytes % 1024 === 0) return `${bytes / 1024}K`;
  return String(bytes);
}

/**
 * What a crate is rendered from: the template directories in order (a later one's file replaces an earlier
 * one's), the placeholders' values and the flags the `{{#if}}` blocks read. The one place that turns catalogue
 * facts into template input, so that a shared template (templates/cortex-m/link.x) takes each board's sizes
 * from the catalogue instead of repeating them.
 */
export function templatePlan(
  target: TargetInfo,
  kind: "bin" | "lib",
  alloc: boolean,
  crate: { name: string; edition: string },
): { layers: string[]; vars: TemplateVars; flags: TemplateFlags } {
  const size = (bytes: number | undefined) => (bytes === undefined ? undefined : linkerSize(bytes));
  const region = (k: "flash" | "ram") => size(target.memory.find((r) => r.kind === k)?.length);
  const vars: TemplateVars = {
    name: crate.name,
    crate: crate.name.replace(/-/g, "_"),
    edition: crate.edition,
    triple: target.triple,
    target: target.id,
    flash_size: region("flash"),
    ram_size: region("ram"),
    stack_size: target.stackSize ? size(target.stackSize) : undefined,
    heap_size: size(target.heapSize),
  };
  return {
    layers: kind === "lib" ? ["lib"] : ["common", ...target.layers],
    vars,
    // `fpu`: the boot code must turn the FPU on before the first float instruction (Cortex-M4F, RV64GC).
    flags: { alloc, fpu: target.hasFpu },
  };
}

async function directoryState(dir: string): Promise<"missing" | "empty" | "non-empty"> {
  let st;
  try {
    st = await fsp.stat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw err;
  }
  if (!st.isDirectory()) throw new FreestandError(`${dir} exists and is not a directory.`);
  return (await fsp.readdir(dir)).length === 0 ? "empty" : "non-empty";
}

/**
 * Creates a freestanding crate. The files are rendered in memory first, then written into a temporary
 * sibling directory that is renamed into place: an interrupted `new` leaves nothing half-written.
 * A non-empty directory is refused unless `force`, which replaces only the files the template provides.
 */
export async function scaffold(opts: ScaffoldOptions): Promise<ScaffoldResult> {
  const { name, kind, target, edition, alloc } = resolveScaffoldOptions(opts);
  const dir = path.resolve(opts.dir);
  const state = await directoryState(dir);
  if (state === "non-empty" && !opts.force) {
    throw new FreestandError(`${opts.dir} is not empty; choose another directory or pass --force to write into it.`);
  }
  const { layers, vars, flags } = templatePlan(target, kind, alloc, { name, edition });
  const files = await renderTemplates(layers, vars, flags);

  const replaced: string[] = [];
  if (state === "non-empty") {
    for (const [rel, text] of files) {
      const file = path.join(dir, rel);
      await fsp.mkdir(path.dirname(file), { recursive: true });
      if (await fsp.stat(file).then(() => true, () => false)) replaced.push(rel);
      await writeFileAtomic(file, text);
    }
  } else {
    const parent = path.dirname(dir);
    await fsp.mkdir(parent, { recursive: true });
    const staging = path.join(parent, `.freestand-tmp-${path.basename(dir)}-${randomBytes(4).toString("hex")}`);
    try {
      for (const [rel, text] of files) {
        const file = path.join(staging, rel);
        await fsp.mkdir(path.dirname(file), { recursive: true });
        await fsp.writeFile(file, text);
      }
      if (state === "empty") await fsp.rmdir(dir);
      await fsp.rename(staging, dir);
    } catch (err) {
      await fsp.rm(staging, { recursive: true, force: true });
      throw err;
    }
  }
  return { dir, name, kind, target, edition, files: [...files.keys()], replaced };
}
