import path from "node:path";
import { FreestandError } from "../errors.js";

/**
 * What a user selects with cargo's own flags — packages, targets, features, profile, target triple, target
 * directory, manifest options — in cargo's vocabulary. Every command that runs cargo (build, run, size, verify)
 * turns it into cargo's arguments here, and `check` reads the same selection for its analysis, so that one flag
 * means one thing everywhere.
 */
export interface CargoSelection {
  /** Where cargo runs: its config chain and rust-toolchain.toml are found from here (default: the current directory). */
  cwd?: string;
  /** `--manifest-path`: otherwise cargo takes the nearest Cargo.toml at or above `cwd`. */
  manifestPath?: string;
  /** `-p/--package`, repeatable. */
  packages?: string[];
  workspace?: boolean;
  exclude?: string[];
  lib?: boolean;
  bins?: string[];
  examples?: string[];
  /** `-F/--features`: each value may list several, separated by commas or spaces, as cargo splits them. */
  features?: string[];
  allFeatures?: boolean;
  noDefaultFeatures?: boolean;
  /** `-r/--release`. */
  release?: boolean;
  /** `--profile <name>`. */
  profile?: string;
  target?: string;
  targetDir?: string;
  jobs?: string;
  locked?: boolean;
  offline?: boolean;
  frozen?: boolean;
  /** `--config KEY=VALUE` (or a path to a config file), repeatable. */
  config?: string[];
  /** `-v` count: 1 shows the commands cargo runs, 2 also build scripts' output. */
  verbose?: number;
  /** `-q`: cargo prints no status lines. */
  quiet?: boolean;
  /** Arguments after `--` of `build`, passed to cargo unchanged. */
  cargoArgs?: string[];
}

/** cargo's split of `--features "a b,c"` into feature names. */
export function splitFeatures(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

/** The profile cargo builds with, as cargo names it: `dev`, `release` or a custom one. */
export function profileName(sel: CargoSelection): string {
  if (sel.profile && sel.release && sel.profile !== "release") {
    throw new FreestandError(`conflicting usage of --profile=${sel.profile} and --release; the \`--release\` flag is the same as \`--profile=release\`.`);
  }
  return sel.profile ?? (sel.release ? "release" : "dev");
}

/** The directory under target/<triple>/ that a profile's artifacts go to (`dev` and `test` share `debug`). */
export function profileDirName(profile: string): string {
  if (profile === "dev" || profile === "test") return "debug";
  if (profile === "bench") return "release";
  return profile;
}

/** Absolute manifest path from `--manifest-path`, checked the way cargo checks it. */
export function explicitManifest(sel: CargoSelection): string | undefined {
  if (!sel.manifestPath) return undefined;
  const abs = path.resolve(sel.cwd ?? process.cwd(), sel.manifestPath);
  if (path.basename(abs) !== "Cargo.toml" && !abs.endsWith(".rs")) {
    throw new FreestandError(`the manifest-path must be a path to a Cargo.toml file, not ${sel.manifestPath}.`);
  }
  return abs;
}

/**
 * cargo's arguments for the selection, in the order cargo's help lists them. `manifestPath` is the one cargo
 * will use (found or given); message format and colour are the caller's business.
 */
export function selectionArgs(sel: CargoSelection, manifestPath: string): string[] {
  const args = ["--manifest-path", manifestPath];
  for (const p of sel.packages ?? []) args.push("--package", p);
  if (sel.workspace) args.push("--workspace");
  for (const p of sel.exclude ?? []) args.push("--exclude", p);
  if (sel.lib) args.push("--lib");
  for (const b of sel.bins ?? []) args.push("--bin", b);
  for (const e of sel.examples ?? []) args.push("--example", e);
  const features = splitFeatures(sel.features);
  if (features.length) args.push("--features", features.join(","));
  if (sel.allFeatures) args.push("--all-features");
  if (sel.noDefaultFeatures) args.push("--no-default-features");
  const profile = profileName(sel);
  if (sel.profile) args.push("--profile", profile);
  else if (sel.release) args.push("--release");
  if (sel.target) args.push("--target", sel.target);
  if (sel.targetDir) args.push("--target-dir", path.resolve(sel.cwd ?? process.cwd(), sel.targetDir));
  if (sel.jobs) args.push("--jobs", sel.jobs);
  if (sel.locked) args.push("--locked");
  if (sel.offline) args.push("--offline");
  if (sel.frozen) args.push("--frozen");
  for (const c of sel.config ?? []) args.push("--config", c);
  if (sel.quiet) args.push("--quiet");
  for (let i = 0; i < (sel.verbose ?? 0); i++) args.push("--verbose");
  return args;
}
