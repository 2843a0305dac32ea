import path from "node:path";
import { promises as fsp } from "node:fs";
import { readUtf8File } from "../util/fs.js";
import { describeError, FreestandError } from "../errors.js";
import { parseToml, valueAt, type TomlDocument } from "../cargo/toml.js";
import type { CargoDependency, CargoPackage, CargoTarget, PackageGraph, TargetKind } from "./packages.js";

export type Edition = "2015" | "2018" | "2021" | "2024";

/** A crate the package builds: its library, a binary, an example, an integration test or a benchmark. */
export interface UnitSpec {
  kind: Exclude<TargetKind, "custom-build">;
  name: string;
  /** Absolute path of the crate root file. */
  root: string;
  /** `lib`, `rlib`, `staticlib`, `cdylib`, `proc-macro` for a library; `bin` otherwise. */
  crateTypes: string[];
  edition: Edition;
  /** Where the unit is declared in Cargo.toml: `["lib"]`, `["bin", 0]`; undefined when cargo found it by itself. */
  tablePath?: (string | number)[];
  /** The raw `test`, `bench` and `harness` values of its section (undefined: not written). */
  test?: unknown;
  bench?: unknown;
  harness?: unknown;
  requiredFeatures: string[];
}

export interface PackageManifest {
  doc: TomlDocument;
  dir: string;
  name: string;
  edition: Edition;
  units: UnitSpec[];
  /** Every dependency, of every kind. */
  dependencies: CargoDependency[];
  /** The `[features]` table. */
  features: Record<string, string[]>;
}

export async function readManifest(file: string): Promise<TomlDocument> {
  let text: string;
  try {
    text = await readUtf8File(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new FreestandError(`${path.dirname(file)} has no Cargo.toml; point freestand at a crate or workspace directory.`);
    }
    throw err instanceof FreestandError ? err : new FreestandError(describeError(err));
  }
  return parseToml(file, text);
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isFile();
  } catch {
    return false;
  }
}

async function listDir(p: string): Promise<string[]> {
  try {
    return (await fsp.readdir(p)).sort();
  } catch {
    return [];
  }
}

const SECTION: Record<UnitSpec["kind"], string> = { lib: "lib", bin: "bin", example: "example", test: "test", bench: "bench" };

/** The section of Cargo.toml that declares a target, with its raw flags. */
function sectionOf(doc: TomlDocument, kind: UnitSpec["kind"], name: string, packageName: string): Pick<UnitSpec, "tablePath" | "test" | "bench" | "harness"> {
  if (kind === "lib") {
    const lib = doc.value.lib as Record<string, unknown> | undefined;
    return lib ? { tablePath: ["lib"], test: lib.test, bench: lib.bench, harness: lib.harness } : {};
  }
  const list = doc.value[SECTION[kind]];
  if (!Array.isArray(list)) return {};
  const i = list.findIndex((t) => {
    const n = (t as Record<string, unknown>)?.name;
    return n === name || (n === undefined && kind === "bin" && name === packageName);
  });
  if (i < 0) return {};
  const t = list[i] as Record<string, unknown>;
  return { tablePath: [SECTION[kind], i], test: t.test, bench: t.bench, harness: t.harness };
}

/** Units of a package as cargo reported its targets, with the manifest sections that declare them. */
export function unitsFromTargets(doc: TomlDocument, pkg: Pick<CargoPackage, "name" | "targets">): UnitSpec[] {
  const out: UnitSpec[] = [];
  for (const t of pkg.targets) {
    if (t.kind === "custom-build") continue;
    out.push({
      kind: t.kind,
      name: t.name,
      root: t.root,
      crateTypes: t.crateTypes,
      edition: t.edition,
      requiredFeatures: t.requiredFeatures,
      ...sectionOf(doc, t.kind, t.name, pkg.name),
    });
  }
  return out;
}

function depsOf(table: unknown, kind: CargoDependency["kind"], dir: string, target?: string): CargoDependency[] {
  if (!table || typeof table !== "object") return [];
  return Object.entries(table as Record<string, unknown>).map(([key, v]) => {
    const spec = typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
    const pkgName = typeof spec.package === "string" ? spec.package : key;
    return {
      name: pkgName,
      ...(pkgName !== key ? { rename: key } : {}),
      kind,
      ...(target ? { target } : {}),
      optional: spec.optional === true,
      defaultFeatures: spec["default-features"] !== false && spec.default_features !== false,
      features: Array.isArray(spec.features) ? spec.features.filter((f): f is string => typeof f === "string") : [],
      ...(typeof spec.path === "string" ? { path: path.resolve(dir, spec.path) } : {}),
    };
  });
}

