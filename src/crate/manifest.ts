import path from "node:path";
import { promises as fsp } from "node:fs";
import { readUtf8File } from "../util/fs.js";
import { describeError, FreestandError } from "../errors.js";
import { parseToml, valueAt, type TomlDocument } from "./toml.js";

export type Edition = "2015" | "2018" | "2021" | "2024";

/** A crate the package builds: its library or one of its binaries. */
export interface UnitSpec {
  kind: "lib" | "bin";
  name: string;
  /** Absolute path of the crate root file. */
  root: string;
  /** Where the unit is declared in Cargo.toml: `["lib"]`, `["bin", 0]`; undefined when cargo found it by itself. */
  tablePath?: (string | number)[];
  test?: unknown;
  bench?: unknown;
  crateTypes: string[];
}

export interface DependencySpec {
  /** The name the code uses (the key in `[dependencies]`). */
  name: string;
  /** The package on crates.io (`package = "..."` or the key). */
  package: string;
  defaultFeatures: boolean;
  features: string[];
  optional: boolean;
}

export interface PackageManifest {
  doc: TomlDocument;
  dir: string;
  name: string;
  edition: Edition;
  /** True when the manifest has no `[package]`: a virtual workspace root. */
  virtual: boolean;
  units: UnitSpec[];
  dependencies: DependencySpec[];
  /** `[workspace]` members (glob patterns expanded), when this manifest is a workspace root. */
  members: string[];
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

function depsOf(table: unknown): DependencySpec[] {
  if (!table || typeof table !== "object") return [];
  return Object.entries(table as Record<string, unknown>).map(([name, v]) => {
    const spec = typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
    return {
      name,
      package: typeof spec.package === "string" ? spec.package : name,
      defaultFeatures: spec["default-features"] !== false && spec.default_features !== false,
      features: Array.isArray(spec.features) ? spec.features.filter((f): f is string => typeof f === "string") : [],
      optional: spec.optional === true,
    };
  });
}

/** Reads a package's Cargo.toml: name, edition (following `edition.workspace = true`), crates, dependencies. */
export async function loadManifest(dir: string, workspaceRoot?: TomlDocument): Promise<PackageManifest> {
  const doc = await readManifest(path.join(dir, "Cargo.toml"));
  const pkg = doc.value.package as Record<string, unknown> | undefined;
  const virtual = !pkg;
  const name = typeof pkg?.name === "string" ? pkg.name : path.basename(dir);
  let edition: unknown = pkg?.edition;
  if (edition && typeof edition === "object" && (edition as { workspace?: unknown }).workspace === true) {
    edition = valueAt(workspaceRoot?.value ?? doc.value, ["workspace", "package", "edition"]);
  }
  const ed: Edition = edition === "2018" || edition === "2021" || edition === "2024" ? edition : "2015";
  const units: UnitSpec[] = [];
  if (!virtual) {
    const lib = doc.value.lib as Record<string, unknown> | undefined;
    const libPath = typeof lib?.path === "string" ? lib.path : "src/lib.rs";
    if (lib || (await isFile(path.join(dir, libPath)))) {
      const ct = Array.isArray(lib?.["crate-type"]) ? (lib!["crate-type"] as unknown[]).filter((x): x is string => typeof x === "string") : ["lib"];
      units.push({ kind: "lib", name: typeof lib?.name === "string" ? lib.name : name.replace(/-/g, "_"), root: path.resolve(dir, libPath), tablePath: lib ? ["lib"] : undefined, test: lib?.test, bench: lib?.bench, crateTypes: ct });
    }
    const declared = Array.isArray(doc.value.bin) ? (doc.value.bin as Record<string, unknown>[]) : [];
    const byName = new Map<string, UnitSpec>();
    const autobins = pkg?.autobins !== false;
    if (autobins) {
      if (await isFile(path.join(dir, "src/main.rs"))) byName.set(name, { kind: "bin", name, root: path.join(dir, "src/main.rs"), crateTypes: ["bin"] });
      for (const entry of await listDir(path.join(dir, "src/bin"))) {
        if (entry.endsWith(".rs")) {
          const n = entry.slice(0, -3);
          byName.set(n, { kind: "bin", name: n, root: path.join(dir, "src/bin", entry), crateTypes: ["bin"] });
        } else if (await isFile(path.join(dir, "src/bin", entry, "main.rs"))) {
          byName.set(entry, { kind: "bin", name: entry, root: path.join(dir, "src/bin", entry, "main.rs"), crateTypes: ["bin"] });
        }
      }
    }
    declared.forEach((b, i) => {
      const n = typeof b.name === "string" ? b.name : name;
      const auto = byName.get(n);
      const p = typeof b.path === "string" ? path.resolve(dir, b.path) : (auto?.root ?? path.join(dir, n === name ? "src/main.rs" : `src/bin/${n}.rs`));
      byName.set(n, { kind: "bin", name: n, root: p, tablePath: ["bin", i], test: b.test, bench: b.bench, crateTypes: ["bin"] });
    });
    units.push(...byName.values());
  }
  const dependencies = [...depsOf(doc.value.dependencies)];
  const targetTables = doc.value.target;
  if (targetTables && typeof targetTables === "object") {
    for (const t of Object.values(targetTables as Record<string, unknown>)) dependencies.push(...depsOf(valueAt(t, ["dependencies"])));
  }
  const members: string[] = [];
  const ws = doc.value.workspace as Record<string, unknown> | undefined;
  if (ws) {
    const exclude = new Set((Array.isArray(ws.exclude) ? ws.exclude : []).filter((x): x is string => typeof x === "string").map((x) => path.resolve(dir, x)));
    for (const pattern of Array.isArray(ws.members) ? ws.members : []) {
      if (typeof pattern !== "string") continue;
      for (const m of await expandMemberPattern(dir, pattern)) {
        if (!exclude.has(m) && m !== path.resolve(dir) && !members.includes(m)) members.push(m);
      }
    }
  }
  return { doc, dir, name, edition: ed, virtual, units, dependencies, members };
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

/** The workspace root above a package (the closest Cargo.toml with `[workspace]`), if any. */
export async function findWorkspaceRoot(packageDir: string): Promise<TomlDocument | undefined> {
  for (let d = path.dirname(path.resolve(packageDir)); path.dirname(d) !== d; d = path.dirname(d)) {
    const file = path.join(d, "Cargo.toml");
    if (!(await isFile(file))) continue;
    let doc: TomlDocument;
    try {
      doc = await readManifest(file);
    } catch {
      return undefined; // A broken unrelated manifest above us is not this crate's problem.
    }
    if (doc.value.workspace) return doc;
  }
  return undefined;
}
