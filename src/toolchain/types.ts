/**
 * What freestand knows about the Rust toolchain on this machine. Plain data, so `doctor --format json`,
 * `targets --format json` and the library API all return the same shapes.
 */

/** How a rustc was chosen: the same precedence cargo itself uses, plus an explicit `--rustc`. */
export type RustcOrigin = "explicit" | "RUSTC" | "rust-toolchain.toml" | "RUSTUP_TOOLCHAIN" | "rustup" | "PATH" | "cache";

export interface RustcInfo {
  /** The program to run (a rustup proxy stays a proxy: it resolves the toolchain from the crate's directory). */
  path: string;
  origin: RustcOrigin;
  /** `1.96.0`, from `release:` in `rustc -vV`. */
  release: string;
  commitHash?: string;
  commitDate?: string;
  /** The compiler's own triple (`host:`). */
  host: string;
  llvmVersion?: string;
  channel: "stable" | "beta" | "nightly" | "dev";
  /** The whole `rustc -vV` output: two compilers with equal text can share a sysroot cache entry. */
  verbose: string;
  /** `rustc --print sysroot`. */
  sysroot: string;
  /** The rustup toolchain name when the sysroot lives under RUSTUP_HOME/toolchains. */
  rustupToolchain?: string;
}

/** One line of `freestand doctor`: present or not, and when not, the exact command that fixes it. */
export interface Requirement {
  /** Stable identifier for JSON consumers: `rustc`, `cargo`, `core`, `linker`, `qemu`, `sources`. */
  id: string;
  /** What is needed, in words: "core for thumbv7m-none-eabi". */
  name: string;
  ok: boolean;
  /** What was found (a path, a version) or why it is missing. */
  detail: string;
  /** A command the user can paste to fix it; only when `ok` is false. */
  fix?: string;
  /** A missing optional requirement is reported but does not make `doctor` fail. */
  required: boolean;
  /** Present but worth a warning (two compilers that disagree), with `fix` saying how to settle it. */
  warning?: string;
}

/** Where a target's `core` comes from. */
export type CoreSource =
  | { kind: "prebuilt"; dir: string }
  | { kind: "cached-sysroot"; sysroot: string; rustc: RustcInfo }
  | { kind: "missing" };

export interface TargetReadiness {
  triple: string;
  core: Requirement & { source: CoreSource };
  /** The linker rustc will run for this target (rust-lld / ld.lld for *-none targets, cc for the host). */
  linker: Requirement & { path?: string };
  /** Only for targets that run in QEMU. */
  qemu?: Requirement & { binary: string; debianPackage: string; path?: string };
  /** True when every required piece is present. */
  ready: boolean;
}

/** Everything needed to run cargo for one target in one crate (see cargoInvocation). */
export interface CargoInvocation {
  /** The cargo program to run. */
  cargo: string;
  /**
   * Variables to ADD to the environment (merge over process.env): RUSTC when another compiler is needed, and the
   * rustflags variable that carries `--sysroot` (cargo merges these with the crate's config files).
   */
  env: Record<string, string>;
  /** Extra cargo arguments to put after the subcommand (currently always empty: everything travels in env). */
  args: string[];
  /** Human notes to print ("using the cached sysroot at ..."). */
  notes: string[];
  /** The compiler cargo will use. */
  rustc: RustcInfo;
  /** The sysroot passed with `--sysroot`, when one is. */
  sysroot?: string;
}
