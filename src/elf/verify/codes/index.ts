import type { CodeDescriptor } from "../../../diagnostics/types.js";
import { verifyFileType } from "./verify_file_type.js";
import { verifyInterpreter } from "./verify_interpreter.js";
import { verifyDynamicLibrary } from "./verify_dynamic_library.js";
import { verifyEntryPoint } from "./verify_entry_point.js";
import { verifyUndefinedSymbol } from "./verify_undefined_symbol.js";
import { verifyLibcSymbol } from "./verify_libc_symbol.js";
import { verifyWritableExecutable } from "./verify_writable_executable.js";
import { verifyExecutableStack } from "./verify_executable_stack.js";
import { verifyMachine } from "./verify_machine.js";
import { verifyMemoryRegion } from "./verify_memory_region.js";
import { verifyMemoryOverflow } from "./verify_memory_overflow.js";
import { verifyVectorTable } from "./verify_vector_table.js";
import { verifyPvhNote } from "./verify_pvh_note.js";
import { verifyStackBound } from "./verify_stack_bound.js";

/**
 * The checks of `freestand verify`: one descriptor per code, each in its own file here, with the explanation
 * `freestand explain <code>` and SARIF show. The checks that find them are in ../checks.ts; docs/verify/<code>.md
 * holds the same text (`node scripts/code-docs.mjs` rewrites the pages after `npx tsc`).
 */
export const VERIFY_CODES: readonly CodeDescriptor[] = [
  verifyFileType,
  verifyInterpreter,
  verifyDynamicLibrary,
  verifyEntryPoint,
  verifyUndefinedSymbol,
  verifyLibcSymbol,
  verifyWritableExecutable,
  verifyExecutableStack,
  verifyMachine,
  verifyMemoryRegion,
  verifyMemoryOverflow,
  verifyVectorTable,
  verifyPvhNote,
  verifyStackBound,
];

export function describeVerifyCode(code: string): CodeDescriptor | undefined {
  return VERIFY_CODES.find((c) => c.code === code);
}

/** The docs/verify/<code>.md page for a code: the same words as its explanation. */
export function verifyDocPage(d: CodeDescriptor): string {
  return `# ${d.code}\n\nDefault level: ${d.defaultSeverity}. ${capitalise(d.summary)}.\n\n${d.explanation}\n`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
