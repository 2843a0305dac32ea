import path from "node:path";
import type { Diagnostic } from "../../diagnostics/types.js";
import type { TargetInfo } from "../../targets/types.js";
import { fileTypeName, hex, machineName } from "../constants.js";
import { ElfFile } from "../reader.js";
import { checkMachine, collectGlobals, GENERAL_CHECKS, isExecutable, readDynamic, TARGET_CHECKS, type VerifyContext } from "./checks.js";
import { verifySteps, type VerifyStep } from "./steps.js";

export type { VerifyStep } from "./steps.js";

export { VERIFY_CODES, describeVerifyCode, verifyDocPage } from "./codes/index.js";

export interface VerifyOptions {
  /** The target the binary is for: enables the machine, memory-map, vector-table and PVH checks. */
  target?: TargetInfo;
  /** Entry symbol to expect (default: the target's, else `_start`). */
  entry?: string;
}

/** What verify learned about the file, for the verdict line and JSON consumers. */
export interface VerifyFacts {
  file: string;
  class: 32 | 64;
  endian: "little" | "big";
  machine: string;
  type: string;
  entry: string;
  entrySymbol: string;
  target: string | null;
}

export interface VerifyResult {
  diagnostics: Diagnostic[];
  facts: VerifyFacts;
  /** Every check, passed or not, with one line each (what `verify -v` lists). */
  steps: VerifyStep[];
}

/**
 * Proves (or disproves) that an ELF is freestanding: no interpreter, no shared libraries, a static executable whose
 * entry point is the entry symbol, no undefined or libc-only symbols, W^X, the right machine, and — given a target —
 * a layout that fits its memory map. A corrupt or non-ELF file throws a FreestandError.
 */
export async function verifyElf(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const abs = path.resolve(file);
  const elf = ElfFile.open(file);
  try {
    return verifyOpened(elf, abs, opts);
  } finally {
    elf.close();
  }
}

/** verifyElf over an already opened file (tests and `build` reuse it). */
export function verifyOpened(elf: ElfFile, file: string, opts: VerifyOptions = {}): VerifyResult {
  const { globals, hasSymbols } = collectGlobals(elf);
  const ctx: VerifyContext = {
    elf,
    file,
    target: opts.target,
    entrySymbol: opts.entry ?? opts.target?.entrySymbol ?? "_start",
    globals,
    hasSymbols,
    dynamic: readDynamic(elf),
  };
  const machine = checkMachine(ctx);
  // A binary for another machine fails every layout check too; one finding says it better than ten.
  const diagnostics = [...GENERAL_CHECKS.flatMap((check) => check(ctx)), ...machine, ...(machine.length ? [] : TARGET_CHECKS.flatMap((check) => check(ctx)))];
  const h = elf.header;
  return {
    diagnostics,
    steps: verifySteps(ctx, diagnostics, { machineWrong: machine.length > 0, executable: isExecutable(ctx) }),
    facts: {
      file,
      class: h.class,
      endian: h.endian,
      machine: machineName(h.machine),
      type: fileTypeName(h.type),
      entry: hex(h.entry),
      entrySymbol: ctx.entrySymbol,
      target: opts.target?.id ?? null,
    },
  };
}

/** One line for humans after the findings: what the file is and whether it passed. */
export function verifyVerdict(result: VerifyResult): string {
  const f = result.facts;
  const what = `${path.basename(f.file)}: ELF${f.class} ${f.endian}-endian ${f.machine} ${f.type}, entry ${f.entry}${f.target ? `, target ${f.target}` : ""}`;
  const failed = result.diagnostics.some((d) => d.severity === "error");
  return `${what} — ${failed ? "not freestanding" : "freestanding"}`;
}
