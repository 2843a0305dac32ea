/**
 * freestand as a library: everything the CLI does is callable from here, with types.
 * The CLI (src/cli) only parses arguments and prints what these functions return.
 */
export { FreestandError, describeError } from "./errors.js";
export * from "./diagnostics/index.js";
export type { TargetInfo, MemoryRegion, QemuSpec, ExitMechanism, ElfMachine } from "./targets/types.js";
export { TARGETS, listTargets, findTarget, requireTarget } from "./targets/catalog.js";
export { packageVersion } from "./version.js";
export { scaffold, resolveScaffoldOptions, EDITIONS, type Edition, type ScaffoldOptions, type ScaffoldResult } from "./scaffold/index.js";
export { crateNameProblem } from "./scaffold/crate-name.js";
export { build, type BuildOptions, type BuildResult, type Artifact } from "./build/index.js";
export type { CargoMessage, CompilerMessage, RustcDiagnostic } from "./build/cargo-messages.js";
export { runElf, exitStatusOf, targetForElf, inferTargetOfFile, type RunOptions, type RunResult } from "./run/index.js";
export { runQemu, qemuCommand, guestExitCode } from "./run/qemu.js";
export * from "./toolchain/index.js";
export { doctor, type DoctorOptions, type DoctorReport } from "./doctor/index.js";
export * from "./elf/index.js";
export { check, fix, applyFixes, applyEdits, type CheckOptions, type CheckResult, type FixResult, type PackageSummary, type ApplyResult } from "./check/index.js";
export { RULES, describeRule, findRule, type Rule, type Finding } from "./rules/index.js";
export {
  explainCargoMessages,
  explainText,
  Explainer,
  CATALOGUE as EXPLAIN_CATALOGUE,
  annotateText,
  renderExplained,
  formatExplanations,
  formatExplainSummary,
  describeExplainCode,
  type ExplainResult,
  type ExplainedMessage,
  type ExplainCounts,
  type ExplainOptions,
  type ExplainEntry,
} from "./explain/index.js";
export {
  analyzeDependencyStd,
  describeChain,
  type AnalyzeOptions,
  type DependencyStdReport,
  type DependencyStdFinding,
  type StdCrate,
  type StdChainHop,
} from "./deps/analyze.js";
export { confirmWithCompiler, type CompilerConfirmation, type CompilerStdError } from "./deps/confirm.js";
export { confirmPackage, describeConfirmation, type PackageConfirmation } from "./check/confirm.js";
