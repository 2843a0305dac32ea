import path from "node:path";
import { promises as fsp } from "node:fs";
import { FreestandError } from "../errors.js";
import { loadCargoConfig, configuredTarget, type CargoConfig } from "./config.js";
import { findWorkspaceRoot, loadManifest, readManifest, type PackageManifest, type UnitSpec } from "./manifest.js";
import { loadModuleTree, SourceStore, type ModuleFile } from "./modules.js";
import { detectToolchain, findToolchainFile, HOST_TRIPLE_FALLBACK, type ToolchainInfo } from "./toolchain.js";
import { targetFacts, type TargetFacts } from "./target.js";
import type { TomlDocument } from "./toml.js";
import { readUtf8File } from "../util/fs.js";

/** A crate of a package (library or binary) with its module tree. */
export interface CrateUnit {
  spec: UnitSpec;
  /** The crate root first, then every module file reached from it. */
  modules: ModuleFile[];
}

/** Everything the rules look at for one package, loaded once. */
export interface CrateModel {
  dir: string;
  manifest: PackageManifest;
  /** The manifest whose `[profile]` tables cargo uses: the workspace root's, or the package's own. */
  profileManifest: TomlDocument;
  /** The workspace root manifest, when the package is a member of one. */
  workspaceManifest?: TomlDocument;
  config: CargoConfig;
  toolchain: ToolchainInfo;
  toolchainFile?: { path: string; channel?: string; targets: string[] };
  target: TargetFacts;
  units: CrateUnit[];
  /** build.rs, when the package has one (link arguments may be passed from there). */
  buildScript?: { path: string; text: string };
  store: SourceStore;
}

export interface LoadOptions {
  /** Like `cargo --target`. */
  target?: string;
  /** Skip asking rustc; use this instead (tests, or a caller that already knows). */
  toolchain?: ToolchainInfo;
  env?: NodeJS.ProcessEnv;
}

async function statDir(dir: string): Promise<void> {
  let st;
  try {
    st = await fsp.stat(dir);
  } catch {
    throw new FreestandError(`${dir} does not exist.`);
  }
  if (!st.isDirectory()) throw new FreestandError(`${dir} is not a directory; pass a crate or workspace directory.`);
}

/** Loads one package (not its workspace members). */
export async function loadPackage(dir: string, opts: LoadOptions = {}, store = new SourceStore(), workspaceManifest?: TomlDocument): Promise<CrateModel> {
  const abs = path.resolve(dir);
  workspaceManifest ??= await findWorkspaceRoot(abs);
  const manifest = await loadManifest(abs, workspaceManifest);
  const env = opts.env ?? process.env;
  const config = await loadCargoConfig(abs, env);
  // Ask the compiler while the sources are read: the two are independent and both wait on the system.
  const toolchainPromise = Promise.all([opts.toolchain ? Promise.resolve(opts.toolchain) : detectToolchain(abs, config), findToolchainFile(abs)]);
  toolchainPromise.catch(() => {});
  const units: CrateUnit[] = [];
  for (const spec of manifest.units) units.push({ spec, modules: await loadModuleTree(spec.root, store) });
  const [toolchain, toolchainFile] = await toolchainPromise;
  const chosen = configuredTarget(config, opts.target);
  const target = chosen ? targetFacts(chosen.value, true, chosen.origin) : targetFacts(toolchain.host ?? HOST_TRIPLE_FALLBACK, false);
  let buildScript: CrateModel["buildScript"];
  const pkg = manifest.doc.value.package as Record<string, unknown> | undefined;
  const buildPath = typeof pkg?.build === "string" ? path.resolve(abs, pkg.build) : path.join(abs, "build.rs");
  if (pkg?.build !== false) {
    try {
      buildScript = { path: buildPath, text: await readUtf8File(buildPath) };
    } catch (err) {
      if (err instanceof FreestandError) throw err;
    }
  }
  return {
    dir: abs,
    manifest,
    profileManifest: workspaceManifest ?? manifest.doc,
    workspaceManifest,
    config,
    toolchain,
    toolchainFile,
    target,
    units,
    buildScript,
    store,
  };
}

/**
 * Loads a directory for checking: a package, a package that is also a workspace root (the package and its
 * members), or a virtual workspace (its members).
 */
export async function loadWorkspace(dir: string, opts: LoadOptions = {}): Promise<{ packages: CrateModel[]; store: SourceStore }> {
  const abs = path.resolve(dir);
  await statDir(abs);
  const rootDoc = await readManifest(path.join(abs, "Cargo.toml"));
  const store = new SourceStore();
  const packages: CrateModel[] = [];
  try {
    const isWorkspace = Boolean(rootDoc.value.workspace);
    const wsDoc = isWorkspace ? rootDoc : undefined;
    if (rootDoc.value.package) packages.push(await loadPackage(abs, opts, store, wsDoc));
    if (isWorkspace) {
      const root = await loadManifest(abs);
      for (const m of root.members) packages.push(await loadPackage(m, opts, store, rootDoc));
    }
    if (packages.length === 0) throw new FreestandError(`${path.join(abs, "Cargo.toml")} has neither a [package] nor workspace members to check.`);
  } catch (err) {
    store.dispose();
    throw err;
  }
  return { packages, store };
}
