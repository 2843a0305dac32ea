import path from "node:path";
import { FreestandError } from "../errors.js";
import { evalCfg, featuresIn, parseCfg, type CfgContext } from "../toolchain/cfg.js";
import { indexPackages, libTarget, type MetaDependency, type MetaPackage } from "./cargo-metadata.js";
import { loadCargoGraph } from "./cargo-run.js";
import { featureKey, packageKey, parseNodeKey, shortestPath, type FeatureGraph } from "./feature-graph.js";
import { resolveFeatureGraph, resolverVersion } from "./feature-resolver.js";
import { crateNeedsStd, type CrateStdReason } from "./crate-std.js";
import { targetCfg, type TargetCfg } from "./target-cfg.js";
import { ScanCache, defaultScanCacheFile } from "./scan-cache.js";
import { rustParser } from "../syntax/parser.js";
import { readTextFile } from "../util/fs.js";
import { rememberedResult } from "../util/process.js";

/** One package on a chain, with the features of it the chain goes through (in order; empty: the package itself). */
export interface StdChainHop {
  name: string;
  version: string;
  features: string[];
}

/** A dependency that links std for this target, and how the checked package reaches it. */
export interface StdCrate {
  name: string;
  version: string;
  manifestPath: string;
  /** The features cargo enables for it on this target. */
  features: string[];
  reason: CrateStdReason;
  /** From the checked package (first) to this crate (last). */
  chain: StdChainHop[];
  /** Features of this crate, off now, any one of which would make it leave std out (`spin_no_std`). */
  optOutFeatures: string[];
}

/** What the checked package can change in its own Cargo.toml. */
export interface DependencyFix {
  /** Turn off the dependency's default features, keeping these of them (none of which leads to std). */
  keepFeatures: string[];
}

/** Findings grouped by the direct dependency that brings std in: one line of Cargo.toml, one fix. */
export interface DependencyStdFinding {
  /** The direct dependency declaration (the key in `[dependencies]` is `rename ?? name`); undefined when std arrives by feature unification alone. */
  dependency?: MetaDependency & { version: string };
  crates: StdCrate[];
  fix?: DependencyFix;
  /** Why `default-features = false` is not offered or not enough. */
  blockers: string[];
}

export interface DependencyStdReport {
  package: { name: string; version: string; manifestPath: string };
  target: string;
  findings: DependencyStdFinding[];
  /** Crates whose no_std-ness hangs on a cfg a build script sets: not reported, listed for the curious. */
  undecided: { name: string; version: string }[];
  cratesChecked: number;
  filesParsed: number;
  /** Crates whose answer came from the scan cache (not read or parsed). */
  cacheHits: number;
  /** Crates read on every run, never cached: path dependencies, whose sources change without the lockfile. */
  pathCrates: number;
  offline: boolean;
}

export interface AnalyzeOptions {
  /** The package's Cargo.toml (absolute or relative to cwd). */
  manifestPath: string;
  /** The manifest cargo is asked about, when another one answers for the whole workspace (its root's). */
  graphManifest?: string;
  /** Shares `cargo metadata` runs between the packages of one check. */
  graphCache?: Map<string, Promise<import("./cargo-run.js").CargoGraph>>;
  env?: NodeJS.ProcessEnv;
  target: string;
  cargo?: string;
  rustc?: string;
  timeout?: number;
  /** Where crate scans are remembered: a file, `false` for no disk cache; default `defaultScanCacheFile()`. */
  cacheFile?: string | false;
}

function keyOfDep(d: MetaDependency): string {
  return d.rename ?? d.name;
}

/** Groups consecutive path nodes by package: a hop per package, with the features passed through. */
function hopsOf(pathKeys: readonly string[]): StdChainHop[] {
  const hops: StdChainHop[] = [];
  for (const k of pathKeys) {
    const n = parseNodeKey(k);
    let last = hops[hops.length - 1];
    if (!last || last.name !== n.name || last.version !== n.version) {
      last = { name: n.name, version: n.version, features: [] };
      hops.push(last);
    }
    if (n.feature !== undefined && !last.features.includes(n.feature)) last.features.push(n.feature);
  }
  return hops;
}

/** The nodes whose reachability means "this crate links std": its culprit features, or the package itself. */
function targetNodes(c: { name: string; version: string; reason: CrateStdReason }, graph: FeatureGraph): Set<string> {
  const culprits = c.reason.kind === "no_no_std" ? [] : c.reason.culprits;
  const keys = culprits.map((f) => featureKey(c.name, c.version, f)).filter((k) => graph.edges.has(k) || [...graph.edges.values()].some((s) => s.has(k)));
  return new Set(keys.length > 0 ? keys : [packageKey(c.name, c.version)]);
}

