import path from "node:path";
import type { TargetInfo } from "../targets/types.js";
import { SHF, SHN, SHT, STT } from "./constants.js";
import { demangle, DISPLAY_LIMIT } from "./demangle.js";
import { allocatedSections, memoryUsage, regionOf, stackSection } from "./layout.js";
import { ElfFile, type ElfSymbol } from "./reader.js";

/**
 * `freestand size`: the section table of `size -A`, the Berkeley line of `size`, flash and RAM totals against the
 * target's regions, and the largest symbols, demangled. The report is plain data (what `--format json` prints);
 * formatSizeReport turns it into the table humans read.
 */

export interface SizeOptions {
  target?: TargetInfo;
  /** How many of the largest symbols to list (default 10; 0 for none). */
  top?: number;
  /** Collapse generic instantiations (`drop_in_place<A>`, `drop_in_place<B>`) into one line each. */
  group?: boolean;
}

export interface SizeSection {
  name: string;
  size: number;
  /** Run-time address (0 for sections not loaded). */
  address: number;
  allocated: boolean;
}

export interface SizeRegion {
  name: string;
  kind: "flash" | "ram";
  origin: number;
  length: number;
  used: number;
}

export interface SizeSymbol {
  /** Demangled name (the group's name with `--group`). */
  name: string;
  /** The symbol as stored (the first one of a group). */
  mangled: string;
  size: number;
  address: number;
  kind: "function" | "object" | "other";
  /** How many symbols were collapsed into this line (1 without `--group`). */
  count: number;
}

export interface SizeReport {
  file: string;
  sections: SizeSection[];
  /** Sum of the section sizes, as `size -A` prints it. */
  total: number;
  berkeley: { text: number; data: number; bss: number; dec: number };
  /** Code + read-only data + load image of initialised data. */
  flash: number;
  /** Initialised + zeroed data + the target's stack. */
  ram: number;
  stack: number;
  /** Usage per region of the target's memory map; empty without a target or for the host. */
  regions: SizeRegion[];
  target: string | null;
  symbols: SizeSymbol[];
  grouped: boolean;
  /** Which table the symbols came from. */
  symbolTable: "symtab" | "dynsym" | null;
}

export async function sizeReport(file: string, opts: SizeOptions = {}): Promise<SizeReport> {
  const elf = ElfFile.open(file);
  try {
    return sizeOfOpened(elf, path.resolve(file), opts);
  } finally {
    elf.close();
  }
}

/** Sections `size -A` lists: BFD hides symbol and string tables, relocations of object files and groups. */
function listedBySize(type: number, flags: bigint): boolean {
  if (type === SHT.NULL || type === SHT.SYMTAB || type === SHT.GROUP || type === SHT.SYMTAB_SHNDX) return false;
  if ((type === SHT.STRTAB || type === SHT.REL || type === SHT.RELA) && !(flags & SHF.ALLOC)) return false;
  return true;
}

export function sizeOfOpened(elf: ElfFile, file: string, opts: SizeOptions = {}): SizeReport {
  const sections: SizeSection[] = elf.sections
    .filter((s) => listedBySize(s.type, s.flags))
    .map((s) => ({ name: s.name, size: Number(s.size), address: s.flags & SHF.ALLOC ? Number(s.addr) : 0, allocated: Boolean(s.flags & SHF.ALLOC) }));
  const total = sections.reduce((sum, s) => sum + s.size, 0);

  // Berkeley: every SHF_ALLOC section (thread-local .tbss included, as GNU size counts it).
  const berkeley = { text: 0, data: 0, bss: 0, dec: 0 };
  for (const s of elf.sections) {
    if (!(s.flags & SHF.ALLOC)) continue;
    const size = Number(s.size);
    if (s.flags & SHF.EXECINSTR || !(s.flags & SHF.WRITE)) berkeley.text += size;
    else if (s.type !== SHT.NOBITS) berkeley.data += size;
    else berkeley.bss += size;
  }
  berkeley.dec = berkeley.text + berkeley.data + berkeley.bss;

  const placements = allocatedSections(elf);
  const regionsIn = opts.target?.memory ?? [];
  const stackSize = opts.target?.stackSize ?? 0;
  const usage = memoryUsage(placements, regionsIn, stackSize);
  const regions: SizeRegion[] = regionsIn.map((r) => ({ name: r.name, kind: r.kind, origin: r.origin, length: r.length, used: 0 }));
  for (const p of placements) {
    const run = regionOf(regionsIn, p.vma, p.size);
    if (run) regions[regionsIn.indexOf(run)]!.used += Number(p.size);
    if (p.lma !== p.vma) {
      const load = regionOf(regionsIn, p.lma, p.size);
      if (load && load !== run) regions[regionsIn.indexOf(load)]!.used += Number(p.size);
    }
  }
  // A `.stack` section is already in its region; a stack the target reserves otherwise is added to RAM's.
  const stackRegion = regions.find((r) => r.kind === "ram");
  if (stackRegion && !stackSection(placements)) stackRegion.used += stackSize;

  const { symbols, table } = largestSymbols(elf, opts.top ?? 10, opts.group ?? false);
  return {
    file,
    sections,
    total,
    berkeley,
    flash: Number(usage.flash),
    ram: Number(usage.ram),
    stack: Number(usage.stack),
    regions,
    target: opts.target?.id ?? null,
    symbols,
    grouped: opts.group ?? false,
    symbolTable: table,
  };
}

