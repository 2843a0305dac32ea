/**
 * Cargo's feature resolution for one package built for one target, computed from `cargo metadata` alone (one
 * cargo call instead of `cargo metadata` + `cargo tree` + `cargo tree --invert`).
 *
 * `cargo metadata`'s resolve lists which dependencies exist for the platform (`--filter-platform`), but its
 * features are unified over every dependency kind. Resolver 2 (edition 2021 and later) keeps build-dependencies,
 * proc-macros and dev-dependencies apart, so the features the target really gets are recomputed here from the
 * manifests, the way cargo's `FeatureResolver` does it (cargo/src/cargo/core/resolver/features.rs): optional
 * dependencies, `dep:x`, `x/feat`, `x?/feat` (deferred until x is on), default features, platform-specific
 * dependencies. With resolver 1, build-dependencies and proc-macros share the target's feature sets; what
 * dependencies for other platforms would add there is not counted (`--filter-platform` leaves them out).
 */
import type { Metadata, MetaDependency, MetaPackage, ResolveNode } from "./cargo-metadata.js";
import { featureKey, packageKey, type FeatureGraph } from "./feature-graph.js";

type FeatureValue =
  | { kind: "feature"; feature: string }
  | { kind: "dep"; dep: string }
  | { kind: "depFeature"; dep: string; feature: string; weak: boolean };

/** `x`, `dep:x`, `x/feat`, `x?/feat`. */
export function parseFeatureValue(text: string): FeatureValue {
  if (text.startsWith("dep:")) return { kind: "dep", dep: text.slice(4) };
  const slash = text.indexOf("/");
  if (slash < 0) return { kind: "feature", feature: text };
  const weak = text[slash - 1] === "?";
  return { kind: "depFeature", dep: text.slice(0, weak ? slash - 1 : slash), feature: text.slice(slash + 1), weak };
}

/** A normal dependency declaration that is in force on the target, and the package it resolved to. */
interface Link {
  decl: MetaDependency;
  /** The key in the declaring Cargo.toml (`rename ?? name`). */
  nameInToml: string;
  depId: string;
}

/** Compares versions the way semver orders them (numbers numerically; a pre-release before its release). */
function compareVersions(a: string, b: string): number {
  const [ac, ap] = splitPre(a);
  const [bc, bp] = splitPre(b);
  const an = ac.split(".").map(Number);
  const bn = bc.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((an[i] ?? 0) !== (bn[i] ?? 0)) return (an[i] ?? 0) - (bn[i] ?? 0);
  if (ap === bp) return 0;
  if (ap === undefined) return 1;
  if (bp === undefined) return -1;
  return ap < bp ? -1 : 1;
}
function splitPre(v: string): [string, string | undefined] {
  const core = v.split("+")[0]!;
  const dash = core.indexOf("-");
  return dash < 0 ? [core, undefined] : [core.slice(0, dash), core.slice(dash + 1)];
}

function libName(p: MetaPackage): string {
  const lib = p.targets.find((t) => t.kind.some((k) => k === "lib" || k === "rlib" || k === "proc-macro" || k === "dylib" || k === "staticlib" || k === "cdylib"));
  return lib?.name ?? p.name;
}

export function isProcMacroPackage(p: MetaPackage): boolean {
  return p.targets.some((t) => t.kind.includes("proc-macro"));
}

/**
 * Which workspace resolver applies: `resolver = "N"` in the workspace root's manifest text, otherwise the
 * root package's edition (2021 and later mean 2), otherwise 1 (a virtual manifest without the key).
 */
