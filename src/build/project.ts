import { promises as fsp } from "node:fs";
import path from "node:path";
import { FreestandError } from "../errors.js";
import { loadPackageGraph, type CargoPackage, type CargoTarget, type PackageGraph } from "../crate/packages.js";
import { enabledFeatures } from "../crate/features.js";
import { explicitManifest, splitFeatures, type CargoSelection } from "./selection.js";
import { relativeInside } from "../util/paths.js";

/**
 * The crate a command works on, found the way cargo finds it: `--manifest-path`, or the nearest Cargo.toml at or
 * above the directory cargo runs in; and the packages cargo builds for a selection (`-p`, `--workspace`, the
 * workspace's default members at its root, the current package elsewhere).
 */
export interface Project {
  /** Where cargo runs. */
  cwd: string;
  manifestPath: string;
  /** cargo's own listing (`cargo metadata --no-deps --offline`); undefined when cargo could not answer. */
  graph?: PackageGraph;
  /** cargo's reason when it could not list the packages (the build then says it again, in full). */
  graphProblem?: string;
  /** The packages the selection builds (empty without a graph). */
  selected: CargoPackage[];
}

/** The Cargo.toml that cargo would use for `dir`: in it or in the nearest parent, as cargo searches. */
export async function findManifest(dir: string): Promise<string> {
  const start = path.resolve(dir);
  let st;
  try {
    st = await fsp.stat(start);
  } catch {
    throw new FreestandError(`${dir} does not exist.`);
  }
  if (!st.isDirectory()) throw new FreestandError(`${dir} is not a directory.`);
  for (let d = start; ; d = path.dirname(d)) {
    const candidate = path.join(d, "Cargo.toml");
    if (await fsp.stat(candidate).then((s) => s.isFile(), () => false)) return candidate;
    if (path.dirname(d) === d) break;
  }
  throw new FreestandError(`could not find \`Cargo.toml\` in ${start} or any parent directory; create a crate with \`freestand new\`.`);
}

export async function loadProject(sel: CargoSelection, env: NodeJS.ProcessEnv = process.env): Promise<Project> {
  const cwd = path.resolve(sel.cwd ?? ".");
  const given = explicitManifest(sel);
  if (given && !(await fsp.stat(given).then((s) => s.isFile(), () => false))) throw new FreestandError(`manifest path \`${sel.manifestPath}\` does not exist.`);
  const manifestPath = given ?? (await findManifest(cwd));
  const listed = await loadPackageGraph(path.dirname(manifestPath), env, { manifestPath, cwd, config: sel.config });
  if (!listed.ok) return { cwd, manifestPath, graphProblem: listed.problem, selected: [] };
  return { cwd, manifestPath, graph: listed.graph, selected: selectPackages(listed.graph, manifestPath, sel) };
}

/** `name`, `name@version` or a package id URL fragment (`…#name@1.0.0`) matches a package as cargo's pkgid spec does. */
function specMatches(spec: string, p: CargoPackage): boolean {
  const tail = spec.includes("#") ? spec.slice(spec.lastIndexOf("#") + 1) : spec;
  const [name, version] = tail.split("@");
  if (name !== p.name && !(spec.includes("#") && version === undefined && name === p.version)) return false;
  return version === undefined || p.version === version || p.version.startsWith(`${version}.`);
}

