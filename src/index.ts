/**
 * freestand as a library: the commands as typed functions (the CLI in src/cli only parses arguments and prints
 * what these return) and the types of what they return. The parts behind them have subpath exports of their own
 * (`freestand/elf`, `freestand/explain`, `freestand/toolchain`, `freestand/targets`, `freestand/diagnostics`,
 * `freestand/rules`, `freestand/deps`, `freestand/run`, `freestand/scaffold`), listed in the README.
 */
export { FreestandError } from "./errors.js";
export type { Diagnostic, Severity, Span, Fix, TextEdit, CodeDescriptor } from "./diagnostics/types.js";
export { formatDiagnostics, type OutputFormat } from "./diagnostics/index.js";
export { TARGETS, findTarget, requireTarget } from "./targets/catalog.js";
export { BOARDS, findBoard, machineFor } from "./targets/boards.js";
export type { TargetInfo } from "./targets/types.js";
export { scaffold, type ScaffoldOptions, type ScaffoldResult } from "./scaffold/index.js";
export { check, fix, type CheckOptions, type CheckResult, type FixResult } from "./check/index.js";
export { build, type BuildOptions, type BuildResult, type Artifact } from "./build/index.js";
export { verifyElf, type VerifyOptions, type VerifyResult } from "./elf/verify/index.js";
export { sizeReport, type SizeOptions, type SizeReport } from "./elf/size.js";
export { runElf, type RunOptions, type RunResult } from "./run/index.js";
export { doctor, type DoctorOptions, type DoctorReport } from "./doctor/index.js";
