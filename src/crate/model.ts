import path from "node:path";
import { promises as fsp } from "node:fs";
import { FreestandError } from "../errors.js";
import { assertRegularCargoFiles, cfgFlags, configuredTarget, effectiveRustflags, loadCargoConfig, type CargoConfig, type ChosenTarget } from "../cargo/config.js";
import { manifestPackageGraph, packageManifest, readManifest, type PackageManifest, type UnitSpec } from "./manifest.js";
import { loadModuleTree, SourceStore, type CfgTest, type MissingModule, type ModuleFile } from "./modules.js";
import { detectToolchain, readToolchainFile, pinnedToolchain, rustcPath, type ToolchainInfo } from "./toolchain.js";
import { resolveTarget, type TargetFacts } from "./target.js";
import { loadPackageGraph, offlineEnv, type CargoPackage, type PackageGraph } from "./packages.js";
import { enabledFeatures, type FeatureRequest } from "./features.js";
import { decideRoles, type PackageRole } from "./roles.js";
import { findTargetDrivers, type TargetDriver } from "./target-drivers.js";
import { evalCfg, parseCfg, type CfgContext } from "../toolchain/cfg.js";
import { valueAt, type TomlDocument } from "../cargo/toml.js";
import { assertRegularIfPresent, readUtf8File, readTextFile } from "../util/fs.js";
import { requireTarget } from "../targets/catalog.js";
import { relativeInside } from "../util/paths.js";
import { rustParser } from "../syntax/parser.js";
import { probeTargetCfg } from "../toolchain/target-cfg.js";

/** A crate of a package (library, binary, example, test, bench) with its module tree. */
export interface CrateUnit {
  spec: UnitSpec;
  /** The crate root first, then every module file reached from it. */
  modules: ModuleFile[];
  /** `mod x;` declarations whose file freestand could not find (rustc will say what it thinks). */
  missing: MissingModule[];
}

/** Everything the rules look at for one package, loaded once. */
export interface CrateModel {
  dir: string;
  manifest: PackageManifest;
  /** The manifest whose `[profile]` tables cargo uses: the workspace root's, or the package's own. */
  profileManifest: TomlDocument;
  /** The workspace root manifest, when the package is a member of a workspace rooted elsewhere. */
  workspaceManifest?: TomlDocument;
  /** The cargo configuration the package is judged with (see `ignoredConfig`). */
  config: CargoConfig;
  /**
   * The package's own `.cargo/config.toml`, when cargo ignores it because it runs in the workspace root. The
   * package is judged with it (that is how it is meant to be built), and a warning says cargo does not read it.
   */
  ignoredConfig?: string;
  toolchain: ToolchainInfo;
  toolchainFile?: { path: string; channel?: string; targets: string[] };
  target: TargetFacts;
  /** When no target is configured: what else may choose one (Makefiles, aliases, build programs). */
  drivers: TargetDriver[];
  /** The features cargo enables for the package. */
  features: Set<string>;
  /** What cfg conditions evaluate to in this package's normal build (features, target cfg, `test` off). */
  cfg: CfgContext;
  cfgTest: CfgTest;
  units: CrateUnit[];
  /** build.rs, when the package has one (link arguments may be passed from there). */
  buildScript?: { path: string; text: string };
  /** Whether the package is freestanding, and why (or why it runs on the host). */
  role: PackageRole;
  /** `cargo build` where cargo runs builds this package. */
  built: boolean;
  package: CargoPackage;
  workspace: WorkspaceModel;
  store: SourceStore;
}

/** The packages checked together, and what was learnt about the whole. */
export interface WorkspaceModel {
  /** Where cargo runs: the directory checked. */
  invocationDir: string;
  /** The cargo configuration read from there. */
  config: CargoConfig;
  graph: PackageGraph;
  /** Why cargo could not list the packages (its own words); the manifests were read instead. */
  graphProblem?: string;
  packages: CrateModel[];
  /** `cargo metadata` runs with the dependencies, shared by the packages of this check (per target). */
  dependencyGraphs: Map<string, Promise<import("../deps/cargo-run.js").CargoGraph>>;
}

