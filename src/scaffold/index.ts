import { promises as fsp } from "node:fs";
import path from "node:path";
import { describeError, FreestandError } from "../errors.js";
import { findTarget, listTargets } from "../targets/catalog.js";
import { findBoard, listBoards } from "../targets/boards.js";
import { addressText } from "../util/bytes.js";
import { closestName } from "../targets/suggest.js";
import type { TargetInfo } from "../targets/types.js";
import { allTemplateOutputPaths, renderTemplates, type TemplateFlags, type TemplateVars } from "../templates/render.js";
import { placeTree } from "./place-tree.js";
import { crateNameProblem } from "./crate-name.js";
import { cargoConfigToml, rustflagsTable } from "../templates/cargo-config.js";
import { rustAnalyzerToml, vscodeSettings } from "../templates/editor-settings.js";
export { crateNameProblem } from "./crate-name.js";

import { EDITIONS, type Edition } from "./editions.js";

export { EDITIONS, type Edition };

export interface ScaffoldOptions {
  /** Directory to create (or fill, when empty). */
  dir: string;
  /** Package name; default: the directory's name. */
  name?: string;
  /** A no_std library instead of a binary. */
  lib?: boolean;
  /** Catalogue id or triple; default `host`. A library also takes any triple rustc knows. */
  target?: string;
  /** A board of the catalogue (`freestand boards`): implies its target. */
  board?: string;
  edition?: Edition;
  /** Include a heap and a `#[global_allocator]` (bare-metal binary templates). */
  alloc?: boolean;
  /** Write into a non-empty directory, replacing the files the template provides. */
  force?: boolean;
  /** `git` (the default, as cargo new): a repository and a .gitignore, unless the directory is inside one. */
  vcs?: "git" | "none";
}

export interface ScaffoldResult {
  dir: string;
  name: string;
  kind: "bin" | "lib";
  /** The triple the crate builds for. */
  triple: string;
  /** The catalogue's record for it (a library may be for a triple the catalogue does not have). */
  target?: TargetInfo;
  /** A library for another target than the host: `.cargo/config.toml` sets it. */
  bareLibrary: boolean;
  /** A library for a triple freestand cannot boot: its tests run on the host (`freestand test --target host`). */
  testedOnHost: boolean;
  edition: Edition;
  /** Paths relative to `dir`, sorted. */
  files: string[];
  /** Files that existed and were replaced (only with `force`). */
  replaced: string[];
  /** Files an earlier template wrote that this one does not have (only with `force`); left in place. */
  leftover: string[];
  /** A git repository was created. */
  git: boolean;
  /** Cargo's warnings about the name, in its words. */
  warnings: string[];
}

export interface ResolvedScaffold {
  name: string;
  kind: "bin" | "lib";
  triple: string;
  target?: TargetInfo;
  edition: Edition;
  alloc: boolean;
  warnings: string[];
}

export function defaultCrateName(dir: string): string {
  return path.basename(path.resolve(dir));
}

/** cargo's warnings about a valid name: `Foo_Bar` works but is not snake_case or kebab-case. */
export function crateNameWarnings(name: string): string[] {
  if (/^[a-z0-9_-]+$/.test(name)) return [];
  return [`package name \`${name}\` is not snake_case or kebab-case which is recommended for package names, consider \`${name.toLowerCase()}\``];
}

/**
 * Checks the options without writing anything, so that bad input never leaves anything behind. A binary needs a
 * catalogue target (its template); a library takes any triple the compiler knows.
 */