/** Every dependency a manifest declares, of every kind and platform. */
export function manifestDependencies(doc: TomlDocument, dir: string): CargoDependency[] {
  const v = doc.value;
  const out = [...depsOf(v.dependencies, "normal", dir), ...depsOf(v["dev-dependencies"], "dev", dir), ...depsOf(v["build-dependencies"], "build", dir)];
  const targets = v.target;
  if (targets && typeof targets === "object") {
    for (const [cfg, t] of Object.entries(targets as Record<string, unknown>)) {
      out.push(...depsOf(valueAt(t, ["dependencies"]), "normal", dir, cfg), ...depsOf(valueAt(t, ["build-dependencies"]), "build", dir, cfg));
    }
  }
  return out;
}

function editionOf(value: unknown, workspaceRoot: TomlDocument | undefined): UnitSpec["edition"] {
  let e = value;
  if (e && typeof e === "object" && (e as { workspace?: unknown }).workspace === true) e = valueAt(workspaceRoot?.value, ["workspace", "package", "edition"]);
  return e === "2018" || e === "2021" || e === "2024" ? e : "2015";
}

/**
 * A package as the fallback reader sees it, when cargo cannot be asked: cargo's discovery rules for the
 * library, binaries (`src/main.rs`, `src/bin/`), examples, tests and benches, and the declared sections.
 */
async function packageFromManifest(doc: TomlDocument, workspaceRoot: TomlDocument | undefined): Promise<CargoPackage | undefined> {
  const dir = path.dirname(doc.path);
  const pkg = doc.value.package as Record<string, unknown> | undefined;
  if (!pkg) return undefined;
  const name = typeof pkg.name === "string" ? pkg.name : path.basename(dir);
  const ed = editionOf(pkg.edition, workspaceRoot);
  const targets: CargoTarget[] = [];
  const add = (kind: TargetKind, n: string, root: string, crateTypes: string[], decl?: Record<string, unknown>) =>
    targets.push({
      kind,
      name: n,
      root,
      crateTypes,
      edition: decl?.edition ? editionOf(decl.edition, workspaceRoot) : ed,
      test: typeof decl?.test === "boolean" ? decl.test : kind !== "example" && kind !== "bench" && kind !== "custom-build",
      requiredFeatures: Array.isArray(decl?.["required-features"]) ? (decl!["required-features"] as unknown[]).filter((x): x is string => typeof x === "string") : [],
    });
  const lib = doc.value.lib as Record<string, unknown> | undefined;
  const libPath = typeof lib?.path === "string" ? lib.path : "src/lib.rs";
  if (lib || (await isFile(path.join(dir, libPath)))) {
    const ct = Array.isArray(lib?.["crate-type"]) ? (lib!["crate-type"] as unknown[]).filter((x): x is string => typeof x === "string") : ["lib"];
    add("lib", typeof lib?.name === "string" ? lib.name : name.replace(/-/g, "_"), path.resolve(dir, libPath), lib?.["proc-macro"] === true ? ["proc-macro"] : ct, lib);
  }
  const discover = async (kind: TargetKind, sub: string, auto: boolean): Promise<Map<string, string>> => {
    const found = new Map<string, string>();
    if (!auto) return found;
    if (kind === "bin" && (await isFile(path.join(dir, "src/main.rs")))) found.set(name, path.join(dir, "src/main.rs"));
    for (const entry of await listDir(path.join(dir, sub))) {
      if (entry.endsWith(".rs")) found.set(entry.slice(0, -3), path.join(dir, sub, entry));
      else if (await isFile(path.join(dir, sub, entry, "main.rs"))) found.set(entry, path.join(dir, sub, entry, "main.rs"));
    }
    return found;
  };
  const kinds: [TargetKind, string, string, string][] = [
    ["bin", "bin", "src/bin", "autobins"],
    ["example", "example", "examples", "autoexamples"],
    ["test", "test", "tests", "autotests"],
    ["bench", "bench", "benches", "autobenches"],
  ];
  for (const [kind, section, sub, autoKey] of kinds) {
    const auto = await discover(kind, sub, pkg[autoKey] !== false);
    const declared = Array.isArray(doc.value[section]) ? (doc.value[section] as Record<string, unknown>[]) : [];
    const seen = new Set<string>();
    for (const d of declared) {
      const n = typeof d.name === "string" ? d.name : name;
      const root = typeof d.path === "string" ? path.resolve(dir, d.path) : (auto.get(n) ?? path.join(dir, kind === "bin" && n === name ? "src/main.rs" : `${sub}/${n}.rs`));
      seen.add(n);
      add(kind, n, root, ["bin"], d);
    }
    for (const [n, root] of auto) if (!seen.has(n)) add(kind, n, root, ["bin"]);
  }
  if (pkg.build !== false) {
    const build = typeof pkg.build === "string" ? path.resolve(dir, pkg.build) : path.join(dir, "build.rs");
    if (await isFile(build)) add("custom-build", "build-script-build", build, ["bin"]);
  }
  const features: Record<string, string[]> = {};
  const ft = doc.value.features;
  if (ft && typeof ft === "object") {
    for (const [k, v] of Object.entries(ft as Record<string, unknown>)) features[k] = Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  }
  return {
    name,
    version: typeof pkg.version === "string" ? pkg.version : "0.0.0",
    manifestPath: doc.path,
    dir,
    edition: ed,
    targets,
    dependencies: manifestDependencies(doc, dir),
    features,
    metadata: pkg.metadata,
  };
}

