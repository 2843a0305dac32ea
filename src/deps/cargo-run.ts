import path from "node:path";
import { capture, type CaptureResult } from "../util/process.js";
import { FreestandError } from "../errors.js";
import { pathExists } from "../util/fs.js";
import { parseMetadata, type Metadata } from "./cargo-metadata.js";
import { parseCargoTree, type FeatureGraph } from "./cargo-tree.js";

export interface CargoGraphOptions {
  /** Absolute path of the package's Cargo.toml. */
  manifestPath: string;
  target: string;
  cargo?: string;
  /** Milliseconds per cargo call. */
  timeout?: number;
}

export interface CargoGraph {
  metadata: Metadata;
  features: FeatureGraph;
  /** Whether cargo ran with `--offline` (it is tried first; the network is used only when that fails). */
  offline: boolean;
}

function cargoBin(opts: CargoGraphOptions): string {
  return opts.cargo ?? process.env.CARGO ?? "cargo";
}

function metadataArgs(opts: CargoGraphOptions, offline: boolean): string[] {
  return ["metadata", "--format-version", "1", "--filter-platform", opts.target, "--manifest-path", opts.manifestPath, ...(offline ? ["--offline"] : [])];
}

function treeArgs(opts: CargoGraphOptions, offline: boolean): string[] {
  // -e normal,features: the feature graph of normal dependencies only; build-dependencies and dev-dependencies
  // are compiled for the host (or not at all) and cannot pull std into the target.
  return [
    "tree",
    "--manifest-path",
    opts.manifestPath,
    "--target",
    opts.target,
    "-e",
    "normal,features",
    "--prefix",
    "depth",
    "--format",
    "{p}|{f}",
    "--color",
    "never",
    ...(offline ? ["--offline"] : []),
  ];
}

function failure(what: string, r: CaptureResult): FreestandError {
  const lines = r.stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^(Locking|Adding|Updating|Downloaded|Downloading|Blocking)\b/.test(l));
  const detail = lines.find((l) => l.startsWith("error")) ?? lines[0] ?? `exit ${r.exitCode ?? "signal"}`;
  return new FreestandError(`\`cargo ${what}\` failed, so the dependency graph is unknown: ${detail.replace(/^error:\s*/, "")}`);
}

/**
 * Runs `cargo metadata` and `cargo tree` for one target. Offline first (the usual case: the lock file exists and
 * the sources are in the registry cache or vendored); online only if that fails. With a lock file the two calls
 * run side by side; without one they run one after the other so they do not both try to write it.
 */
export async function loadCargoGraph(opts: CargoGraphOptions): Promise<CargoGraph> {
  const cargo = cargoBin(opts);
  const timeout = opts.timeout ?? 120_000;
  const cwd = path.dirname(opts.manifestPath);
  const run = (args: string[]) => capture(cargo, args, { cwd, timeout });
  const attempt = async (offline: boolean): Promise<[CaptureResult, CaptureResult]> => {
    const locked = await pathExists(path.join(cwd, "Cargo.lock"));
    if (locked) return Promise.all([run(metadataArgs(opts, offline)), run(treeArgs(opts, offline))]);
    const meta = await run(metadataArgs(opts, offline));
    if (meta.exitCode !== 0) return [meta, meta];
    return [meta, await run(treeArgs(opts, offline))];
  };
  let offline = true;
  let [meta, tree] = await attempt(true);
  if (meta.exitCode !== 0 || tree.exitCode !== 0) {
    offline = false;
    [meta, tree] = await attempt(false);
  }
  if (meta.exitCode !== 0) throw failure("metadata", meta);
  if (tree.exitCode !== 0) throw failure("tree", tree);
  let metadata: Metadata;
  try {
    metadata = parseMetadata(meta.stdout);
  } catch {
    throw new FreestandError("`cargo metadata` printed something that is not its JSON format.");
  }
  return { metadata, features: parseCargoTree(tree.stdout), offline };
}

/**
 * Adds to `graph` everything that enables the given packages (`cargo tree -i name@version` for each): the plain
 * tree leaves out features a package's own `[features]` turn on, the inverted one shows every route.
 */
export async function addInvertedRoutes(opts: CargoGraphOptions, graph: CargoGraph, specs: readonly string[]): Promise<void> {
  if (specs.length === 0) return;
  const args = treeArgs(opts, graph.offline);
  for (const s of specs) args.push("--invert", s);
  const r = await capture(cargoBin(opts), args, { cwd: path.dirname(opts.manifestPath), timeout: opts.timeout ?? 120_000 });
  if (r.exitCode !== 0) throw failure("tree --invert", r);
  parseCargoTree(r.stdout, { inverted: true, into: graph.features });
}
