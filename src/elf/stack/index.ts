/**
 * `freestand stack`: a static bound on the stack, from the ELF alone. Each function's frame is read from its machine
 * code (src/elf/stack/<architecture>.ts), the call graph from its direct calls and tail calls; the bound of each entry
 * (the ELF's entry point, the Cortex-M vector table's handlers, the trap vector the code installs) is its worst path.
 * What cannot be bounded this way — calls through a register, recursion, frames moved at run time, calls to no known
 * function — is named, and the bound is then "at least".
 */
import { displayName } from "../demangle.js";
import { EM_NUMBER, machineName, NT_XEN_PHYS32_ENTRY, SHF, SHT } from "../constants.js";
import type { ElfFile } from "../reader.js";
import { withElf } from "../reader.js";
import { FreestandError } from "../../errors.js";
import { maxOf } from "../../util/arrays.js";
import { Aarch64Decoder } from "./aarch64.js";
import { ArmDecoder } from "./arm.js";
import { codeFunctions, type CodeFunction } from "./code.js";
import { CallGraph } from "./graph.js";
import { LoongArchDecoder } from "./loongarch.js";
import { RiscvDecoder } from "./riscv.js";
import type { Decoder, FunctionFacts } from "./types.js";
import { walkFunction } from "./walk.js";
import { X86Decoder } from "./x86.js";

export interface StackStep {
  function: string;
  address: string;
  /** Its own frame, in bytes. */
  frame: number;
  /** Stack already in use when it starts (its callers' frames and return addresses). */
  depth: number;
}

export interface StackEntry {
  /** The function's name; for a vector-table handler, which exceptions use it. */
  function: string;
  kind: "entry" | "exception";
  vectors?: string[];
  /** The worst path's stack, a call through a register taken to reach any function whose address the program takes. */
  bytes: number;
  /** The same on direct calls alone: what is certainly reachable by the call graph the code spells out. */
  directBytes: number;
  /** True when nothing reachable from it is a call through a register, recursion, or code that could not be read: `bytes` is then a bound. */
  complete: boolean;
  path: StackStep[];
}

export interface StackCaveat {
  function: string;
  address: string;
}

export interface StackReport {
  file: string;
  architecture: string;
  functions: number;
  entries: StackEntry[];
  /**
   * The program's: the entry's, plus the deepest exception handler taken at its deepest point (with the frame the
   * hardware pushes); `directBytes` on direct calls alone; a bound when `complete`.
   */
  bound: { bytes: number; directBytes: number; complete: boolean; exceptionFrame: number };
  /** `_stack_bottom`..`_stack_top`, when the ELF defines them (freestand's link.x does). */
  region?: { bottom: string; top: string; size: number };
  largestFrames: { function: string; address: string; frame: number }[];
  /** Reached from an entry, each a reason the bound is "at least". */
  indirectCalls: (StackCaveat & { tail: boolean })[];
  recursion: string[][];
  unreadable: (StackCaveat & { reason: string })[];
  unresolved: (StackCaveat & { target: string })[];
}

export interface StackOptions {
  /** How many of the largest frames to list (default 10; Infinity lists every function's). */
  top?: number;
}

const CORTEX_M_EXCEPTIONS: Record<number, string> = { 2: "NMI", 3: "HardFault", 4: "MemManage", 5: "BusFault", 6: "UsageFault", 7: "SecureFault", 11: "SVCall", 12: "DebugMonitor", 14: "PendSV", 15: "SysTick" };
/** What a Cortex-M core pushes on taking an exception: 8 words, 18 more with FP state, 4 bytes of realignment. */
const CORTEX_M_FRAME = 32 + 4;
const CORTEX_M_FP_FRAME = 32 + 72 + 4;
const EF_ARM_ABI_FLOAT_HARD = 0x400;

const hex = (n: bigint) => `0x${n.toString(16)}`;