export async function resolveScaffoldOptions(opts: ScaffoldOptions, knownTriples: () => Promise<string[]> = defaultKnownTriples): Promise<ResolvedScaffold> {
  const name = opts.name ?? defaultCrateName(opts.dir);
  const problem = crateNameProblem(name);
  if (problem) {
    const hint = opts.name === undefined ? " (the name comes from the directory; choose another with --name)" : "";
    throw new FreestandError(`invalid package name: ${problem}${hint}.`);
  }
  const edition = opts.edition ?? "2024";
  if (!EDITIONS.includes(edition)) throw new FreestandError(`unsupported edition \`${edition}\`; use ${EDITIONS.join(" or ")}.`);
  const kind = opts.lib ? "lib" : "bin";
  if (opts.board !== undefined) return { name, kind, ...boardScaffold(opts, kind), edition, alloc: Boolean(opts.alloc), warnings: crateNameWarnings(name) };
  const wanted = opts.target ?? "host";
  let target = findTarget(wanted);
  let triple = target?.triple ?? wanted;
  if (!target) {
    const rustc = await knownTriples();
    if (!(kind === "lib" && rustc.includes(wanted))) {
      const near = closestName(wanted, [...listTargets().map((t) => t.triple), ...(kind === "lib" ? rustc : [])]);
      const knows = rustc.includes(wanted);
      throw new FreestandError(
        knows
          ? `freestand has no binary template for \`${wanted}\` (rustc knows the triple)${near ? `; did you mean \`${near}\`?` : "."} \`--lib\` makes a library for any target rustc knows; \`freestand targets\` lists the binary templates.`
          : `unknown target \`${wanted}\`${near ? `; did you mean \`${near}\`?` : "."} See \`freestand targets\` (a library takes any triple of \`rustc --print target-list\`).`,
      );
    }
    triple = wanted;
    target = undefined;
  }
  const alloc = Boolean(opts.alloc);
  if (alloc && kind === "lib") throw new FreestandError("--alloc applies to binaries; a library can use `alloc` without choosing an allocator.");
  if (alloc && target?.flavour === "host") {
    throw new FreestandError("--alloc is available for the bare-metal targets; the host template has no heap.");
  }
  return { name, kind, triple, ...(target ? { target } : {}), edition, alloc, warnings: crateNameWarnings(name) };
}

/** `--board`: the board's record, which implies its target (a `--target` beside it must be that one). */
function boardScaffold(opts: ScaffoldOptions, kind: "bin" | "lib"): { triple: string; target: TargetInfo } {
  const board = findBoard(opts.board!);
  if (!board) {
    const near = closestName(opts.board!, listBoards().map((b) => b.id));
    throw new FreestandError(`unknown board \`${opts.board}\`${near ? `; did you mean \`${near}\`?` : "."} The boards freestand knows: ${listBoards().map((b) => b.id).join(", ")} (\`freestand boards\` describes them).`);
  }
  if (kind === "lib") throw new FreestandError(`a board is for a binary; a library for its chip is \`--lib --target ${board.triple}\`.`);
  const given = opts.target === undefined ? undefined : (findTarget(opts.target)?.triple ?? opts.target);
  if (given !== undefined && given !== board.triple) {
    throw new FreestandError(`the board \`${board.id}\` is for ${board.triple}, not ${opts.target}; --board implies the target, so leave out --target.`);
  }
  return { triple: board.triple, target: board };
}

async function defaultKnownTriples(): Promise<string[]> {
  const { rustcTargetList } = await import("../toolchain/target-list.js");
  return rustcTargetList();
}

/** Every board's own template flags: each is defined (false) for every crate, as the renderer requires. */
const BOARD_FLAGS = [...new Set(listBoards().flatMap((b) => b.board?.templateFlags ?? []))];