export interface LoadOptions extends FeatureRequest {
  /** Like `cargo --target`. */
  target?: string;
  /** Like `cargo -p`: only these packages of the workspace (the features then apply to them). */
  packages?: readonly string[];
  /** Like `cargo --workspace`: every member, also when run from inside one. */
  workspace?: boolean;
  /** Like `cargo --exclude` (with a workspace). */
  exclude?: readonly string[];
  /** Like `cargo --manifest-path`; cargo still reads its config from `dir`, where it runs. */
  manifestPath?: string;
  /** Like `cargo --config KEY=VALUE`. */
  config?: readonly string[];
  /** Skip asking rustc; use this instead (tests, or a caller that already knows). */
  toolchain?: ToolchainInfo;
  env?: NodeJS.ProcessEnv;
  /** Read the manifests only, without asking cargo (the fallback; also for tests of it). */
  noCargo?: boolean;
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

async function isFile(p: string): Promise<boolean> {
  return fsp.stat(p).then((s) => s.isFile(), () => false);
}

/** The nearest directory at or above `dir` with a Cargo.toml, as cargo finds its manifest. */
async function manifestDir(dir: string): Promise<string> {
  for (let d = dir; ; d = path.dirname(d)) {
    if (await isFile(path.join(d, "Cargo.toml"))) return d;
    if (path.dirname(d) === d) return dir; // readManifest then says there is none.
  }
}

/** A package's own `.cargo/config.toml` (or `config`) between it and the directory cargo runs in. */
async function ownConfigBelow(pkgDir: string, invocationDir: string): Promise<string | undefined> {
  if (!relativeInside(invocationDir, pkgDir)) return undefined;
  for (let d = pkgDir; d !== invocationDir && d.startsWith(invocationDir); d = path.dirname(d)) {
    for (const name of ["config.toml", "config"]) {
      const f = path.join(d, ".cargo", name);
      if (await isFile(f)) return f;
    }
  }
  return undefined;
}

/** `package.forced-target` (per-package-target), which wins over everything, or `package.default-target`. */
function packageTarget(doc: TomlDocument, key: "forced-target" | "default-target"): ChosenTarget | undefined {
  const v = valueAt(doc.value, ["package", key]);
  if (typeof v !== "string") return undefined;
  const spec = v.endsWith(".json") ? path.resolve(path.dirname(doc.path), v) : undefined;
  return { value: spec ? path.basename(v, ".json") : v, ...(spec ? { spec } : {}), doc, origin: `\`${key}\` in ${doc.path}` };
}

function cfgContextFor(features: Set<string>, target: TargetFacts, rustflags: string[]): CfgContext {
  const names = new Set(target.cfg?.names ?? []);
  const pairs = new Map<string, Set<string>>([...(target.cfg?.pairs ?? new Map<string, Set<string>>())].map(([k, v]) => [k, new Set(v)]));
  for (const c of cfgFlags(rustflags)) {
    const m = /^([A-Za-z_]\w*)\s*=\s*"(.*)"$/.exec(c);
    if (m) pairs.set(m[1]!, new Set([...(pairs.get(m[1]!) ?? []), m[2]!]));
    else names.add(c.trim());
  }
  return { features, targetNames: names, targetPairs: pairs, known: new Map([["test", false]]), ...(target.cfg ? {} : { targetUnknown: true }) };
}

/** Evaluates a conjunction of cfg condition texts; an unparseable one is unknown. */
export function cfgTestFor(ctx: CfgContext): CfgTest {
  return (conditions) => {
    let unknown = false;
    for (const c of conditions) {
      const e = parseCfg(c);
      const v = e ? evalCfg(e, ctx) : undefined;
      if (v === false) return false;
      if (v === undefined) unknown = true;
    }
    return unknown ? undefined : true;
  };
}

/** Features other packages of the build ask of `pkg` (cargo unifies them). */
function unifiedFeatures(pkg: CargoPackage, all: readonly CargoPackage[]): string[] {
  const out: string[] = [];
  for (const q of all) {
    for (const d of q.dependencies) {
      if (d.kind !== "normal" || d.name !== pkg.name) continue;
      if (d.path && path.resolve(d.path) !== pkg.dir) continue;
      out.push(...d.features);
      if (d.defaultFeatures) out.push("default");
    }
  }
  return out;
}

/** The packages `check` looks at: cargo's choice from where it runs, or `-p`, `--workspace` and `--exclude`. */
function packagesToCheck(graph: PackageGraph, ownManifest: string, isRoot: boolean, opts: LoadOptions): CargoPackage[] {
  let selected = graph.packages.filter((p) => (isRoot ? graph.members.includes(p.manifestPath) || p.manifestPath === ownManifest : p.manifestPath === ownManifest));
  if (opts.packages?.length) {
    const members = graph.packages.filter((p) => graph.members.includes(p.manifestPath) || p.manifestPath === ownManifest);
    selected = opts.packages.map((spec) => {
      const name = spec.split("@")[0];
      const found = members.find((p) => p.name === name);
      if (!found) throw new FreestandError(`package ID specification \`${spec}\` did not match any packages; the workspace has ${members.map((p) => `\`${p.name}\``).join(", ")}.`);
      return found;
    });
  }
  if (opts.workspace && !opts.packages?.length) selected = graph.packages.filter((p) => graph.members.includes(p.manifestPath));
  if (opts.exclude?.length) selected = selected.filter((p) => !opts.exclude!.some((spec) => spec.split("@")[0] === p.name));
  if (selected.length === 0) throw new FreestandError(`${ownManifest} has neither a [package] nor workspace members to check.`);
  return selected;
}

/** The package's targets with their module trees, as cargo builds them with these features. */
async function loadUnits(manifest: PackageManifest, features: Set<string>, store: SourceStore, cfgTest: CfgTest): Promise<CrateUnit[]> {
  const units: CrateUnit[] = [];
  for (const spec of manifest.units) {
    // Like cargo, leave out targets whose required features are off: their cfgs would be judged wrongly.
    if (!spec.requiredFeatures.every((f) => features.has(f))) continue;
    // cargo lists it; the file is gone (a stale path): nothing to read. A FIFO or a directory there is said.
    await assertRegularIfPresent(spec.root);
    if (!(await isFile(spec.root))) continue;
    const missing: MissingModule[] = [];
    units.push({ spec, modules: await loadModuleTree(spec.root, store, cfgTest, missing), missing });
  }
  return units;
}

/**
 * Loads a directory for checking, as cargo run there sees it: the package, or every member of the workspace it
 * roots. Packages and targets come from `cargo metadata --no-deps --offline`; the manifests are read by
 * freestand only when cargo cannot answer.
 */
export async function loadWorkspace(dir: string, opts: LoadOptions = {}): Promise<{ packages: CrateModel[]; store: SourceStore; workspace: WorkspaceModel }> {
  await statDir(path.resolve(dir));
  if (opts.manifestPath && !(await isFile(opts.manifestPath))) throw new FreestandError(`manifest path \`${opts.manifestPath}\` does not exist.`);
  const abs = opts.manifestPath ? path.dirname(path.resolve(opts.manifestPath)) : await manifestDir(path.resolve(dir));
  const configDir = opts.manifestPath ? path.resolve(dir) : abs;
  const env = opts.env ?? process.env;
  // cargo, rustc and the parser's set-up do not depend on each other: they run side by side (a one-shot check
  // otherwise waits for four programs in a row), cargo first, as it takes longest. Each is awaited below in the
  // order its errors are reported.
  const graphRun = opts.noCargo ? Promise.resolve(undefined) : loadPackageGraph(abs, env, { cwd: configDir, ...(opts.config ? { config: opts.config } : {}) });
  const configRead = loadCargoConfig(configDir, env, opts.config ?? []);
  // rustc, through rustup, reads rust-toolchain.toml: never before it is known to be a file (a FIFO would hang it).
  const compilerReady = Promise.all([configRead, ...[...new Set([configDir, abs])].map((d) => assertRegularCargoFiles(d, env))]).then(([config]) => config);
  const toolchainRun = compilerReady.then((config) => opts.toolchain ?? detectToolchain(abs, config));
  const cfgPrefetch = compilerReady.then((config) => prefetchTargetCfg(config, abs, env, opts));
  for (const p of [graphRun, configRead, compilerReady, toolchainRun, cfgPrefetch, rustParser()]) p.catch(() => undefined);
  const rootDoc = await readManifest(path.join(abs, "Cargo.toml"));
  return modelWorkspace({ abs, env, rootDoc, graphRun, configRead, toolchainRun }, opts);
}

/** What loadWorkspace has started or read before the packages are modelled. */
interface Started {
  abs: string;
  env: NodeJS.ProcessEnv;
  rootDoc: TomlDocument;
  graphRun: ReturnType<typeof loadPackageGraph> | Promise<undefined>;
  configRead: Promise<CargoConfig>;
  toolchainRun: Promise<ToolchainInfo>;
}

async function modelWorkspace(started: Started, opts: LoadOptions): Promise<{ packages: CrateModel[]; store: SourceStore; workspace: WorkspaceModel }> {
  const { abs, env, rootDoc, graphRun, configRead, toolchainRun } = started;
  let graph: PackageGraph;
  let graphProblem: string | undefined;
  const fromCargo = await graphRun;
  if (fromCargo?.ok) graph = fromCargo.graph;
  else {
    graphProblem = fromCargo ? fromCargo.problem : undefined;
    graph = await manifestPackageGraph(abs, rootDoc);
  }
  const ownManifest = path.join(abs, "Cargo.toml");
  const isRoot = path.resolve(graph.workspaceRoot) === abs;
  const selected = packagesToCheck(graph, ownManifest, isRoot, opts);

  const config = await configRead;
  const toolchainFile = await readToolchainFile(abs);
  let toolchain = await toolchainRun;
  if (toolchain.problem && toolchainFile?.channel) {
    const pin = pinnedToolchain(toolchainFile.channel);
    if (pin) toolchain = { ...toolchain, ...pin, fromPin: toolchainFile.channel };
  }
  // No compiler answered: the catalogue's host (this machine's kind) stands in.
  const host = toolchain.host ?? requireTarget("host").triple;
  const rootWorkspaceDoc = path.resolve(graph.workspaceRoot) === abs ? rootDoc : await readManifest(path.join(graph.workspaceRoot, "Cargo.toml")).catch(() => rootDoc);
  const store = new SourceStore();
  const workspace: WorkspaceModel = { invocationDir: abs, config, graph, ...(graphProblem ? { graphProblem } : {}), packages: [], dependencyGraphs: new Map() };
  try {
    const docs = new Map<string, TomlDocument>([[ownManifest, rootDoc]]);
    for (const pkg of selected) {
      if (!docs.has(pkg.manifestPath)) docs.set(pkg.manifestPath, await readManifest(pkg.manifestPath));
      const doc = docs.get(pkg.manifestPath)!;
      const ignoredConfig = pkg.dir !== abs ? await ownConfigBelow(pkg.dir, abs) : undefined;
      const pkgConfig = ignoredConfig ? await loadCargoConfig(pkg.dir, env) : config;
      const chosen = packageTarget(doc, "forced-target") ?? configuredTarget(pkgConfig, opts.target, abs) ?? packageTarget(doc, "default-target");
      const target = await resolveTarget(chosen, host, { rustc: toolchain.rustc, cwd: abs, env, usable: !toolchain.problem || Boolean(opts.toolchain) });
      const requested = opts.packages?.length ? opts.packages.some((spec) => spec.split("@")[0] === pkg.name) : pkg.manifestPath === ownManifest || selected.length === 1;
      const features = enabledFeatures(pkg, requested ? opts : {}, unifiedFeatures(pkg, selected));
      const rustflags = effectiveRustflags(pkgConfig, target.triple).flatMap((s) => s.flags);
      const cfg = cfgContextFor(features, target, rustflags);
      const cfgTest = cfgTestFor(cfg);
      const manifest = packageManifest(doc, pkg);
      const units = await loadUnits(manifest, features, store, cfgTest);
      const build = pkg.targets.find((t) => t.kind === "custom-build");
      let buildScript: CrateModel["buildScript"];
      if (build) buildScript = await readUtf8File(build.root).then((text) => ({ path: build.root, text }), () => undefined);
      const inWorkspace = path.resolve(graph.workspaceRoot) !== pkg.dir;
      workspace.packages.push({
        dir: pkg.dir,
        manifest,
        profileManifest: rootWorkspaceDoc,
        ...(inWorkspace ? { workspaceManifest: rootWorkspaceDoc } : {}),
        config: pkgConfig,
        ...(ignoredConfig ? { ignoredConfig } : {}),
        toolchain,
        ...(toolchainFile ? { toolchainFile } : {}),
        target,
        drivers: [],
        features,
        cfg,
        cfgTest,
        units,
        ...(buildScript ? { buildScript } : {}),
        role: {},
        built: Boolean(opts.packages?.length) || !isRoot || graph.defaultMembers.includes(pkg.manifestPath) || pkg.manifestPath === ownManifest,
        package: pkg,
        workspace,
        store,
      });
    }
    assignRoles(workspace.packages);
    await assignDrivers(workspace, config);
  } catch (err) {
    store.dispose();
    throw err;
  }
  return { packages: workspace.packages, store, workspace };
}

/**
 * Starts `rustc --print cfg` for the target the invocation's config chooses (or the host) while cargo lists the
 * packages and rustc says its version; resolveTarget later gets the same answer from probeTargetCfg's cache.
 * Offline, as every question to a toolchain that may not be installed: rustup must not download on the way.
 */
async function prefetchTargetCfg(config: CargoConfig, cwd: string, env: NodeJS.ProcessEnv, opts: LoadOptions): Promise<unknown> {
  if (opts.toolchain) return undefined;
  const chosen = configuredTarget(config, opts.target, cwd);
  return probeTargetCfg({ rustc: await rustcPath(config), target: chosen?.spec ?? chosen?.value, cwd, env: offlineEnv(env) });
}

function assignRoles(models: CrateModel[]): void {
  const roles = decideRoles(
    models.map((m) => ({
      name: m.manifest.name,
      dir: m.dir,
      manifestPath: m.manifest.doc.path,
      units: m.units.map((u) => ({ kind: u.spec.kind, root: u.spec.root, crateTypes: u.spec.crateTypes, text: u.modules[0]?.source.text ?? "" })),
      dependencies: m.manifest.dependencies,
      hasFreestandMetadata: valueAt(m.package.metadata, ["freestand"]) !== undefined,
      targetHasStd: m.target.hasStd,
      targetTriple: m.target.triple,
      built: m.built,
    })),
  );
  for (const m of models) m.role = roles.get(m.manifest.doc.path) ?? {};
}

/** Text of the .rs files under a directory, for a textual look (a build program's sources). */
async function sourcesUnder(dir: string, budget = { files: 200 }): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (budget.files <= 0) break;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourcesUnder(p, budget)));
    else if (e.isFile() && e.name.endsWith(".rs")) {
      budget.files--;
      const text = await readTextFile(p).catch(() => undefined);
      if (text !== undefined) out.push({ path: p, text });
    }
  }
  return out;
}

/** For freestanding packages without a configured target: what else may choose it. */
async function assignDrivers(ws: WorkspaceModel, config: CargoConfig): Promise<void> {
  const needing = ws.packages.filter((m) => m.role.freestanding && !m.target.explicit);
  if (needing.length === 0) return;
  // Build programs of the whole workspace, checked or not: xtasks' sources and every build script.
  const programs: { path: string; text: string }[] = [];
  for (const p of ws.graph.packages) {
    if (p.name === "xtask" || path.basename(p.dir) === "xtask" || /^xtask[-_]|[-_]xtask$/.test(p.name)) programs.push(...(await sourcesUnder(path.join(p.dir, "src"))));
    const build = p.targets.find((t) => t.kind === "custom-build");
    if (build) {
      const text = await readTextFile(build.root).catch(() => undefined);
      if (text !== undefined) programs.push({ path: build.root, text });
    }
  }
  for (const m of needing) {
    const own = programs.filter((p) => !(m.buildScript && p.path === m.buildScript.path));
    m.drivers = await findTargetDrivers({ dirs: [...new Set([ws.invocationDir, m.dir])], config: m.config === config ? config : m.config, programs: own });
  }
}