function decoderFor(elf: ElfFile): Decoder {
  const read = (address: bigint, length: number) => elf.readAddress(address, length);
  switch (elf.header.machine) {
    case EM_NUMBER.arm:
      return new ArmDecoder(read, elf.header.endian === "little");
    case EM_NUMBER.aarch64:
      return new Aarch64Decoder(read);
    case EM_NUMBER.riscv:
      return new RiscvDecoder(elf.header.class);
    case EM_NUMBER.x86_64:
      return new X86Decoder(read);
    case EM_NUMBER.loongarch:
      return new LoongArchDecoder();
    default:
      throw new FreestandError(`${elf.name} is ${machineName(elf.header.machine)} code: the stack bound reads Arm, AArch64, RISC-V, x86-64 and LoongArch machine code.`);
  }
}

/** x86: the PVH entry (a Xen note) starts in 32-bit protected mode. */
function pvhEntry(elf: ElfFile): bigint | undefined {
  if (elf.header.machine !== EM_NUMBER.x86_64) return undefined;
  const note = elf.notes().find((n) => n.name === "Xen" && n.type === NT_XEN_PHYS32_ENTRY && n.desc.length >= 4);
  return note ? BigInt(note.desc.readUInt32LE(0)) : undefined;
}

export async function stackBound(file: string, options: StackOptions = {}): Promise<StackReport> {
  return withElf(file, (elf) => stackOfOpened(elf, file, options));
}

// Long on purpose: reads the functions, walks each, finds the entries, and assembles the report in one pass.
export function stackOfOpened(elf: ElfFile, file: string, options: StackOptions = {}): StackReport {
  const decoder = decoderFor(elf);
  const pvh = pvhEntry(elf);
  const functions = codeFunctions(elf, (start) => (start === pvh ? "32" : undefined));
  if (functions.length === 0) throw new FreestandError(`${elf.name} has no function symbols in its code (stripped?): the stack bound needs the symbol table.`);
  let facts = functions.map((f) => factsOf(elf, f, decoder));
  // A vector base inside a function (a local label of the boot code, `3: j trap`) starts a function of its own.
  for (const base of facts.flatMap((f) => f.vectorBases)) {
    const i = new CallGraph(functions, facts).functionAt(base);
    if (i === undefined || functions[i]!.start === base) continue;
    const [before, after] = splitAt(functions[i]!, base);
    functions.splice(i, 1, before, after);
    facts = [...facts.slice(0, i), factsOf(elf, before, decoder), factsOf(elf, after, decoder), ...facts.slice(i + 1)];
  }
  const arm = elf.header.machine === EM_NUMBER.arm;
  const entryAddress = arm ? elf.header.entry & ~1n : elf.header.entry;
  const table = arm ? cortexMVectors(elf, entryAddress) : undefined;
  const vectors = table?.handlers ?? [];
  // The entry and the handlers are the hardware's to call (the vector table's words, the address put in a vector
  // base register), not pointers the program calls through.
  const lookup = new CallGraph(functions, facts);
  const hardware = [entryAddress, ...vectors.map((v) => v.address), ...facts.flatMap((f) => f.vectorBases)].map((a) => lookup.functionAt(a)).filter((i) => i !== undefined);
  const graph = new CallGraph(functions, facts, addressTaken(elf, functions, facts, table?.section, hardware));
  const name = (i: number) => displayName(functions[i]!.symbol);
  const entries: { index: number; kind: StackEntry["kind"]; vectors?: string[] }[] = [];
  const add = (index: number | undefined, kind: StackEntry["kind"], vector?: string) => {
    if (index === undefined) return;
    const old = entries.find((e) => e.index === index);
    if (old) {
      if (vector) (old.vectors ??= []).push(vector);
    } else entries.push({ index, kind, ...(vector ? { vectors: [vector] } : {}) });
  };
  add(graph.functionAt(entryAddress), "entry");
  for (const v of vectors) add(graph.functionAt(v.address), "exception", v.name);
  for (const f of facts) for (const base of f.vectorBases) add(graph.functionAt(base), "exception", vectorBaseName(elf));
  const direct = new CallGraph(functions, facts);
  const report = entries.map((e) => entryReport(graph, direct, e, name));
  const exceptionFrame = vectors.length > 0 ? (elf.header.flags & EF_ARM_ABI_FLOAT_HARD ? CORTEX_M_FP_FRAME : CORTEX_M_FRAME) : 0;
  const main = report.filter((e) => e.kind === "entry");
  const handlers = report.filter((e) => e.kind === "exception");
  const total = (pick: (e: StackEntry) => number) => maxOf(main.map(pick)) + (handlers.length > 0 ? exceptionFrame + maxOf(handlers.map(pick)) : 0);
  const bound = { bytes: total((e) => e.bytes), directBytes: total((e) => e.directBytes), complete: report.every((e) => e.complete), exceptionFrame: handlers.length > 0 ? exceptionFrame : 0 };
  const reached = new Set<number>();
  for (const e of entries) for (const i of graph.reachable(e.index)) reached.add(i);
  const sites = (pick: (f: FunctionFacts) => { at: bigint; tail: boolean }[]) =>
    [...reached].sort((a, b) => a - b).flatMap((i) => pick(facts[i]!).map((c) => ({ function: name(i), address: hex(c.at), tail: c.tail })));
  const region = stackRegionOf(elf);
  return {
    file,
    architecture: machineName(elf.header.machine),
    functions: functions.length,
    entries: report,
    bound,
    ...(region ? { region } : {}),
    largestFrames: facts
      .map((f, i) => ({ function: name(i), address: hex(functions[i]!.start), frame: f.frame }))
      .sort((a, b) => b.frame - a.frame || a.function.localeCompare(b.function))
      .slice(0, options.top ?? 10),
    indirectCalls: sites((f) => f.indirect),
    recursion: graph.cycles.filter((c) => c.some((i) => reached.has(i))).map((c) => c.map(name)),
    unreadable: [...reached].filter((i) => facts[i]!.unknown).map((i) => ({ function: name(i), address: hex(functions[i]!.start), reason: facts[i]!.unknown! })),
    unresolved: [...reached].flatMap((i) =>
      facts[i]!.calls.filter((c) => c.target !== undefined && graph.functionAt(c.target) === undefined).map((c) => ({ function: name(i), address: hex(c.at), target: hex(c.target!) })),
    ),
  };
}

