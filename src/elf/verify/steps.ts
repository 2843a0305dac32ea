import type { Diagnostic } from "../../diagnostics/types.js";
import { ET, hex, machineName } from "../constants.js";
import { allocatedSections, memoryUsage, regionTotal } from "../layout.js";
import { stackReportOf, type VerifyContext } from "./checks.js";

/**
 * The checks of `verify` as a list a user can read line by line (`verify -v`): what each one proved when it
 * passed, which finding it gave when it did not, and why it did not apply. The findings themselves come from
 * checks.ts; this only names them.
 */
export interface VerifyStep {
  /** The check's code (the code of its findings). */
  code: string;
  status: "passed" | "failed" | "skipped";
  /** What passed, what failed, or why it was skipped, in a few words. */
  summary: string;
}

interface StepFacts {
  machineWrong: boolean;
  executable: boolean;
}

interface StepSpec {
  code: string;
  /** Findings with these codes mean the step failed. */
  codes: string[];
  /** Why the step does not apply, or undefined when it does. */
  skip?: (ctx: VerifyContext, f: StepFacts) => string | undefined;
  passed: (ctx: VerifyContext) => string;
}

const needsTarget = (ctx: VerifyContext, f: StepFacts) =>
  !ctx.target ? "no target known: pass --target" : f.machineWrong ? "the machine is wrong" : !f.executable ? "not an executable" : undefined;

const STEPS: StepSpec[] = [
  { code: "verify_file_type", codes: ["verify_file_type"], passed: (ctx) => (ctx.elf.header.type === ET.EXEC ? "a static executable (ELF type EXEC)" : "a position-independent executable with nothing to relocate") },
  { code: "verify_interpreter", codes: ["verify_interpreter"], passed: () => "no program interpreter (no PT_INTERP)" },
  { code: "verify_dynamic_library", codes: ["verify_dynamic_library"], passed: () => "no shared libraries (no DT_NEEDED)" },
  {
    code: "verify_undefined_symbol",
    codes: ["verify_undefined_symbol", "verify_libc_symbol"],
    skip: (_ctx, f) => (f.executable ? undefined : "not an executable"),
    passed: (ctx) => (ctx.hasSymbols ? `every global symbol is defined (${ctx.globals.size} read), and none only the C library provides` : "no symbol table (stripped): nothing undefined can be listed"),
  },
  { code: "verify_writable_executable", codes: ["verify_writable_executable", "verify_executable_stack"], passed: () => "no loadable segment is both writable and executable, and the stack is not executable" },
  {
    code: "verify_machine",
    codes: ["verify_machine"],
    skip: (ctx) => (ctx.target ? undefined : "no target known: pass --target"),
    passed: (ctx) => `${machineName(ctx.elf.header.machine)} ELF${ctx.elf.header.class} ${ctx.elf.header.endian}-endian, as \`${ctx.target!.id}\` runs`,
  },
  {
    code: "verify_entry_point",
    codes: ["verify_entry_point"],
    skip: needsTarget,
    passed: (ctx) => `the entry point ${hex(ctx.elf.header.entry)} is \`${ctx.entrySymbol}\``,
  },
  {
    code: "verify_memory_region",
    codes: ["verify_memory_region", "verify_memory_overflow"],
    skip: (ctx, f) => needsTarget(ctx, f) ?? (ctx.target!.memory.length === 0 ? "the target has no memory map (the kernel places the program)" : undefined),
    passed: (ctx) => {
      const t = ctx.target!;
      const usage = memoryUsage(allocatedSections(ctx.elf), t.memory, t.stackSize);
      const flash = regionTotal(t.memory, "flash");
      const ram = regionTotal(t.memory, "ram");
      const parts = [flash > 0n ? `flash ${usage.flash} of ${flash} bytes` : "", ram > 0n ? `RAM ${usage.ram} of ${ram} bytes` : ""].filter(Boolean);
      return `every section lies in ${t.memory.map((r) => r.name).join(" and ")}; ${parts.join(", ")}`;
    },
  },
  {
    code: "verify_vector_table",
    codes: ["verify_vector_table"],
    skip: (ctx, f) => needsTarget(ctx, f) ?? (ctx.target!.triple.startsWith("thumb") ? undefined : "only Cortex-M cores boot from a vector table"),
    passed: () => "the vector table's stack pointer is in RAM and its reset vector is Thumb code in flash",
  },
  {
    code: "verify_pvh_note",
    codes: ["verify_pvh_note"],
    skip: (ctx, f) => needsTarget(ctx, f) ?? (ctx.target!.flavour === "qemu" && ctx.target!.elf.machine === "x86_64" ? undefined : "only QEMU's x86 loader needs a PVH note"),
    passed: () => "a PVH note in a PT_NOTE segment points at loaded code",
  },
  {
    code: "verify_stack_bound",
    codes: ["verify_stack_bound"],
    skip: (ctx) => (stackReportOf(ctx) ? undefined : "no stack region (_stack_bottom.._stack_top) in the symbol table, or code freestand cannot read"),
    passed: (ctx) => {
      const r = stackReportOf(ctx)!;
      const size = r.region!.size;
      if (r.bound.complete) return `the stack bound, ${r.bound.bytes} bytes (every path known), fits the ${size}-byte stack region`;
      return `on direct calls the stack needs ${r.bound.directBytes} of the ${size}-byte stack region; not every call can be followed (\`freestand stack\` estimates ${r.bound.bytes} bytes)`;
    },
  },
];

export function verifySteps(ctx: VerifyContext, diagnostics: readonly Diagnostic[], facts: StepFacts): VerifyStep[] {
  return STEPS.map((step) => {
    const why = step.skip?.(ctx, facts);
    if (why) return { code: step.code, status: "skipped", summary: why };
    const found = diagnostics.filter((d) => step.codes.includes(d.code) && (d.severity === "error" || d.severity === "warning"));
    if (found.length > 0) return { code: step.code, status: "failed", summary: found[0]!.message };
    return { code: step.code, status: "passed", summary: step.passed(ctx) };
  });
}
