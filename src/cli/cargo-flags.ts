import { InvalidArgumentError, Option, type Command } from "commander";
import path from "node:path";
import type { CargoSelection } from "../build/selection.js";
import { collect } from "./io.js";
import { requireTarget } from "../targets/catalog.js";

/**
 * cargo's flags, with cargo's names, groups and meaning, defined once for every command that runs cargo or reads
 * the crate as cargo would (build, run, check, size, verify). `selectionFrom` turns what commander parsed into the
 * library's CargoSelection; src/build/selection.ts turns that into cargo's arguments.
 */

/** What a command selects: `build` and `verify` take several targets, `run` and `size` one executable. */
export type FlagSet = "build" | "run" | "check" | "size" | "verify";

/**
 * What commander parses: cargo's flag names where they differ from CargoSelection's (`-p` → `package`,
 * `--no-default-features` → `defaultFeatures`, `--bin` → `bin`), the rest exactly CargoSelection's fields.
 */
export interface CargoFlagValues
  extends Pick<CargoSelection, "workspace" | "exclude" | "lib" | "features" | "allFeatures" | "release" | "profile" | "target" | "targetDir" | "jobs" | "manifestPath" | "locked" | "offline" | "frozen" | "config" | "verbose" | "quiet"> {
  package?: string[];
  bin?: string[];
  example?: string[];
  defaultFeatures?: boolean;
  color?: "auto" | "always" | "never";
}


function count(_value: unknown, previous = 0): number {
  return previous + 1;
}

function jobs(value: string): string {
  if (!/^-?\d+$/.test(value) && value !== "default") throw new InvalidArgumentError("Must be a number of jobs (or `default`).");
  return value;
}

/** Adds cargo's flags to a command, in cargo's help groups. */
export function addCargoFlags(cmd: Command, set: FlagSet): Command {
  const one = set === "run" || set === "size";
  cmd
    .addOption(new Option("-v, --verbose", "Use verbose output (-vv very verbose: build scripts' output)").argParser(count))
    .addOption(new Option("-q, --quiet", "Do not print cargo's log messages"))
    .addOption(new Option("--color <WHEN>", "Coloring").choices(["auto", "always", "never"]))
    .addOption(new Option("--config <KEY=VALUE|PATH>", "Override a configuration value").argParser(collect));

  cmd.optionsGroup("Package Selection:");
  cmd.addOption(new Option("-p, --package <SPEC>", one ? "Package with the target to use" : "Package to work on (repeatable)").argParser(collect));
  if (!one) {
    cmd.addOption(new Option("--workspace", "Every package in the workspace"));
    cmd.addOption(new Option("--exclude <SPEC>", "Leave a package out of --workspace").argParser(collect));
  }

  if (set !== "check") {
    cmd.optionsGroup("Target Selection:");
    if (!one) cmd.addOption(new Option("--lib", "Only this package's library"));
    cmd.addOption(new Option("--bin <NAME>", one ? "Name of the binary to use" : "Only the named binary (repeatable)").argParser(collect));
    cmd.addOption(new Option("--example <NAME>", one ? "Name of the example to use" : "Only the named example (repeatable)").argParser(collect));
  }

  cmd.optionsGroup("Feature Selection:");
  cmd
    .addOption(new Option("-F, --features <FEATURES>", "Space or comma separated list of features to activate").argParser(collect))
    .addOption(new Option("--all-features", "Activate all available features"))
    .addOption(new Option("--no-default-features", "Do not activate the `default` feature"));

  cmd.optionsGroup("Compilation Options:");
  cmd
    .addOption(new Option("-r, --release", "Build artifacts in release mode, with optimizations"))
    .addOption(new Option("--profile <PROFILE-NAME>", "Build artifacts with the specified profile"))
    .addOption(new Option("--target <TRIPLE>", "Build for the target triple [default: the configured one]"));
  if (set !== "check") {
    cmd.addOption(new Option("--target-dir <DIRECTORY>", "Directory for all generated artifacts"));
    cmd.addOption(new Option("-j, --jobs <N>", "Number of parallel jobs, defaults to # of CPUs").argParser(jobs));
  }

  cmd.optionsGroup("Manifest Options:");
  cmd
    .addOption(new Option("--manifest-path <PATH>", "Path to Cargo.toml"))
    .addOption(new Option("--locked", "Assert that `Cargo.lock` will remain unchanged"))
    .addOption(new Option("--offline", "Run without accessing the network"))
    .addOption(new Option("--frozen", "Equivalent to specifying both --locked and --offline"));
  cmd.optionsGroup("Options:");
  return cmd;
}

/** The selection for the library, with paths as given (relative ones are cargo's: from where it runs). */
export function selectionFrom(flags: CargoFlagValues, dir: string | undefined): CargoSelection {
  return {
    cwd: path.resolve(dir ?? "."),
    ...(flags.manifestPath ? { manifestPath: path.resolve(flags.manifestPath) } : {}),
    ...(flags.package ? { packages: flags.package } : {}),
    ...(flags.workspace ? { workspace: true } : {}),
    ...(flags.exclude ? { exclude: flags.exclude } : {}),
    ...(flags.lib ? { lib: true } : {}),
    ...(flags.bin ? { bins: flags.bin } : {}),
    ...(flags.example ? { examples: flags.example } : {}),
    ...(flags.features ? { features: flags.features } : {}),
    ...(flags.allFeatures ? { allFeatures: true } : {}),
    ...(flags.defaultFeatures === false ? { noDefaultFeatures: true } : {}),
    ...(flags.release ? { release: true } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    // `host` is the catalogue's name for the host target; cargo wants its triple.
    ...(flags.target ? { target: flags.target === "host" ? requireTarget("host").triple : flags.target } : {}),
    ...(flags.targetDir ? { targetDir: path.resolve(flags.targetDir) } : {}),
    ...(flags.jobs ? { jobs: flags.jobs } : {}),
    ...(flags.locked ? { locked: true } : {}),
    ...(flags.offline ? { offline: true } : {}),
    ...(flags.frozen ? { frozen: true } : {}),
    ...(flags.config ? { config: flags.config } : {}),
    ...(flags.verbose ? { verbose: flags.verbose } : {}),
    ...(flags.quiet ? { quiet: true } : {}),
  };
}

/** `--color` as cargo reads it: auto is colour on a terminal (and NO_COLOR / CARGO_TERM_COLOR respected). */
export function colorWanted(flags: Pick<CargoFlagValues, "color">, stream: NodeJS.WriteStream, auto: (s: NodeJS.WriteStream) => boolean): boolean {
  const choice = flags.color ?? (process.env.CARGO_TERM_COLOR as CargoFlagValues["color"] | undefined) ?? "auto";
  if (choice === "always") return true;
  if (choice === "never") return false;
  return auto(stream);
}
