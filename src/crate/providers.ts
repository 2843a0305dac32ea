import path from "node:path";
import { promises as fsp } from "node:fs";
import type { CrateModel } from "./model.js";
import { cfgTestFor } from "./model.js";
import type { CargoDependency } from "./packages.js";
import { manifestDependencies, readManifest } from "./manifest.js";
import { enabledFeatures } from "./features.js";
import { loadModuleTree, type SourceStore } from "./modules.js";
import { DependencySources } from "./dependency-sources.js";
import { evalCfg, parseCfg } from "../toolchain/cfg.js";
import { cfgConditions, findAttributes } from "../syntax/queries.js";
import { valueAt } from "../cargo/toml.js";
import { readTextFile } from "../util/fs.js";

/**
 * Does a dependency give the program an item the crate itself lacks — a `#[panic_handler]`, a
 * `#[global_allocator]`? Answered from the dependencies' own sources with the features cargo enables, where
 * those sources are on this machine (path dependencies always; registry crates when unpacked); otherwise the
 * answer is "unknown", never a guess.
 */
export type Provision = { kind: "yes"; by: string } | { kind: "no" } | { kind: "unknown"; unread: string[] };

export type ProvidedItem = "panic_handler" | "global_allocator";

/** Does the dependency, as declared, take part in this build (its platform and, if optional, its feature)? */
export function dependencyActive(model: CrateModel, d: CargoDependency, dev = false): boolean | undefined {
  if (d.kind === "build" || (d.kind === "dev" && !dev)) return false;
  if (d.optional) {
    const key = d.rename ?? d.name;
    const on = model.features.has(key) || [...model.features].some((f) => (model.package.features[f] ?? []).some((i) => i === `dep:${key}` || i.startsWith(`${key}/`)));
    if (!on) return false;
  }
  if (!d.target) return true;
  if (!d.target.startsWith("cfg(")) return d.target === model.target.triple;
  const e = parseCfg(d.target.slice(4, -1));
  return e ? evalCfg(e, model.cfg) : undefined;
}

const sourcesByRoot = new WeakMap<object, Promise<DependencySources>>();
const scans = new Map<string, Promise<boolean | undefined>>();

function sourcesFor(model: CrateModel): Promise<DependencySources> {
  let p = sourcesByRoot.get(model.workspace);
  if (!p) {
    p = DependencySources.load(model.workspace.graph.workspaceRoot, model.config);
    sourcesByRoot.set(model.workspace, p);
  }
  return p;
}

/** The directory of a dependency's source: a path dependency's, or a registry crate found on this machine. */
export async function locateDependency(model: CrateModel, d: CargoDependency): Promise<string | undefined> {
  return d.path ?? (await (await sourcesFor(model)).locate(d.name));
}

/** .rs files under a directory that mention a word, without parsing (most crates answer "none" here). */
async function filesMentioning(dir: string, word: string, budget = { files: 4000 }, depth = 0): Promise<string[]> {
  if (depth > 10 || budget.files <= 0) return [];
  const out: string[] = [];
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== "target" && !e.name.startsWith(".")) out.push(...(await filesMentioning(p, word, budget, depth + 1)));
    else if (e.isFile() && e.name.endsWith(".rs") && budget.files-- > 0) {
      const text = await readTextFile(p).catch(() => "");
      if (text.includes(word)) out.push(p);
    }
  }
  return out;
}

/** Scans one crate (its library) for the item, with its features and the target's cfg. */
async function crateProvides(dir: string, requested: { defaults: boolean; features: string[] }, item: ProvidedItem, model: CrateModel, store: SourceStore): Promise<boolean | undefined> {
  const key = `${dir}\0${item}\0${requested.defaults}\0${requested.features.join(",")}\0${model.target.triple}`;
  let p = scans.get(key);
  if (!p) {
    p = (async () => {
      const doc = await readManifest(path.join(dir, "Cargo.toml")).catch(() => undefined);
      if (!doc) return undefined;
      const libPath = valueAt(doc.value, ["lib", "path"]);
      const root = path.resolve(dir, typeof libPath === "string" ? libPath : "src/lib.rs");
      if (!(await fsp.stat(root).then((s) => s.isFile(), () => false))) return false;
      if ((await filesMentioning(path.dirname(root), item)).length === 0) return false;
      const table = (doc.value.features ?? {}) as Record<string, string[]>;
      const features = enabledFeatures({ features: table, dependencies: manifestDependencies(doc, dir) }, { features: requested.features, noDefaultFeatures: !requested.defaults });
      const test = cfgTestFor({ ...model.cfg, features });
      const modules = await loadModuleTree(root, store, test);
      let unknown = false;
      for (const m of modules) {
        for (const { attr, item: it } of findAttributes(m.source, [item])) {
          const v = test([...m.cfgs, ...(it ? cfgConditions(it) : cfgConditions(attr.node))]);
          if (v === true) return true;
          if (v === undefined) unknown = true;
        }
      }
      return unknown ? undefined : false;
    })().catch(() => undefined);
    scans.set(key, p);
  }
  return p;
}

/**
 * Whether the package's dependencies provide the item: known providers by name (`panic-halt`), then the sources
 * of path dependencies (and their path dependencies) and of registry crates found on this machine.
 */
export async function dependencyProvides(model: CrateModel, item: ProvidedItem, knownProvider: (name: string) => boolean, dev = false): Promise<Provision> {
  const sources = await sourcesFor(model);
  const unread: string[] = [];
  const seen = new Set<string>();
  const visit = async (deps: CargoDependency[], active: (d: CargoDependency) => boolean | undefined, from: string): Promise<string | undefined> => {
    for (const d of deps) {
      const on = active(d);
      if (on === false) continue;
      const name = d.rename ?? d.name;
      if (knownProvider(d.name)) {
        if (on) return name;
        unread.push(name);
        continue;
      }
      const dir = d.path ?? (await sources.locate(d.name));
      if (!dir) {
        unread.push(name);
        continue;
      }
      if (seen.has(dir)) continue;
      seen.add(dir);
      const v = await crateProvides(dir, { defaults: d.defaultFeatures, features: d.features }, item, model, model.store);
      if (v === true && on) return name;
      if (v !== false) unread.push(name);
      // Its own dependencies are linked too: path ones are read, registry ones checked by name and source.
      const doc = await readManifest(path.join(dir, "Cargo.toml")).catch(() => undefined);
      if (!doc) continue;
      const inner = manifestDependencies(doc, dir).filter((x) => x.kind === "normal" && !x.optional);
      const found = await visit(inner, (x) => (x.target ? undefined : true), name);
      if (found) return `${name} (through ${found})`;
      void from;
    }
    return undefined;
  };
  const by = await visit(model.manifest.dependencies, (d) => dependencyActive(model, d, dev), model.manifest.name);
  if (by) return { kind: "yes", by };
  return unread.length > 0 ? { kind: "unknown", unread: [...new Set(unread)] } : { kind: "no" };
}
