/** The parts of `cargo metadata --format-version 1` the dependency analysis reads. */

export interface MetaDependency {
  name: string;
  rename?: string | null;
  kind: "dev" | "build" | null;
  optional: boolean;
  uses_default_features: boolean;
  features: string[];
  target?: string | null;
}

export interface MetaTarget {
  name: string;
  kind: string[];
  crate_types: string[];
  src_path: string;
  edition?: string;
}

export interface MetaPackage {
  id: string;
  name: string;
  version: string;
  manifest_path: string;
  source: string | null;
  edition: string;
  features: Record<string, string[]>;
  dependencies: MetaDependency[];
  targets: MetaTarget[];
}

/** One package of the resolve: its resolved dependencies, each with the kinds and platforms that declare it. */
export interface ResolveNode {
  id: string;
  deps: { name: string; pkg: string; dep_kinds: { kind: "dev" | "build" | null; target: string | null }[] }[];
  /** Features the dependency resolver enabled, unified over every dependency kind (the resolver-1 view). */
  features: string[];
}

export interface Metadata {
  packages: MetaPackage[];
  /** With `--filter-platform T`, dependencies for other platforms are left out. */
  resolve?: { nodes: ResolveNode[]; root: string | null } | null;
  workspace_members: string[];
  workspace_root: string;
  target_directory: string;
}

/** Validates the little that is relied upon, so malformed output is one clear error rather than a crash later. */
export function parseMetadata(json: string): Metadata {
  const m = JSON.parse(json) as Metadata;
  if (!m || !Array.isArray(m.packages) || !Array.isArray(m.workspace_members)) {
    throw new Error("cargo metadata printed no package list");
  }
  return m;
}

/** The library target (lib, rlib, … or proc-macro), whose root decides whether the crate is `no_std`. */
export function libTarget(pkg: MetaPackage): MetaTarget | undefined {
  return pkg.targets.find((t) => t.kind.some((k) => k === "lib" || k === "rlib" || k === "proc-macro" || k === "staticlib" || k === "cdylib" || k === "dylib"));
}

/** name@version → package (the first one, when two sources hold the same version). */
export function indexPackages(meta: Metadata): Map<string, MetaPackage> {
  const map = new Map<string, MetaPackage>();
  for (const p of meta.packages) {
    const k = `${p.name}@${p.version}`;
    if (!map.has(k)) map.set(k, p);
  }
  return map;
}