/** Expands a workspace member pattern: plain paths and `*` / `?` in path segments (what cargo's globs mostly are). */
async function expandMemberPattern(root: string, pattern: string): Promise<string[]> {
  const segments = pattern.split("/").filter((s) => s && s !== ".");
  let dirs = [path.resolve(root)];
  for (const seg of segments) {
    const next: string[] = [];
    if (!/[*?[]/.test(seg)) {
      for (const d of dirs) next.push(path.join(d, seg));
    } else {
      const re = new RegExp(`^${seg.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`);
      for (const d of dirs) for (const e of await listDir(d)) if (re.test(e)) next.push(path.join(d, e));
    }
    dirs = next;
  }
  const out: string[] = [];
  for (const d of dirs) if (await isFile(path.join(d, "Cargo.toml"))) out.push(d);
  return out;
}

/** The workspace root above a package (the closest Cargo.toml with `[workspace]` that does not exclude it), if any. */
export async function findWorkspaceRoot(packageDir: string): Promise<TomlDocument | undefined> {
  const abs = path.resolve(packageDir);
  for (let d = path.dirname(abs); path.dirname(d) !== d; d = path.dirname(d)) {
    const file = path.join(d, "Cargo.toml");
    if (!(await isFile(file))) continue;
    let doc: TomlDocument;
    try {
      doc = await readManifest(file);
    } catch {
      return undefined; // A broken unrelated manifest above us is not this crate's problem.
    }
    const ws = doc.value.workspace as Record<string, unknown> | undefined;
    if (!ws) continue;
    const excluded = (Array.isArray(ws.exclude) ? ws.exclude : []).some((x) => typeof x === "string" && (abs === path.resolve(d, x) || abs.startsWith(path.resolve(d, x) + path.sep)));
    return excluded ? undefined : doc;
  }
  return undefined;
}

/**
 * The package graph read from the manifests alone, for when cargo cannot answer: the package in `dir`, and
 * the members of the workspace it roots.
 */
export async function manifestPackageGraph(dir: string, rootDoc: TomlDocument): Promise<PackageGraph> {
  const abs = path.resolve(dir);
  const wsDoc = rootDoc.value.workspace ? rootDoc : await findWorkspaceRoot(abs);
  const packages: CargoPackage[] = [];
  const own = await packageFromManifest(rootDoc, wsDoc);
  if (own) packages.push(own);
  const members: string[] = own ? [own.manifestPath] : [];
  const ws = rootDoc.value.workspace as Record<string, unknown> | undefined;
  if (ws) {
    const exclude = new Set((Array.isArray(ws.exclude) ? ws.exclude : []).filter((x): x is string => typeof x === "string").map((x) => path.resolve(abs, x)));
    for (const pattern of Array.isArray(ws.members) ? ws.members : []) {
      if (typeof pattern !== "string") continue;
      for (const m of await expandMemberPattern(abs, pattern)) {
        const file = path.join(m, "Cargo.toml");
        if (exclude.has(m) || m === abs || members.includes(file)) continue;
        const p = await packageFromManifest(await readManifest(file), rootDoc);
        if (!p) continue;
        packages.push(p);
        members.push(file);
      }
    }
  }
  const root = wsDoc ? path.dirname(wsDoc.path) : abs;
  const dm = Array.isArray(ws?.["default-members"]) ? (ws!["default-members"] as unknown[]).filter((x): x is string => typeof x === "string").map((x) => path.join(path.resolve(abs, x), "Cargo.toml")) : members;
  return { workspaceRoot: root, members, defaultMembers: dm, packages };
}

/** The manifest model of one package of the graph. */
export function packageManifest(doc: TomlDocument, pkg: CargoPackage): PackageManifest {
  return {
    doc,
    dir: pkg.dir,
    name: pkg.name,
    edition: pkg.edition,
    units: unitsFromTargets(doc, pkg),
    dependencies: pkg.dependencies,
    features: pkg.features,
  };
}