/** The packages cargo builds for the selection, by cargo's rules. */
export function selectPackages(graph: PackageGraph, manifestPath: string, sel: CargoSelection): CargoPackage[] {
  const members = graph.packages.filter((p) => graph.members.includes(p.manifestPath));
  if (sel.packages?.length) {
    return sel.packages.map((spec) => {
      const found = members.find((p) => specMatches(spec, p));
      if (!found) throw new FreestandError(`package ID specification \`${spec}\` did not match any packages; the workspace has ${members.map((p) => `\`${p.name}\``).join(", ")}.`);
      return found;
    });
  }
  if (sel.workspace) return members.filter((p) => !(sel.exclude ?? []).some((spec) => specMatches(spec, p)));
  const atRoot = path.resolve(path.dirname(manifestPath)) === path.resolve(graph.workspaceRoot);
  if (atRoot) return members.filter((p) => graph.defaultMembers.includes(p.manifestPath));
  return members.filter((p) => p.manifestPath === manifestPath);
}

/** A binary or example that `run` and `size` work on. */
export interface Executable {
  package: CargoPackage;
  kind: "bin" | "example";
  name: string;
}

function available(targets: { package: CargoPackage; target: CargoTarget }[], several: boolean): string {
  return targets.map((t) => (several && t.target.name !== t.package.name ? `${t.target.name} (in ${t.package.name})` : t.target.name)).join(", ");
}

/**
 * The one executable `cargo run` would run for the selection, chosen before anything is built: `--bin` or
 * `--example`, else the only binary, else `default-run`. Asks for `--bin` among several, says at once when there
 * is no binary (a library), with cargo's reasons and in its words where it has them.
 */
export function chooseExecutable(project: Project, sel: CargoSelection, verb: string): Executable | undefined {
  if (!project.graph) return undefined;
  const pkgs = project.selected;
  const explicit = [...(sel.bins ?? []).map((name) => ({ kind: "bin" as const, name })), ...(sel.examples ?? []).map((name) => ({ kind: "example" as const, name }))];
  if (explicit.length > 1) throw new FreestandError(`\`${verb}\` works on one executable at a time; ${explicit.map((e) => `--${e.kind} ${e.name}`).join(" and ")} name several.`);
  const all = pkgs.flatMap((p) => p.targets.filter((t) => t.kind === "bin" || t.kind === "example").map((target) => ({ package: p, target })));
  if (explicit.length === 1) {
    const want = explicit[0]!;
    const found = all.find((t) => t.target.kind === want.kind && t.target.name === want.name);
    if (found) return { package: found.package, kind: want.kind, name: want.name };
    const same = all.filter((t) => t.target.kind === want.kind);
    throw new FreestandError(`no ${want.kind} target named \`${want.name}\`${same.length ? `; available: ${available(same, pkgs.length > 1)}` : ` in ${pkgs.map((p) => `\`${p.name}\``).join(", ")}`}.`);
  }
  if (pkgs.length === 0) throw new FreestandError(`${project.manifestPath} selects no package to ${verb}.`);
  const one = pkgs.length === 1 ? pkgs[0]! : undefined;
  if (one?.defaultRun) {
    if (!all.some((t) => t.target.kind === "bin" && t.target.name === one.defaultRun)) {
      throw new FreestandError(`\`default-run\` of \`${one.name}\` names \`${one.defaultRun}\`, which is not one of its binaries.`);
    }
    return { package: one, kind: "bin", name: one.defaultRun };
  }
  let bins = all.filter((t) => t.target.kind === "bin");
  if (one) {
    // cargo leaves out binaries whose required features are off when others remain.
    const features = enabledFeatures(one, { features: splitFeatures(sel.features), allFeatures: sel.allFeatures, noDefaultFeatures: sel.noDefaultFeatures });
    const usable = bins.filter((b) => b.target.requiredFeatures.every((f) => features.has(f)));
    if (usable.length > 0) bins = usable;
  }
  if (bins.length === 1) return { package: bins[0]!.package, kind: "bin", name: bins[0]!.target.name };
  if (bins.length === 0) {
    const names = pkgs.map((p) => `\`${p.name}\``).join(", ");
    throw new FreestandError(`${names} ${pkgs.length === 1 ? "has" : "have"} no binary to ${verb}${pkgs.every((p) => p.targets.some((t) => t.kind === "lib")) ? `: ${pkgs.length === 1 ? "it is a library" : "they are libraries"}` : ""}.`);
  }
  const how = one ? "use `--bin <name>`, or set `default-run` in its [package]" : "use `--bin <name>` or `-p <package>`";
  throw new FreestandError(`could not determine which binary to ${verb}: ${how}; available binaries: ${available(bins, !one)}.`);
}

/**
 * The crate's own `.cargo/config.toml` when cargo, running in `cwd` with `--manifest-path`, will not read it:
 * cargo reads its configuration from where it runs, not from the manifest's directory.
 */
export async function unreadCrateConfig(cwd: string, manifestPath: string): Promise<string | undefined> {
  const crateDir = path.dirname(manifestPath);
  if (relativeInside(crateDir, cwd) !== undefined) return undefined; // cwd is inside the crate.
  for (let d = crateDir; ; d = path.dirname(d)) {
    if (relativeInside(d, cwd) !== undefined) return undefined; // cwd's chain reaches here too.
    for (const name of ["config.toml", "config"]) {
      const f = path.join(d, ".cargo", name);
      if (await fsp.stat(f).then((s) => s.isFile(), () => false)) return f;
    }
    if (path.dirname(d) === d) return undefined;
  }
}