function symbolKind(s: ElfSymbol): SizeSymbol["kind"] {
  if (s.type === STT.FUNC || s.type === STT.GNU_IFUNC) return "function";
  if (s.type === STT.OBJECT || s.type === STT.TLS) return "object";
  return "other";
}

/** The N largest defined symbols with a size, from .symtab (or .dynsym when stripped), aliases counted once. */
function largestSymbols(elf: ElfFile, top: number, group: boolean): { symbols: SizeSymbol[]; table: SizeReport["symbolTable"] } {
  const table = elf.symbolTableSection("symtab") ? "symtab" : elf.symbolTableSection("dynsym") ? "dynsym" : null;
  if (!table || top <= 0) return { symbols: [], table };
  const sized = (s: ElfSymbol) => s.size !== 0n && s.shndx !== SHN.UNDEF && s.type !== STT.SECTION && s.type !== STT.FILE && s.name !== "";
  const row = (s: ElfSymbol, name: string): SizeSymbol => ({ name, mangled: s.name, size: Number(s.size), address: Number(s.value), kind: symbolKind(s), count: 1 });
  // The same code under two names (an alias, a global and its local twin) is counted once.
  const same = (a: SizeSymbol, s: ElfSymbol) => a.address === Number(s.value) && a.size === Number(s.size) && a.mangled === s.name;

  if (!group) {
    // Keep only the current top N while streaming, and demangle just those: a library with 150 000 symbols then
    // costs one pass and N demanglings, not 150 000 strings held in memory.
    const best: SizeSymbol[] = [];
    for (const s of elf.symbols(table)) {
      if (!sized(s)) continue;
      const size = Number(s.size);
      if (best.length === top && size <= best[best.length - 1]!.size) continue;
      if (best.some((b) => same(b, s))) continue;
      const at = best.findIndex((b) => size > b.size);
      best.splice(at < 0 ? best.length : at, 0, row(s, s.name));
      if (best.length > top) best.pop();
    }
    for (const b of best) b.name = demangle(b.mangled, { maxOutput: DISPLAY_LIMIT });
    best.sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
    return { symbols: best, table };
  }

  // Grouping needs every name demangled; rows are merged as they come.
  const seen = new Set<string>();
  const groups = new Map<string, SizeSymbol>();
  for (const s of elf.symbols(table)) {
    if (!sized(s)) continue;
    const key = `${s.value}:${s.size}:${s.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const name = genericGroupName(demangle(s.name, { maxOutput: DISPLAY_LIMIT }));
    const g = groups.get(name);
    if (g) {
      g.size += Number(s.size);
      g.count++;
    } else groups.set(name, row(s, name));
  }
  const rows = [...groups.values()].sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
  return { symbols: rows.slice(0, top), table };
}

/**
 * The name of a symbol with its generic arguments elided: `core::ptr::drop_in_place<alloc::string::String>` and
 * `core::ptr::drop_in_place<u8>` both become `core::ptr::drop_in_place<…>`. A `<` opens generic arguments when it
 * follows a name or `::`; a leading `<T as Trait>` (qualified path) is kept, with generics inside it elided.
 */
export function genericGroupName(name: string): string {
  // Linear: kept runs are copied as slices, and the last kept character is remembered (reading it back from a
  // string being built would flatten it on every step).
  const parts: string[] = [];
  let prev = "";
  let runStart = 0;
  let i = 0;
  while (i < name.length) {
    const c = name[i]!;
    if (c === "<" && prev !== "" && /[\w:]/.test(prev)) {
      parts.push(name.slice(runStart, i), "<…>");
      // Skip to the matching `>`, ignoring the `>` of `->`.
      let depth = 0;
      let j = i;
      for (; j < name.length; j++) {
        if (name[j] === "<") depth++;
        else if (name[j] === ">" && name[j - 1] !== "-") {
          depth--;
          if (depth === 0) break;
        }
      }
      i = j + 1;
      runStart = i;
      prev = ">";
      continue;
    }
    prev = c;
    i++;
  }
  parts.push(name.slice(runStart));
  return parts.join("");
}