/** The placeholders of a board's files: what its comments name, and its console's address. */
function boardVars(target: TargetInfo): Partial<TemplateVars> {
  const b = target.board!;
  return { board: b.name, board_name: b.title, chip: b.chip, qemu_machine: b.qemuMachine, console_base: addressText(b.consoleBase) };
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
  library: { triple?: string; hostTriple?: string } = {},
): TemplatePlan {
  const size = (bytes: number | undefined) => (bytes === undefined ? undefined : linkerSize(bytes));
  const hostTriple = library.hostTriple ?? findTarget("host")!.triple;
  const libTriple = library.triple ?? (target.id === "host" ? hostTriple : target.triple);
  // A library for another target than the host says so in .cargo/config.toml and tests on the host.
  const bare = kind === "lib" && libTriple !== hostTriple;
  const region = (k: "flash" | "ram") => size(target.memory.find((r) => r.kind === k)?.length);
  const origin = (k: "flash" | "ram") => {
    const r = target.memory.find((m) => m.kind === k);
    return r ? `0x${r.origin.toString(16).padStart(8, "0")}` : undefined;
  };
  const vars: TemplateVars = {
    name: crate.name,
    crate: crate.name.replace(/-/g, "_"),
    edition: crate.edition,
    // The generated code needs 1.82 (`&raw mut`, unsafe attributes); edition 2024 itself needs 1.85.
    rust_version: crate.edition === "2024" ? "1.85" : "1.82",
    triple: kind === "lib" ? libTriple : target.triple,
    target: kind === "lib" && library.triple ? library.triple : target.id,
    host_triple: hostTriple,
    flash_size: region("flash"),
    ram_size: region("ram"),
    flash_origin: origin("flash"),
    ram_origin: origin("ram"),
    stack_size: target.stackSize ? size(target.stackSize) : undefined,
    heap_size: size(target.heapSize),
    ...(target.board ? boardVars(target) : {}),
  };
  // Tests run on the crate's own target, in a test build that carries the target's runtime (boot code, console,
  // linker script): a library for a target the catalogue has no runtime for is tested on the host.
  const testedOnTarget = kind === "bin" || target.triple === libTriple;
  const runtime = testedOnTarget ? target : findTarget("host")!;
  // The .cargo/config.toml is the catalogue's record, rendered (not a template's copy of it); a library tested on
  // the host keeps its own target in [build] and gets the host's flags and a `test-host` alias.
  const config = testedOnTarget ? cargoConfigToml(runtime) : undefined;
  return {
    layers: kind === "lib" ? ["lib", "testing", ...runtime.layers, ...(testedOnTarget ? [] : ["lib-target"])] : ["common", "testing", ...target.layers],
    // A library takes the runtime's files for its test build, not the program around them.
    exclude: kind === "lib" ? ["src/main.rs", "src/heap.rs", "src/stack.rs"] : [],
    vars,
    // `fpu`: the boot code must turn the FPU on before the first float instruction (Cortex-M4F, RV64GC).
    // `host_runtime`: the runtime is the host's (rt.rs and console.rs) rather than bare-metal boot code.
    // `armv6m`: the Cortex-M0's Thumb-1 subset, without fault status registers.
    // `stack_probe`: the test harness reports each test's stack depth (src/stack.rs, a program's only).
    // `board`: a real board's crate (its features and manifest metadata); `rom`: code runs from flash and .data
    // is copied from it at boot; the rest are a board's own (the STM32F1's registers).
    flags: {
      alloc,
      fpu: runtime.hasFpu,
      bare,
      host_runtime: runtime.flavour === "host",
      tested_on_target: testedOnTarget,
      armv6m: runtime.isa === "ARMv6-M",
      stack_probe: kind === "bin" && runtime.flavour === "qemu",
      board: runtime.board !== undefined,
      rom: runtime.memory.some((r) => r.kind === "flash"),
      ...Object.fromEntries(BOARD_FLAGS.map((f) => [f, runtime.board?.templateFlags?.includes(f) ?? false])),
    },
    generated: new Map([
      ...(config ? [[".cargo/config.toml", config] as const] : [[".cargo/config.toml.host", rustflagsTable(runtime)] as const]),
      // rust-analyzer checks for the crate's own target (where a library is built: its triple).
      [".vscode/settings.json", vscodeSettings(vars.triple)],
      ["rust-analyzer.toml", rustAnalyzerToml(vars.triple)],
    ]),
  };
}

export interface TemplatePlan {
  layers: string[];
  vars: TemplateVars;
  flags: TemplateFlags;
  /** Files rendered from the catalogue rather than from a template (output path → text). */
  generated: Map<string, string>;
  /** Files of the layers left out (a library takes a runtime's boot code but not its `main.rs`). */
  exclude: string[];
}