/** Whether each dependency of the graph (libraries, not proc-macros) needs std, from the scan cache or its sources. */
async function scanDependencies(graph: FeatureGraph, rootKey: string, byKey: Map<string, MetaPackage>, tcfg: TargetCfg, cache: ScanCache) {
  const known = new Map<string, boolean>();
  const undecided: { name: string; version: string }[] = [];
  const offenders: (StdCrate & { meta: MetaPackage })[] = [];
  let filesParsed = 0;
  let checked = 0;
  let cacheHits = 0;
  let pathCrates = 0;
  await Promise.all(
    [...graph.packages.values()]
      .filter((p) => p.key !== rootKey)
      .map(async (p) => {
        const pm = byKey.get(`${p.name}@${p.version}`);
        const lib = pm ? libTarget(pm) : undefined;
        if (!pm || !lib || lib.kind.includes("proc-macro")) return;
        checked++;
        const ctx: CfgContext = { features: p.features, targetNames: tcfg.names, targetPairs: tcfg.pairs, known };
        const key = ScanCache.key(lib.src_path, pm.source, p.features, tcfg);
        if (!key) pathCrates++;
        let v = key ? cache.get(key) : undefined;
        if (v) cacheHits++;
        else {
          v = await crateNeedsStd(lib.src_path, ctx);
          if (key) cache.set(key, v);
        }
        filesParsed += v.filesParsed;
        if (v.needsStd === undefined) undecided.push({ name: p.name, version: p.version });
        if (v.needsStd === true && v.reason) {
          const optOutFeatures = optOutFeaturesOf(v.reason, ctx, Object.keys(pm.features));
          offenders.push({ name: p.name, version: p.version, manifestPath: pm.manifest_path, features: [...p.features].sort(), reason: v.reason, chain: [], optOutFeatures, meta: pm });
        }
      }),
  );
  return { offenders, undecided, checked, filesParsed, cacheHits, pathCrates };
}

/**
 * Finds every normal dependency that links std when the package at `manifestPath` is built for `target`,
 * with the chain of packages and features through which cargo enables it, and what the package's own
 * Cargo.toml can do about it.
 */
export function analyzeDependencyStd(opts: AnalyzeOptions): Promise<DependencyStdReport> {
  // The language server asks on every keystroke; without path dependencies the answer changes only with the
  // manifests, the lockfile and the config, whose changes make it forget (lsp/server.ts). A path dependency's
  // sources change as they are edited: then it is asked again each time.
  const { graphCache: _shared, ...key } = opts;
  return rememberedResult(`dependency_requires_std\0${JSON.stringify(key)}`, () => analyze(opts), (r) => r.pathCrates === 0);
}