/**
 * The functions whose address the program holds: in its data (vtables, tables of handlers) as an aligned word, or
 * computed by its code (`lea`, `adrp`+`add`, a literal). A call through a register can reach these and no others —
 * unless it calls an address the program makes some other way, which is why such a bound stays "at least".
 */
function addressTaken(elf: ElfFile, functions: readonly CodeFunction[], facts: readonly FunctionFacts[], skip: number | undefined, exclude: Iterable<number>): number[] {
  const arm = elf.header.machine === EM_NUMBER.arm;
  const byStart = new Map<bigint, number>();
  functions.forEach((f, i) => byStart.set(f.start, i));
  const taken = new Set<number>();
  // On Arm a pointer to Thumb code has bit 0 set: a constant 64 is not a pointer to the Thumb function at 0x40.
  const note = (value: bigint) => {
    const i = byStart.get(arm ? value & ~1n : value);
    if (i !== undefined && (!arm || ((value & 1n) === 1n) === (functions[i]!.pieces[0]?.mode === "t"))) taken.add(i);
  };
  for (const f of facts) for (const a of f.addresses) note(a);
  const width = elf.header.class / 8;
  for (const s of elf.sections) {
    if (s.index === skip || !(s.flags & SHF.ALLOC) || s.flags & SHF.EXECINSTR || s.type === SHT.NOBITS || s.size === 0n || s.size > 64n << 20n) continue;
    const data = elf.sectionData(s);
    const skew = Number((BigInt(width) - (s.addr % BigInt(width))) % BigInt(width));
    for (let at = skew; at + width <= data.length; at += width) note(width === 8 ? data.readBigUInt64LE(at) : BigInt(elf.word32(data, at)));
  }
  for (const i of exclude) taken.delete(i);
  return [...taken].sort((a, b) => a - b);
}

/**
 * The known overflow, if any: a complete bound past the stack region — the program's total, or one entry's on its
 * own when only the exception handlers are left unbounded (a complete path that exceeds is an overflow whatever
 * the handlers add).
 */
export function knownOverflow(r: StackReport): { bytes: number; entry?: StackEntry } | undefined {
  if (!r.region) return undefined;
  if (r.bound.complete && r.bound.bytes > r.region.size) return { bytes: r.bound.bytes };
  const entry = r.entries.filter((e) => e.complete && e.bytes > r.region!.size).sort((a, b) => b.bytes - a.bytes)[0];
  return entry ? { bytes: entry.bytes, entry } : undefined;
}

