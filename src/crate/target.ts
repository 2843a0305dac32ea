import { findTarget } from "../targets/catalog.js";
import type { TargetInfo } from "../targets/types.js";
import { cfgValue, probeTargetCfg, type TargetCfg } from "../toolchain/target-cfg.js";
import { cfgFromSpec, readTargetSpec, type TargetSpec } from "./target-spec.js";
import type { ChosenTarget } from "../cargo/config.js";

/** true / false / unknown. */
export type Tri = boolean | undefined;

/** What the rules need to know about the target a crate builds for. */
export interface TargetFacts {
  /** The triple, or a JSON spec's name (its file stem). */
  triple: string;
  /** True when something cargo reads (the command line, CARGO_BUILD_TARGET, `build.target`, `forced-target`) chose it; false: cargo's default, the host. */
  explicit: boolean;
  /** Where the choice was made: `--target`, a config file path, an environment variable. */
  origin?: string;
  /** The custom JSON spec, when the target is one. */
  spec?: TargetSpec;
  /** Why the spec could not be read. */
  specProblem?: string;
  info?: TargetInfo;
  /** The target's cfg (`rustc --print cfg`, or derived from the spec); undefined when nobody could tell. */
  cfg?: TargetCfg;
  os?: string;
  arch?: string;
  /** No operating system under the program: `target_os = "none"`, UEFI, `*-none*` triples. */
  bareMetal: boolean;
  /** Whether the target has a `std` at all (false for `target_os = "none"`); undefined when not known. */
  hasStd: Tri;
  /** A microcontroller-style target that needs a linker script to place code in flash and data in RAM. */
  needsLinkerScript: boolean;
  /** The host flavour: a freestanding executable run by the Linux kernel. */
  hostLinux: boolean;
  entrySymbol: string;
  defaultPanicStrategy: "abort" | "unwind";
}

const HOSTED_OS = new Set(["linux", "android", "macos", "ios", "windows", "freebsd", "netbsd", "openbsd", "dragonfly", "illumos", "solaris", "fuchsia", "redox", "hermit", "wasi", "emscripten", "haiku", "horizon", "vxworks", "nto", "aix", "hurd", "cygwin"]);
/** Architectures whose bare-metal images are placed by a linker script (flashed or loaded at a fixed address). */
const SCRIPTED_ARCH = new Set(["arm", "aarch64", "riscv32", "riscv64", "loongarch64", "mips", "mips64", "powerpc", "powerpc64", "sparc", "sparc64", "csky", "hexagon", "bpf"]);

/** The operating system part of a triple when nothing better is known. */
function osOfTriple(triple: string): string | undefined {
  const parts = triple.split("-");
  if (parts.includes("none") || /-none(-|$)/.test(triple)) return "none";
  if (parts.includes("uefi")) return "uefi";
  return parts.find((p) => HOSTED_OS.has(p)) ?? (triple.includes("-linux") ? "linux" : undefined);
}

function archOfTriple(triple: string): string {
  const a = triple.split("-")[0] ?? "";
  if (/^thumb|^arm/.test(a)) return "arm";
  if (/^riscv32/.test(a)) return "riscv32";
  if (/^riscv64/.test(a)) return "riscv64";
  if (/^i[3-6]86$/.test(a)) return "x86";
  return a;
}

/** Facts from what is known: the triple or spec, the compiler's cfg for it, and the catalogue. */
export function targetFacts(triple: string, explicit: boolean, origin?: string, extra: { cfg?: TargetCfg; spec?: TargetSpec; specProblem?: string } = {}): TargetFacts {
  const info = findTarget(triple);
  const { spec } = extra;
  const cfg = extra.cfg ?? (spec ? cfgFromSpec(spec) : undefined);
  const os = cfgValue(cfg, "target_os") ?? spec?.os ?? osOfTriple(spec?.llvmTarget ?? triple);
  const arch = cfgValue(cfg, "target_arch") ?? spec?.arch ?? archOfTriple(spec?.llvmTarget ?? triple);
  const bareMetal = os === "none" || os === "uefi" || (!cfg && !spec && /-none(-|$)/.test(triple));
  const hasStd: Tri = os === "none" ? false : os !== undefined && HOSTED_OS.has(os) ? true : undefined;
  const specScript = spec ? Boolean(spec.linkScript) || spec.linkArgs.some((a) => /^-T|^--script|^-Wl,-T/.test(a)) : false;
  const needsLinkerScript = bareMetal && os !== "uefi" && SCRIPTED_ARCH.has(arch) && !specScript;
  const panic = cfgValue(cfg, "panic");
  return {
    triple,
    explicit,
    origin,
    ...(spec ? { spec } : {}),
    ...(extra.specProblem ? { specProblem: extra.specProblem } : {}),
    info,
    ...(cfg ? { cfg } : {}),
    os,
    arch,
    bareMetal,
    hasStd,
    needsLinkerScript,
    hostLinux: !bareMetal && os === "linux",
    entrySymbol: info?.entrySymbol ?? (os === "uefi" ? "efi_main" : "_start"),
    // rustc prints the target's default strategy as `panic="…"`; every `*-none*` target aborts, hosted ones unwind.
    defaultPanicStrategy: panic === "abort" || panic === "unwind" ? panic : (info?.defaultPanicStrategy ?? spec?.panicStrategy ?? (bareMetal ? "abort" : "unwind")),
  };
}

/** Resolves a chosen (or the host's) target to its facts, asking the compiler for its cfg. */
export async function resolveTarget(
  chosen: ChosenTarget | undefined,
  host: string,
  compiler: { rustc?: string; cwd: string; env: NodeJS.ProcessEnv; usable: boolean },
): Promise<TargetFacts> {
  const triple = chosen?.value ?? host;
  let spec: TargetSpec | undefined;
  let specProblem: string | undefined;
  if (chosen?.spec) {
    const r = await readTargetSpec(chosen.spec);
    if (r.ok) spec = r.spec;
    else specProblem = r.problem;
  }
  let cfg: TargetCfg | undefined;
  if (compiler.usable && compiler.rustc && !specProblem) {
    const r = await probeTargetCfg({ rustc: compiler.rustc, target: chosen?.spec ?? chosen?.value, cwd: compiler.cwd, env: compiler.env });
    if (r.ok) cfg = r.cfg;
  }
  return targetFacts(triple, Boolean(chosen), chosen?.origin, { ...(cfg ? { cfg } : {}), ...(spec ? { spec } : {}), ...(specProblem ? { specProblem } : {}) });
}