async function analyze(opts: AnalyzeOptions): Promise<DependencyStdReport> {
  const manifestPath = path.resolve(opts.manifestPath);
  const graphOpts = { manifestPath: path.resolve(opts.graphManifest ?? manifestPath), target: opts.target, ...(opts.cargo ? { cargo: opts.cargo } : {}), ...(opts.timeout ? { timeout: opts.timeout } : {}), ...(opts.env ? { env: opts.env } : {}), ...(opts.graphCache ? { cache: opts.graphCache } : {}) };
  const cache = ScanCache.load(opts.cacheFile === false ? undefined : (opts.cacheFile ?? defaultScanCacheFile()));
  // The parser's wasm loads while cargo runs; it is needed unless every crate is in the cache.
  const parserReady = rustParser().catch(() => undefined);
  // Side by side; when both fail, cargo's problem is the one said (the first to fail would vary run to run).
  const [graphRun, cfgRun] = await Promise.allSettled([loadCargoGraph(graphOpts), targetCfg(opts.target, opts.rustc)]);
  if (graphRun.status === "rejected") throw graphRun.reason;
  if (cfgRun.status === "rejected") throw cfgRun.reason;
  const [cg, tcfg] = [graphRun.value, cfgRun.value];
  void parserReady;
  const meta = cg.metadata;
  const byKey = indexPackages(meta);
  const rootMeta = meta.packages.find((p) => path.resolve(p.manifest_path) === manifestPath);
  if (!rootMeta) throw new FreestandError(`${manifestPath} is not a package of its workspace (a virtual manifest?); check a member instead.`);
  if (!meta.resolve) throw new FreestandError("`cargo metadata` printed no resolve, so the dependency graph is unknown.");
  const rootKey = packageKey(rootMeta.name, rootMeta.version);
  const workspaceManifest = path.join(meta.workspace_root, "Cargo.toml");
  const workspaceText = await readTextFile(workspaceManifest).catch(() => undefined);
  const workspacePackage = meta.packages.find((p) => path.resolve(p.manifest_path) === path.resolve(workspaceManifest));
  const graph = resolveFeatureGraph(meta, { rootId: rootMeta.id, resolver: resolverVersion(workspaceText, workspacePackage) });
  const rootPkg = graph.packages.get(rootKey)!;

  const { offenders, undecided, checked, filesParsed, cacheHits, pathCrates } = await scanDependencies(graph, rootKey, byKey, tcfg, cache);
  await cache.flush();
  offenders.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));

  const sources = [rootKey, ...[...rootPkg.features].map((f) => featureKey(rootMeta.name, rootMeta.version, f))];
  const directDeps = rootMeta.dependencies.filter((d) => d.kind === null);

  const groups = new Map<string, DependencyStdFinding>();
  const targetsOf = new Map<StdCrate, Set<string>>();
  for (const o of offenders) {
    const targets = targetNodes(o, graph);
    const p = shortestPath(graph, sources, targets);
    o.chain = p ? hopsOf(p) : [{ name: rootMeta.name, version: rootMeta.version, features: [] }, { name: o.name, version: o.version, features: [] }];
    const { meta: _meta, ...crate } = o;
    targetsOf.set(crate, targets);
    // The first hop after the checked package is the direct dependency whose declaration brings std in.
    const first = p ? o.chain.find((h, i) => i > 0 && !(h.name === rootMeta.name && h.version === rootMeta.version)) : undefined;
    const direct = first ? directDeps.find((d) => d.name === first.name) : directDeps.find((d) => d.name === o.name);
    const gkey = direct ? keyOfDep(direct) : "";
    let g = groups.get(gkey);
    if (!g) {
      const version = direct ? (first?.version ?? o.version) : "";
      g = { ...(direct ? { dependency: { ...direct, version } } : {}), crates: [], blockers: [] };
      groups.set(gkey, g);
    }
    g.crates.push(crate);
    if (!p) g.blockers.push(`${o.name}'s features are enabled by feature unification with a build- or dev-dependency (resolver 1); set \`resolver = "2"\` or edition 2021 or later`);
  }

  for (const g of groups.values()) {
    // The dependency itself first, then shorter chains: the message shows the first one.
    g.crates.sort((a, b) => Number(b.name === g.dependency?.name) - Number(a.name === g.dependency?.name) || a.chain.length - b.chain.length || a.name.localeCompare(b.name));
    if (!g.dependency) continue;
    proposeFix(g, graph, rootKey, sources, rootMeta, byKey, targetsOf);
  }
  return {
    package: { name: rootMeta.name, version: rootMeta.version, manifestPath },
    target: opts.target,
    findings: [...groups.values()],
    undecided: undecided.sort((a, b) => a.name.localeCompare(b.name)),
    cratesChecked: checked,
    filesParsed,
    cacheHits,
    pathCrates,
    offline: cg.offline,
  };
}

/**
 * Simulates `default-features = false` on the direct dependency: the edge from the checked package to the
 * dependency's "default" feature goes away; a default feature is kept when adding it back reaches no crate of
 * the group. When std still arrives, says why instead of offering a fix that would not work.
 */
