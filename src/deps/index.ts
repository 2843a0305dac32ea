/** `freestand/deps`: which dependencies bring `std` into a freestanding crate, and the compiler's confirmation. */
export {
  analyzeDependencyStd,
  describeChain,
  type AnalyzeOptions,
  type DependencyStdReport,
  type DependencyStdFinding,
  type StdCrate,
  type StdChainHop,
} from "./analyze.js";
export { confirmWithCompiler, type CompilerConfirmation, type CompilerStdError } from "./confirm.js";
