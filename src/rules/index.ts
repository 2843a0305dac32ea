import type { CodeDescriptor } from "../diagnostics/types.js";
import type { Rule } from "./types.js";
import { missingNoStd } from "./missing_no_std.js";
import { missingNoMain } from "./missing_no_main.js";
import { missingPanicHandler } from "./missing_panic_handler.js";
import { duplicatePanicHandler } from "./duplicate_panic_handler.js";
import { panicHandlerSignature } from "./panic_handler_signature.js";
import { panicStrategyUnwind } from "./panic_strategy_unwind.js";
import { entryPointMangled } from "./entry_point_mangled.js";
import { entryPointAbi } from "./entry_point_abi.js";
import { entryPointReturns } from "./entry_point_returns.js";
import { entryPointStackAlignment } from "./entry_point_stack_alignment.js";
import { unsafeAttribute } from "./unsafe_attribute.js";
import { stdMacro } from "./std_macro.js";
import { stdPath } from "./std_path.js";
import { allocWithoutGlobalAllocator } from "./alloc_without_global_allocator.js";
import { allocNotDeclared } from "./alloc_not_declared.js";
import { unstableFeatureOnStable } from "./unstable_feature_on_stable.js";
import { targetNotConfigured } from "./target_not_configured.js";
import { targetNotInstalled } from "./target_not_installed.js";
import { hostLinkArgsMissing } from "./host_link_args_missing.js";
import { missingLinkerScript } from "./missing_linker_script.js";
import { testHarnessEnabled } from "./test_harness_enabled.js";
import { dependencyRequiresStd } from "./dependency_requires_std.js";
import { unsafeExternBlock } from "./unsafe_extern_block.js";
import { toolchainUnavailable } from "./toolchain_unavailable.js";
import { targetChosenElsewhere } from "./target_chosen_elsewhere.js";
import { memberConfigIgnored } from "./member_config_ignored.js";
import { moduleNotFound } from "./module_not_found.js";
import { packageModelFallback } from "./package_model_fallback.js";
import { editorTargetUnset } from "./editor_target_unset.js";
import { targetTableIgnored } from "./target_table_ignored.js";

export type { Rule, Finding, RuleContext } from "./types.js";

/** The rule catalogue (docs/rules/ has a page per rule), in the order findings are reported. Add a rule: one import, one line. */
export const RULES: readonly Rule[] = [
  missingNoStd,
  missingNoMain,
  missingPanicHandler,
  duplicatePanicHandler,
  panicHandlerSignature,
  panicStrategyUnwind,
  entryPointMangled,
  entryPointAbi,
  entryPointReturns,
  entryPointStackAlignment,
  unsafeAttribute,
  unsafeExternBlock,
  stdMacro,
  stdPath,
  allocNotDeclared,
  allocWithoutGlobalAllocator,
  unstableFeatureOnStable,
  targetNotConfigured,
  targetNotInstalled,
  targetTableIgnored,
  hostLinkArgsMissing,
  missingLinkerScript,
  testHarnessEnabled,
  editorTargetUnset,
  dependencyRequiresStd,
  memberConfigIgnored,
  targetChosenElsewhere,
  toolchainUnavailable,
  packageModelFallback,
  moduleNotFound,
];

export function findRule(code: string): Rule | undefined {
  return RULES.find((r) => r.id === code);
}

/** What reporters and `explain` need to know about a rule. */
export function describeRule(code: string): CodeDescriptor | undefined {
  const r = findRule(code);
  return r ? { code: r.id, defaultSeverity: r.defaultSeverity, summary: r.summary, explanation: r.explanation } : undefined;
}