/** The crate's files: the template layers rendered, with the generated files in their places; sorted by path. */
export async function renderPlan(plan: TemplatePlan): Promise<Map<string, string>> {
  const files = await renderTemplates(plan.layers, plan.vars, plan.flags);
  for (const rel of plan.exclude) files.delete(rel);
  for (const [rel, text] of plan.generated) {
    // `<file>.host`: a table added to the end of a template's file.
    if (rel.endsWith(".host")) {
      const base = rel.slice(0, -".host".length);
      files.set(base, `${files.get(base) ?? ""}\n${text}`);
    } else files.set(rel, text);
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Whether `dir` is missing, empty or has files; a path that is not a directory is refused. */
export async function directoryState(dir: string): Promise<"missing" | "empty" | "non-empty"> {
  let st;
  try {
    st = await fsp.stat(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "missing";
    if (code === "ENOTDIR") throw new FreestandError(`${dir} cannot be created: a directory above it is a file.`);
    throw new FreestandError(describeError(err));
  }
  if (!st.isDirectory()) throw new FreestandError(`${dir} exists and is not a directory.`);
  return (await fsp.readdir(dir)).length === 0 ? "empty" : "non-empty";
}

/** Refuses a non-empty directory without `force`: said before any question is asked and before anything is written. */
export async function checkDestination(dir: string, force: boolean | undefined): Promise<void> {
  if ((await directoryState(path.resolve(dir))) === "non-empty" && !force) {
    throw new FreestandError(`${dir} is not empty; choose another directory or pass --force to write into it.`);
  }
}

/** Inside a git work tree already (as cargo new checks): then no repository and no .gitignore are made. */
async function insideGitRepository(dir: string): Promise<boolean> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (await fsp.stat(path.join(d, ".git")).then(() => true, () => false)) return true;
    if (path.dirname(d) === d) return false;
  }
}

/** `git init`, quietly; false when git is not installed or refuses. */
async function gitInit(dir: string): Promise<boolean> {
  const { capture } = await import("../util/process.js");
  const r = await capture("git", ["init", "--quiet", dir], { timeout: 30_000 }).catch(() => undefined);
  return r?.exitCode === 0;
}

/** Files below `dir`, relative, with `/` separators (the .git directory aside). */
async function filesBelow(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (e.name === ".git" || e.name === "target") continue;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await filesBelow(path.join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out;
}

/**
 * Creates a freestanding crate. The files are rendered in memory first, then staged in a sibling directory
 * and moved into place by rename (place-tree.ts): an interrupted `new` leaves nothing half-written.
 * A non-empty directory is refused unless `force`, which replaces only the files the template provides and
 * reports (without deleting) the files an earlier template wrote that this one does not.
 */
export async function scaffold(opts: ScaffoldOptions): Promise<ScaffoldResult> {
  const resolved = await resolveScaffoldOptions(opts);
  const { name, kind, triple, edition, alloc, warnings } = resolved;
  const dir = path.resolve(opts.dir);
  const state = await directoryState(dir);
  await checkDestination(dir, opts.force);
  const host = kind === "lib" ? await hostTriple() : undefined;
  const plan = templatePlan(resolved.target ?? findTarget("host")!, kind, alloc, { name, edition }, { triple, ...(host ? { hostTriple: host } : {}) });
  const files = await renderPlan(plan);
  // As cargo new: a repository and its .gitignore, unless asked not to or already inside another repository.
  const repoHere = state !== "missing" && (await fsp.stat(path.join(dir, ".git")).then(() => true, () => false));
  const inOuterRepo = !repoHere && (await insideGitRepository(path.dirname(dir)));
  const wantGit = opts.vcs !== "none" && !repoHere && !inOuterRepo;
  if (opts.vcs === "none" || inOuterRepo) files.delete(".gitignore");

  const replaced: string[] = [];
  let leftover: string[] = [];
  if (state === "non-empty") {
    const before = new Set(await filesBelow(dir));
    const templatePaths = await allTemplateOutputPaths();
    leftover = [...before].filter((f) => templatePaths.has(f) && !files.has(f)).sort();
    for (const rel of files.keys()) if (before.has(rel)) replaced.push(rel);
  }
  await placeTree(dir, files, state);
  const git = wantGit && (await gitInit(dir));
  if (wantGit && !git) {
    warnings.push("git was not found (or refused), so no repository was created; the .gitignore is there for when you make one");
  }
  return {
    dir,
    name,
    kind,
    triple,
    ...(resolved.target ? { target: resolved.target } : {}),
    bareLibrary: plan.flags.bare === true,
    testedOnHost: plan.flags.tested_on_target === false,
    edition,
    files: [...files.keys()],
    replaced,
    leftover,
    git,
    warnings,
  };
}

/** The compiler's own triple, where a library's unit tests run; the catalogue's host when no compiler answers. */
async function hostTriple(): Promise<string> {
  const { findRustc } = await import("../toolchain/rustc.js");
  return (await findRustc({}).catch(() => undefined))?.host ?? findTarget("host")!.triple;
}
