/** The Rust toolchain as freestand sees it: discovery, target readiness, sysroots built from source, doctor. */
export type { RustcInfo, RustcOrigin, Requirement, CoreSource, TargetReadiness, CargoInvocation } from "./types.js";
export { findRustc, findCargo, probeRustc, parseRustcVerbose, candidateRustcPrograms } from "./rustc.js";
export { librarySourceCandidates, matchingSources, sourceVersion, type LibrarySources } from "./sources.js";
export { installedTargets, hasCore } from "./installed.js";
export { findLinker, needsRustLld } from "./linker.js";
export { findQemu } from "./qemu.js";
export { defaultSysrootRoot, sysrootDirFor, checkEntry, type SysrootManifest } from "./cache.js";
export { addTargetRustflags, targetKeyHolds } from "./rustflags.js";
export { cargoInvocation, locateCore, describeRustc, plainCargo, type CargoInvocationOptions, type PlainCargo } from "./invocation.js";
export { targetReadiness, type ReadinessOptions } from "./readiness.js";
export { buildSysroot, chooseCompilerAndSources, type SysrootBuildOptions, type SysrootBuildResult } from "./sysroot-builder.js";
export { rustcTargetList } from "./target-list.js";
