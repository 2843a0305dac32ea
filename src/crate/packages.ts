import path from "node:path";
import { capture } from "../util/process.js";
import { assertRegularIfPresent, which } from "../util/fs.js";
import { FreestandError } from "../errors.js";
import { cargoProblem } from "../util/tool-output.js";
import { assertRegularCargoFiles } from "../cargo/config.js";
import type { Edition } from "./manifest.js";

/**
 * The packages of a workspace and their targets, as cargo itself sees them: `cargo metadata --no-deps --offline`
 * needs no registry and no network, and knows every rule of target discovery (autobins, `[[bin]]` paths,
 * examples, tests, benches, `required-features`, inherited editions) that a parser of our own would have to copy.
 */

export type TargetKind = "lib" | "bin" | "example" | "test" | "bench" | "custom-build";

export interface CargoTarget {
  kind: TargetKind;
  name: string;
  /** `lib`, `rlib`, `staticlib`, `cdylib`, `dylib`, `proc-macro`, `bin`. */
  crateTypes: string[];
  /** Absolute path of the crate root. */
  root: string;
  edition: Edition;
  /** cargo's `test` flag: whether `cargo test` builds this target with the test harness. */
  test: boolean;
  requiredFeatures: string[];
}

export interface CargoDependency {
  /** The package name. */
  name: string;
  /** The name the code uses when it differs (`package = "…"` renames). */
  rename?: string;
  kind: "normal" | "dev" | "build";
  /** A `cfg(…)` or triple the dependency is limited to (`[target.'cfg(…)'.dependencies]`). */
  target?: string;
  optional: boolean;
  defaultFeatures: boolean;
  features: string[];
  /** Directory of a path dependency. */
  path?: string;
}

export interface CargoPackage {
  /** cargo's package id (what its JSON messages name a package by). */
  id?: string;
  name: string;
  version: string;
  manifestPath: string;
  dir: string;
  edition: Edition;
  targets: CargoTarget[];
  dependencies: CargoDependency[];
  features: Record<string, string[]>;
  /** `[package.metadata]`. */
  metadata: unknown;
  /** `package.default-run`: the binary `cargo run` picks among several. */
  defaultRun?: string;
}

export interface PackageGraph {
  workspaceRoot: string;
  /** Manifest paths of the workspace members, and of the ones `cargo build` builds from the root. */
  members: string[];
  defaultMembers: string[];
  packages: CargoPackage[];
  /** Where cargo puts artifacts (`target/`, or `build.target-dir` / `--target-dir` / CARGO_TARGET_DIR). */
  targetDirectory?: string;
  /** Set when cargo needed help to answer: which toolchain override or switch made it work. */
  via?: string;
}

export type PackageGraphResult = { ok: true; graph: PackageGraph } | { ok: false; problem: string };

function edition(v: unknown): Edition {
  return v === "2018" || v === "2021" || v === "2024" ? v : "2015";
}

const KINDS: Record<string, TargetKind> = { bin: "bin", example: "example", test: "test", bench: "bench", "custom-build": "custom-build" };

interface MetaTargetJson {
  kind: string[];
  crate_types: string[];
  name: string;
  src_path: string;
  edition: string;
  test?: boolean;
  "required-features"?: string[];
}

interface MetaDependencyJson {
  name: string;
  rename?: string | null;
  kind: "dev" | "build" | null;
  target?: string | null;
  optional: boolean;
  uses_default_features: boolean;
  features: string[];
  path?: string;
}

interface MetaPackageJson {
  name: string;
  version: string;
  id: string;
  manifest_path: string;
  edition: string;
  targets: MetaTargetJson[];
  dependencies: MetaDependencyJson[];
  features: Record<string, string[]>;
  metadata: unknown;
  default_run?: string | null;
}

interface MetadataJson {
  packages: MetaPackageJson[];
  workspace_members: string[];
  workspace_default_members?: string[];
  workspace_root: string;
  target_directory?: string;
}

function targetOf(t: MetaTargetJson): CargoTarget | undefined {
  const k = t.kind[0];
  if (!k) return undefined;
  const kind: TargetKind = KINDS[k] ?? "lib";
  return {
    kind,
    name: t.name,
    crateTypes: t.crate_types,
    root: t.src_path,
    edition: edition(t.edition),
    test: t.test !== false,
    requiredFeatures: t["required-features"] ?? [],
  };
}

