/**
 * The catalogue: each entry recognises one cause in compiler or linker output, says what caused it and how to fix
 * it in plain words, and names the `freestand check` rule that would have caught it before compiling.
 * Patterns match rustc's and the linkers' wording as produced here (fixtures in test/fixtures/explain/, regenerated
 * by provoke.sh); they anchor on stable parts (error codes, quoted names) rather than on whole sentences.
 * One file per explanation in entries/ (named by its code); this list is their order of precedence: the first
 * entry that matches a message explains it.
 */
import type { ExplainEntry, Finding } from "./entry.js";
import { explainE0463Std } from "./entries/explain_e0463_std.js";
import { explainE0463Core } from "./entries/explain_e0463_core.js";
import { explainE0152PanicImpl } from "./entries/explain_e0152_panic_impl.js";
import { explainFollowOn } from "./entries/explain_follow_on.js";
import { explainPanicHandlerMissing } from "./entries/explain_panic_handler_missing.js";
import { explainPanicHandlerWrongType } from "./entries/explain_panic_handler_wrong_type.js";
import { explainUnwindingWithoutStd } from "./entries/explain_unwinding_without_std.js";
import { explainNoGlobalAllocator } from "./entries/explain_no_global_allocator.js";
import { explainAllocNotInScope } from "./entries/explain_alloc_not_in_scope.js";
import { explainStdPath } from "./entries/explain_std_path.js";
import { explainE0580NoMain } from "./entries/explain_e0580_no_main.js";
import { explainStdMacro } from "./entries/explain_std_macro.js";
import { explainUnsafeAttribute } from "./entries/explain_unsafe_attribute.js";
import { explainFeatureOnStable } from "./entries/explain_feature_on_stable.js";
import { explainE0601NoMain } from "./entries/explain_e0601_no_main.js";
import { explainZFlagOnStable } from "./entries/explain_z_flag_on_stable.js";
import { explainE0514IncompatibleRustc } from "./entries/explain_e0514_incompatible_rustc.js";
import { explainRustLldNotFound } from "./entries/explain_rust_lld_not_found.js";
import { explainDuplicateStart } from "./entries/explain_duplicate_start.js";
import { explainUndefinedMemFunctions } from "./entries/explain_undefined_mem_functions.js";
import { explainUndefinedUnwindSymbols } from "./entries/explain_undefined_unwind_symbols.js";
import { explainUndefinedLinkerScriptSymbol } from "./entries/explain_undefined_linker_script_symbol.js";
import { explainMissingEntrySymbol } from "./entries/explain_missing_entry_symbol.js";

export const CATALOGUE: readonly ExplainEntry[] = [
  explainE0463Std,
  explainE0463Core,
  explainE0152PanicImpl,
  explainFollowOn,
  explainPanicHandlerMissing,
  explainPanicHandlerWrongType,
  explainUnwindingWithoutStd,
  explainNoGlobalAllocator,
  explainAllocNotInScope,
  explainStdPath,
  explainE0580NoMain,
  explainStdMacro,
  explainUnsafeAttribute,
  explainFeatureOnStable,
  explainE0601NoMain,
  explainZFlagOnStable,
  explainE0514IncompatibleRustc,
  explainRustLldNotFound,
  explainDuplicateStart,
  explainUndefinedMemFunctions,
  explainUndefinedUnwindSymbols,
  explainUndefinedLinkerScriptSymbol,
  explainMissingEntrySymbol,
];

const BY_CODE = new Map(CATALOGUE.map((e) => [e.code, e]));

export function findExplainEntry(code: string): ExplainEntry | undefined {
  return BY_CODE.get(code);
}

export type { ExplainEntry, Finding };