function proposeFix(
  g: DependencyStdFinding,
  graph: FeatureGraph,
  rootKey: string,
  sources: readonly string[],
  rootMeta: MetaPackage,
  byKey: Map<string, MetaPackage>,
  targetsOf: Map<StdCrate, Set<string>>,
): void {
  const dep = g.dependency!;
  const depMeta = byKey.get(`${dep.name}@${dep.version}`);
  const defaultKey = featureKey(dep.name, dep.version, "default");
  const allTargets = new Set(g.crates.flatMap((c) => [...targetsOf.get(c)!]));
  const rootSources = new Set(sources);
  // Edges from the checked package (or its own features) into the dependency: what its Cargo.toml controls.
  const cut = (from: string, to: string) => rootSources.has(from) && to === defaultKey;
  if (!dep.uses_default_features) {
    // Default features are already off: std comes from features requested explicitly or from the crate itself.
  } else if (!shortestPath(graph, sources, allTargets, cut)) {
    const defaults = depMeta?.features["default"] ?? [];
    const keep = defaults.filter((f) => {
      if (f.startsWith("dep:") || f.includes("/")) return false;
      const fk = featureKey(dep.name, dep.version, f);
      const extra = (from: string, to: string) => cut(from, to);
      const p = shortestPath(graph, [...sources, fk], allTargets, extra);
      return !p;
    });
    g.fix = { keepFeatures: keep.filter((f) => !dep.features.includes(f)) };
    return;
  }
  // Explain what still brings std in when default features are off. When the dependency itself links std
  // whatever its features, that is the whole story: what else it turns on is beside the point.
  const itself = g.crates.find((c) => c.name === dep.name && c.version === dep.version);
  if (itself && (itself.reason.kind === "no_no_std" || itself.reason.culprits.length === 0)) {
    const optOut = itself.optOutFeatures;
    g.blockers.push(
      optOut.length > 0
        ? `${dep.name} links std unless its feature ${optOut.map((f) => `"${f}"`).join(" or ")} is enabled (${describeReason(itself.reason)})`
        : `${dep.name} needs std whatever its features (${describeReason(itself.reason)})`,
    );
    return;
  }
  for (const c of g.crates) {
    const p = shortestPath(graph, sources, targetsOf.get(c)!, cut);
    if (!p) continue;
    const hops = hopsOf(p);
    const rootHop = hops[0]!;
    const depHop = hops.find((h) => h.name === dep.name && h.version === dep.version);
    if (rootHop.name === rootMeta.name && rootHop.features.length > 0) {
      g.blockers.push(`feature ${rootHop.features.map((f) => `"${f}"`).join(" → ")} of ${rootMeta.name} enables it (${describeChain(hops)})`);
    } else if (depHop && depHop.features.length > 0 && dep.features.includes(depHop.features[0]!)) {
      g.blockers.push(`the feature "${depHop.features[0]}" requested here enables it (${describeChain(hops)})`);
    } else if (hops[1] && !(hops[1].name === dep.name && hops[1].version === dep.version)) {
      // Another dependency reaches it as well: turning this one's defaults off is not enough on its own.
      g.blockers.push(`${hops[1].name} enables it too (${describeChain(hops)})`);
    } else {
      g.blockers.push(`${dep.name} itself enables it (${describeChain(hops)})`);
    }
  }
  void rootKey;
}

/**
 * Features of the crate, off now, that would each turn its std off: `#[cfg(not(feature = "spin_no_std"))]
 * extern crate std;` or `#![cfg_attr(feature = "no_std", no_std)]`.
 */
function optOutFeaturesOf(reason: CrateStdReason, ctx: CfgContext, declared: readonly string[]): string[] {
  if (reason.kind === "no_no_std" || !reason.cfg) return [];
  const e = parseCfg(reason.cfg);
  if (!e) return [];
  // An `extern crate std` is compiled while its cfg holds; a `cfg_attr(.., no_std)` leaves std in while it does not.
  const stdWhile = reason.kind === "extern_crate_std";
  return [...new Set(featuresIn(e))].filter((f) => !ctx.features.has(f) && declared.includes(f) && evalCfg(e, { ...ctx, features: new Set([...ctx.features, f]) }) === !stdWhile).sort();
}

/** `your_crate → serde (default features) → std`. */
export function describeChain(hops: readonly StdChainHop[]): string {
  const parts = hops.map((h, i) => {
    if (h.features.length === 0 || i === 0) return i === 0 && h.features.length > 0 ? `${h.name} (feature "${h.features[0]}")` : h.name;
    const entry = h.features[0]!;
    return `${h.name} (${entry === "default" ? "default features" : `feature "${entry}"`})`;
  });
  return [...parts, "std"].join(" → ");
}

/** Why a crate links std, in words. */
export function describeReason(r: CrateStdReason): string {
  switch (r.kind) {
    case "no_no_std":
      return "its crate root has no `#![no_std]`";
    case "no_std_disabled":
      return `\`#![cfg_attr(${r.cfg}, no_std)]\` is off${r.culprits.length ? ` because feature ${r.culprits.map((f) => `"${f}"`).join(", ")} is enabled` : ""}`;
    case "extern_crate_std":
      return `\`extern crate std\`${r.cfg ? ` under cfg ${r.cfg}` : ""} is compiled${r.culprits.length ? ` because feature ${r.culprits.map((f) => `"${f}"`).join(", ")} is enabled` : ""}`;
  }
}
