/** What several explanations share: reading names out of the compiler's text, locating linker references. */
import type { MatchContext } from "../entry.js";
import { userReference, type SymbolReference } from "../linker.js";
import type { CompilerLocation } from "../types.js";

export const PANIC_ABORT_PROFILES = '[profile.dev]\npanic = "abort"\n\n[profile.release]\npanic = "abort"';

export function quoted(text: string, re: RegExp): string | undefined {
  return re.exec(text)?.[1];
}

export function targetOf(ctx: MatchContext): string | undefined {
  return quoted(ctx.text, /the `([^`]+)` target may not/);
}

/** Locates a linker symbol at its first reference in the user's code (the lld and GNU ld formats both give one). */
export function referenceLocation(refs: readonly SymbolReference[]): CompilerLocation | undefined {
  const r = userReference(refs);
  return r?.file && r.line ? { file: r.file, line: r.line } : undefined;
}

export function referencesData(refs: readonly SymbolReference[]): { file?: string; line?: number; object?: string }[] {
  return refs.slice(0, 20).map((r) => ({ ...r }));
}

export const MEM_FUNCTIONS = new Set(["memcpy", "memmove", "memset", "memcmp", "bcmp", "strlen"]);
export const UNWIND_SYMBOL = /^(?:rust_eh_personality|_Unwind_[A-Za-z_]+|__gcc_personality_v0)$/;
/**
 * Names linker scripts conventionally define: section bounds (`_sbss`, `__bss_start__`, `_sidata`), the stack
 * (`_stack_top`, `_estack`) and heap bounds. An undefined one means the script that should define it is missing or
 * does not define it.
 */
export const LINKER_SCRIPT_SYMBOL =
  /^_{1,2}(?:s|e|si)(?:bss|data|text|rodata|stack|heap|uninit)$|^_{1,2}(?:bss|data|text|rodata|stack|heap)_(?:start|end|top|bottom|size)_{0,2}$|^_{1,2}(?:stack|heap)(?:_start|_end|_top|_bottom|_size)?$|^_?_?(?:end|etext|edata|estack)$|^__(?:sbss|ebss|sdata|edata|sidata|exidx_start|exidx_end|init_array_start|init_array_end)$|^_stext$|^__?(?:RESET_)?[Vv]ector_?[Tt]able$/;