/** Turns `cargo metadata` JSON into the package graph (exported for tests). */
export function packageGraphFromMetadata(json: string): PackageGraph {
  const m = JSON.parse(json) as MetadataJson;
  if (!m || !Array.isArray(m.packages) || !Array.isArray(m.workspace_members)) throw new Error("cargo metadata printed no package list");
  const byId = new Map(m.packages.map((p) => [p.id, p]));
  const manifestOf = (id: string) => byId.get(id)?.manifest_path;
  const packages = m.packages.map(
    (p): CargoPackage => ({
      id: p.id,
      name: p.name,
      version: p.version,
      manifestPath: p.manifest_path,
      dir: path.dirname(p.manifest_path),
      edition: edition(p.edition),
      targets: p.targets.map(targetOf).filter((t): t is CargoTarget => t !== undefined),
      dependencies: p.dependencies.map((d) => ({
        name: d.name,
        ...(d.rename ? { rename: d.rename } : {}),
        kind: d.kind === "dev" ? "dev" : d.kind === "build" ? "build" : "normal",
        ...(d.target ? { target: d.target } : {}),
        optional: d.optional,
        defaultFeatures: d.uses_default_features,
        features: d.features,
        ...(d.path ? { path: d.path } : {}),
      })),
      features: p.features ?? {},
      metadata: p.metadata,
      ...(p.default_run ? { defaultRun: p.default_run } : {}),
    }),
  );
  const members = m.workspace_members.map(manifestOf).filter((x): x is string => x !== undefined);
  const defaults = (m.workspace_default_members ?? m.workspace_members).map(manifestOf).filter((x): x is string => x !== undefined);
  return { workspaceRoot: m.workspace_root, members, defaultMembers: defaults, packages, ...(m.target_directory ? { targetDirectory: m.target_directory } : {}) };
}

/** The toolchain rustup uses when no file pins one (`rustup default`), or `stable`. */
async function defaultRustupToolchain(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const rustup = await which("rustup", env.PATH ?? "");
  if (!rustup) return undefined;
  const r = await capture(rustup, ["toolchain", "list"], { env, timeout: 10_000 }).catch(() => undefined);
  const line = r?.stdout.split("\n").find((l) => /\(.*default.*\)/.test(l));
  return line?.split(/\s+/)[0] ?? "stable";
}

/** The environment every cargo or rustc call of `check` runs in: never a download, never a toolchain install. */
export function offlineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, CARGO_NET_OFFLINE: "true", RUSTUP_AUTO_INSTALL: "0" };
}

/**
 * Asks cargo for the workspace's packages. When the rustup proxy refuses (a pinned toolchain that is not
 * installed) the installed default toolchain's cargo answers instead; a manifest that needs nightly cargo
 * (`cargo-features`) is read with RUSTC_BOOTSTRAP=1, which only lets cargo accept the key. Any other failure is
 * returned with cargo's own first line, for the caller to fall back on its own reading of the manifests.
 */
export async function loadPackageGraph(
  dir: string,
  env: NodeJS.ProcessEnv,
  opts: { manifestPath?: string; cwd?: string; config?: readonly string[] } = {},
): Promise<PackageGraphResult> {
  const cargo = env.CARGO ?? (await which("cargo", env.PATH ?? ""));
  if (!cargo) return { ok: false, problem: "cargo was not found on PATH" };
  const manifest = opts.manifestPath ?? path.join(dir, "Cargo.toml");
  for (const d of new Set([opts.cwd ?? dir, path.dirname(path.resolve(manifest))])) await assertRegularCargoFiles(d, env);
  const args = ["metadata", "--no-deps", "--offline", "--format-version", "1", "--manifest-path", manifest, ...(opts.config ?? []).flatMap((c) => ["--config", c])];
  const run = async (extra: NodeJS.ProcessEnv) => capture(cargo, args, { cwd: opts.cwd ?? dir, env: { ...offlineEnv(env), ...extra }, timeout: 60_000 });
  let extra: NodeJS.ProcessEnv = {};
  let via: string | undefined;
  let r = await run(extra);
  for (let attempt = 0; attempt < 2 && r.exitCode !== 0; attempt++) {
    const problem = cargoProblem(r.stderr) ?? "";
    const pinned = /toolchain '([^']+)' is not installed/.exec(problem);
    if (pinned && !extra.RUSTUP_TOOLCHAIN) {
      const fallback = await defaultRustupToolchain(env);
      if (!fallback) break;
      extra = { ...extra, RUSTUP_TOOLCHAIN: fallback };
      via = `the pinned toolchain \`${pinned[1]}\` is not installed; cargo of \`${fallback}\` read the packages`;
    } else if (/requires a nightly version of Cargo|nightly-only|is unstable/.test(problem) && !extra.RUSTC_BOOTSTRAP) {
      extra = { ...extra, RUSTC_BOOTSTRAP: "1" };
    } else break;
    r = await run(extra);
  }
  if (r.exitCode !== 0) return { ok: false, problem: cargoProblem(r.stderr) ?? `cargo metadata exited with ${r.exitCode ?? "a signal"}` };
  try {
    const graph = packageGraphFromMetadata(r.stdout);
    // A FIFO as a crate root or build script would hang rustc (and `check`'s own reading) later.
    for (const p of graph.packages) for (const t of p.targets) await assertRegularIfPresent(t.root);
    return { ok: true, graph: via ? { ...graph, via } : graph };
  } catch (err) {
    if (err instanceof FreestandError) throw err;
    return { ok: false, problem: "cargo metadata printed something that is not its JSON format" };
  }
}