export function resolverVersion(rootManifestText: string | undefined, rootPackage: MetaPackage | undefined): 1 | 2 {
  const m = rootManifestText ? /^\s*resolver\s*=\s*["'](\d+)["']/m.exec(rootManifestText) : null;
  if (m) return m[1] === "1" ? 1 : 2;
  if (rootPackage) return Number(rootPackage.edition) >= 2021 ? 2 : 1;
  return 1;
}

export interface ResolveOptions {
  /** The checked package's id in the metadata. */
  rootId: string;
  resolver: 1 | 2;
}

/** The index the resolver and the graph builder share. */
class Index {
  readonly pkgs = new Map<string, MetaPackage>();
  readonly nodes = new Map<string, ResolveNode>();
  private readonly linkCache = new Map<string, Link[]>();
  constructor(meta: Metadata) {
    for (const p of meta.packages) this.pkgs.set(p.id, p);
    for (const n of meta.resolve?.nodes ?? []) this.nodes.set(n.id, n);
  }

  pkg(id: string): MetaPackage {
    const p = this.pkgs.get(id);
    if (!p) throw new Error(`cargo metadata lists ${id} in its resolve but not among its packages`);
    return p;
  }

  /**
   * The package's normal dependency declarations in force on the target (the resolve, filtered by platform,
   * lists a dependency with the kind and platform of each declaration that applies), in cargo tree's order:
   * by package, then by key.
   */
  links(id: string, withBuild = false): Link[] {
    const cacheKey = `${withBuild ? "b" : "n"}${id}`;
    let out = this.linkCache.get(cacheKey);
    if (out) return out;
    out = [];
    const node = this.nodes.get(id);
    const pkg = this.pkg(id);
    for (const decl of pkg.dependencies) {
      if (decl.kind === "dev" || (decl.kind === "build" && !withBuild)) continue;
      const platform = decl.target ?? null;
      const candidates = (node?.deps ?? []).filter(
        (d) => this.pkgs.get(d.pkg)?.name === decl.name && d.dep_kinds.some((k) => k.kind === decl.kind && (k.target ?? null) === platform),
      );
      let chosen = candidates[0];
      if (candidates.length > 1) {
        // Two versions of one package (`rand07 = { package = "rand", … }`): the resolve names each by the
        // extern crate name, which is the key or the library's name.
        chosen = candidates.find((d) => d.name === (decl.rename ?? libName(this.pkg(d.pkg))).replace(/-/g, "_")) ?? chosen;
      }
      if (!chosen) continue; // an optional dependency nothing turns on, or one for another platform
      out.push({ decl, nameInToml: decl.rename ?? decl.name, depId: chosen.pkg });
    }
    out.sort((a, b) => {
      const pa = this.pkg(a.depId);
      const pb = this.pkg(b.depId);
      return pa.name < pb.name ? -1 : pa.name > pb.name ? 1 : compareVersions(pa.version, pb.version) || (a.depId < b.depId ? -1 : a.depId > b.depId ? 1 : 0) || (a.nameInToml < b.nameInToml ? -1 : a.nameInToml > b.nameInToml ? 1 : 0);
    });
    this.linkCache.set(cacheKey, out);
    return out;
  }
}

/**
 * cargo's `FeatureResolver`: resolver 2's target side (normal dependencies; proc-macros and build-dependencies
 * are the host's), or resolver 1, where build-dependencies and proc-macros share one feature set with the target.
 */
class Resolver {
  readonly features = new Map<string, Set<string>>();
  readonly activatedDeps = new Map<string, Set<string>>();
  private readonly deferredWeak = new Map<string, Set<string>>();
  readonly processed = new Set<string>();

  constructor(
    private readonly ix: Index,
    private readonly unified: boolean,
  ) {}

  private hostOnly(id: string): boolean {
    return !this.unified && isProcMacroPackage(this.ix.pkg(id));
  }

  private featuresOf(id: string): Set<string> {
    let s = this.features.get(id);
    if (!s) this.features.set(id, (s = new Set()));
    return s;
  }

  /** What a declaration asks of its dependency: its `features`, and `default` when kept and defined. */
  fromDeclaration(decl: MetaDependency, depId: string): FeatureValue[] {
    const out = decl.features.map(parseFeatureValue);
    if (decl.uses_default_features && "default" in this.ix.pkg(depId).features) out.push({ kind: "feature", feature: "default" });
    return out;
  }

  activatePkg(id: string, fvs: readonly FeatureValue[]): void {
    // Proc-macros run in the compiler on the host; their features and dependencies never reach the target.
    if (this.hostOnly(id)) return;
    this.featuresOf(id);
    for (const fv of fvs) this.activateFv(id, fv);
    if (this.processed.has(id)) return;
    this.processed.add(id);
    for (const l of this.ix.links(id, this.unified)) {
      if (l.decl.optional) continue; // optional dependencies come on through features
      this.activatePkg(l.depId, this.fromDeclaration(l.decl, l.depId));
    }
  }

  private activateFv(id: string, fv: FeatureValue): void {
    if (fv.kind === "feature") this.activateFeature(id, fv.feature);
    else if (fv.kind === "dep") this.activateDependency(id, fv.dep);
    else this.activateDepFeature(id, fv.dep, fv.feature, fv.weak);
  }

  private activateFeature(id: string, feature: string): void {
    const enabled = this.featuresOf(id);
    if (enabled.has(feature)) return;
    enabled.add(feature);
    for (const v of this.ix.pkg(id).features[feature] ?? []) this.activateFv(id, parseFeatureValue(v));
  }

  private activateDependency(id: string, dep: string): void {
    let act = this.activatedDeps.get(id);
    if (!act) this.activatedDeps.set(id, (act = new Set()));
    act.add(dep);
    const key = `${id}\0${dep}`;
    const deferred = this.deferredWeak.get(key);
    this.deferredWeak.delete(key);
    for (const l of this.ix.links(id, this.unified)) {
      if (l.nameInToml !== dep) continue;
      if (this.hostOnly(l.depId)) continue;
      for (const f of deferred ?? []) this.activateFv(l.depId, parseFeatureValue(f));
      this.activatePkg(l.depId, this.fromDeclaration(l.decl, l.depId));
    }
  }

  private activateDepFeature(id: string, dep: string, feature: string, weak: boolean): void {
    for (const l of this.ix.links(id, this.unified)) {
      if (l.nameInToml !== dep) continue;
      if (l.decl.optional) {
        if (weak && !this.activatedDeps.get(id)?.has(dep)) {
          // `dep?/feature`: only if something else turns the dependency on; remember it until then.
          const key = `${id}\0${dep}`;
          let s = this.deferredWeak.get(key);
          if (!s) this.deferredWeak.set(key, (s = new Set()));
          s.add(feature);
          continue;
        }
        this.activateDependency(id, dep);
        // The behaviour from before `dep:`: `x/feat` also enables the feature named x, when there is one.
        if (!weak && dep in this.ix.pkg(id).features) this.activateFeature(id, dep);
      }
      if (this.hostOnly(l.depId)) continue;
      this.activateFv(l.depId, parseFeatureValue(feature));
    }
  }
}

/**
 * The target-side feature graph of the package `rootId` with its default features, from `cargo metadata`
 * (run with `--filter-platform <target>`).
 */
export function resolveFeatureGraph(meta: Metadata, opts: ResolveOptions): FeatureGraph {
  const unified = opts.resolver === 1;
  const ix = new Index(meta);
  const root = ix.pkg(opts.rootId);
  const r = new Resolver(ix, unified);
  r.activatePkg(opts.rootId, "default" in root.features ? [{ kind: "feature", feature: "default" }] : []);
  return buildGraph(ix, r, opts.rootId);
}

/**
 * Edges in cargo tree's order (`cargo tree -e normal,features`), with one difference: an optional dependency
 * hangs off the features that turn it on, not off its package, so a chain says which feature brought it and
 * the `default-features = false` simulation sees that turning the feature off removes it.
 */
function buildGraph(ix: Index, r: Resolver, rootId: string): FeatureGraph {
  const keyOf = (id: string) => {
    const p = ix.pkg(id);
    return packageKey(p.name, p.version);
  };
  const featKey = (id: string, f: string) => {
    const p = ix.pkg(id);
    return featureKey(p.name, p.version, f);
  };
  const graph: FeatureGraph = { roots: [keyOf(rootId)], packages: new Map(), edges: new Map() };
  const edge = (from: string, to: string) => {
    let s = graph.edges.get(from);
    if (!s) graph.edges.set(from, (s = new Set()));
    s.add(to);
  };
  const activated = (id: string, l: Link) => !l.decl.optional || (r.activatedDeps.get(id)?.has(l.nameInToml) ?? false);
  // The packages compiled for the target: reached from the root through normal dependencies that are on, not
  // through proc-macros (with resolver 1 the resolver also walked build-dependencies, for their features only).
  const ids = [rootId];
  const reached = new Set(ids);
  for (let i = 0; i < ids.length; i++) {
    for (const l of ix.links(ids[i]!)) {
      if (reached.has(l.depId) || !activated(ids[i]!, l) || isProcMacroPackage(ix.pkg(l.depId))) continue;
      reached.add(l.depId);
      ids.push(l.depId);
    }
  }
  // A feature node's first edge is to its own package (an enabled feature means the package is compiled).
  for (const id of ids) {
    const p = ix.pkg(id);
    const k = keyOf(id);
    const features = r.features.get(id) ?? new Set<string>();
    if (!graph.packages.has(k)) graph.packages.set(k, { key: k, name: p.name, version: p.version, features });
    for (const f of features) edge(featKey(id, f), k);
  }
  const enabled = (id: string, f: string) => r.features.get(id)?.has(f) ?? false;
  /** Edges for what a declaration asks of its dependency, from `from`. */
  const declarationEdges = (from: string, l: Link) => {
    if (isProcMacroPackage(ix.pkg(l.depId))) return;
    let any = false;
    const asked = [...(l.decl.uses_default_features && "default" in ix.pkg(l.depId).features ? ["default"] : []), ...l.decl.features];
    for (const f of asked) {
      const fv = parseFeatureValue(f);
      if (fv.kind === "feature" && enabled(l.depId, fv.feature)) {
        edge(from, featKey(l.depId, fv.feature));
        any = true;
      }
    }
    if (!any) edge(from, keyOf(l.depId));
  };
  for (const id of ids) {
    const pk = keyOf(id);
    const links = ix.links(id).filter((l) => activated(id, l));
    for (const l of links) if (!l.decl.optional) declarationEdges(pk, l);
    const featureMap = ix.pkg(id).features;
    for (const f of [...(r.features.get(id) ?? [])].sort()) {
      const from = featKey(id, f);
      for (const v of featureMap[f] ?? []) {
        const fv = parseFeatureValue(v);
        if (fv.kind === "feature") {
          if (enabled(id, fv.feature)) edge(from, featKey(id, fv.feature));
        } else if (fv.kind === "dep") {
          for (const l of links) if (l.nameInToml === fv.dep && l.decl.optional) declarationEdges(from, l);
        } else {
          for (const l of links) {
            if (l.nameInToml !== fv.dep) continue;
            if (l.decl.optional && !fv.weak && enabled(id, fv.dep)) edge(from, featKey(id, fv.dep));
            if (!isProcMacroPackage(ix.pkg(l.depId)) && enabled(l.depId, fv.feature)) edge(from, featKey(l.depId, fv.feature));
            if (l.decl.optional && !fv.weak) declarationEdges(from, l);
          }
        }
      }
    }
  }
  return graph;
}
