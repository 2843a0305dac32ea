import { findTarget } from "../targets/catalog.js";
import type { TargetInfo } from "../targets/types.js";

/** What the rules need to know about the target a crate builds for. */
export interface TargetFacts {
  triple: string;
  /** True when something (the command line, CARGO_BUILD_TARGET, `build.target`) chose it; false: cargo's default, the host. */
  explicit: boolean;
  /** Where the choice was made: `--target`, a config file path, an environment variable. */
  origin?: string;
  info?: TargetInfo;
  /** No operating system: `*-none*` triples. */
  bareMetal: boolean;
  /** A microcontroller-style target that needs a linker script to place code in flash and data in RAM. */
  needsLinkerScript: boolean;
  /** The host flavour: a freestanding executable run by the Linux kernel. */
  hostLinux: boolean;
  entrySymbol: string;
  defaultPanicStrategy: "abort" | "unwind";
}

export function targetFacts(triple: string, explicit: boolean, origin?: string): TargetFacts {
  const info = findTarget(triple);
  const parts = triple.split("-");
  const bareMetal = parts.includes("none") || /-none(-|$)/.test(triple);
  const arch = parts[0] ?? "";
  // x86_64-unknown-none links fine without a script (it is loaded, not flashed); MCU and AArch64 boards need one.
  const needsLinkerScript = bareMetal && !arch.startsWith("x86_64") && !arch.startsWith("i686");
  return {
    triple,
    explicit,
    origin,
    info,
    bareMetal,
    needsLinkerScript,
    hostLinux: !bareMetal && triple.includes("-linux-"),
    entrySymbol: info?.entrySymbol ?? "_start",
    // rustc's target specs: every `*-none*` target aborts on panic; hosted targets unwind.
    defaultPanicStrategy: info?.defaultPanicStrategy ?? (bareMetal ? "abort" : "unwind"),
  };
}