function factsOf(elf: ElfFile, f: CodeFunction, decoder: Decoder): FunctionFacts {
  const bytes = elf.readAddress(f.start, Number(f.end - f.start));
  if (!bytes) return { frame: 0, deepest: 0, calls: [], indirect: [], setsStack: false, vectorBases: [], addresses: [], unknown: "its code is not in the file" };
  return walkFunction(bytes, f.start, f.pieces, decoder, (a) => a >= f.start && a < f.end);
}

function entryReport(graph: CallGraph, direct: CallGraph, e: { index: number; kind: StackEntry["kind"]; vectors?: string[] }, name: (i: number) => string): StackEntry {
  const path = graph.worstPath(e.index).map((s) => ({ function: name(s.index), address: hex(graph.functions[s.index]!.start), frame: graph.facts[s.index]!.frame, depth: s.depth }));
  const reached = graph.reachable(e.index);
  const complete =
    [...reached].every((i) => {
      const f = graph.facts[i]!;
      return f.indirect.length === 0 && !f.unknown && f.calls.every((c) => c.target !== undefined && graph.functionAt(c.target) !== undefined);
    }) && !graph.cycles.some((c) => c.some((i) => reached.has(i)));
  return { function: name(e.index), kind: e.kind, ...(e.vectors ? { vectors: e.vectors } : {}), bytes: graph.worst(e.index), directBytes: direct.worst(e.index), complete, path };
}

/** A function cut in two at `at`: the second part named after the first, with its offset. */
function splitAt(f: CodeFunction, at: bigint): [CodeFunction, CodeFunction] {
  const cut = (from: bigint, to: bigint) => f.pieces.filter((p) => p.end > from && p.start < to).map((p) => ({ ...p, start: p.start < from ? from : p.start, end: p.end > to ? to : p.end }));
  return [
    { ...f, end: at, pieces: cut(f.start, at) },
    { ...f, symbol: `${f.symbol}+0x${(at - f.start).toString(16)}`, start: at, pieces: cut(at, f.end) },
  ];
}

/** The handlers of a Cortex-M vector table: the table is where word 1 is the reset handler (the entry, Thumb bit set). */
function cortexMVectors(elf: ElfFile, entry: bigint): { section: number; handlers: { name: string; address: bigint }[] } | undefined {
  for (const s of elf.sections) {
    if (s.addr === 0n && s.name !== ".vector_table") continue;
    const head = s.size >= 8n ? elf.readAddress(s.addr, 8) : undefined;
    if (!head || BigInt(elf.word32(head, 4)) !== (entry | 1n)) continue;
    const words = Math.min(Number(s.size / 4n), 16 + 496);
    const table = elf.readAddress(s.addr, words * 4);
    if (!table) return undefined;
    const out: { name: string; address: bigint }[] = [];
    for (let n = 2; n < words; n++) {
      const v = BigInt(elf.word32(table, n * 4));
      if ((v & 1n) === 1n) out.push({ name: CORTEX_M_EXCEPTIONS[n] ?? (n >= 16 ? `IRQ${n - 16}` : `exception ${n}`), address: v & ~1n });
    }
    return { section: s.index, handlers: out };
  }
  return undefined;
}

function vectorBaseName(elf: ElfFile): string {
  const m = elf.header.machine;
  return m === EM_NUMBER.riscv ? "trap (mtvec)" : m === EM_NUMBER.loongarch ? "exception entry (EENTRY)" : "exception vectors (VBAR)";
}

/** The stack region freestand's link.x reserves, `_stack_bottom`..`_stack_top`, when the ELF defines both (`run --stack` fills it). */
export function stackRegionSymbols(elf: ElfFile): { bottom: bigint; top: bigint } | undefined {
  const at = (n: string) => elf.findSymbols(n)[0]?.value;
  const [bottom, top] = [at("_stack_bottom"), at("_stack_top")];
  return bottom !== undefined && top !== undefined && top > bottom ? { bottom, top } : undefined;
}

function stackRegionOf(elf: ElfFile): StackReport["region"] {
  const r = stackRegionSymbols(elf);
  return r ? { bottom: hex(r.bottom), top: hex(r.top), size: Number(r.top - r.bottom) } : undefined;
}
