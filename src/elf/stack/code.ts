import type { ElfFile, SectionHeader } from "../reader.js";
import { EM_NUMBER, SHF, SHT, STT } from "../constants.js";
import type { CodePiece } from "./walk.js";

/** A function of the program: its symbol's name and extent, split where its mode changes or data sits in it. */
export interface CodeFunction {
  /** The symbol's name as in the file (mangled). */
  symbol: string;
  start: bigint;
  end: bigint;
  section: SectionHeader;
  pieces: CodePiece[];
}

interface Mark {
  address: bigint;
  mode: string;
}

/**
 * The functions of the ELF's code sections, from its symbol table: each function symbol with its size, and each
 * label of hand-written assembly (no type, no size) up to the next symbol. Arm's mapping symbols (`$t`, `$a`, `$d`,
 * and `$x`/`$d` on AArch64 and RISC-V) say where Thumb, Arm and data lie, so literal pools and jump tables are not
 * read as instructions. `firstMode` gives the mode a function starts in when nothing else says (x86's 32-bit PVH entry).
 */
export function codeFunctions(elf: ElfFile, firstMode: (start: bigint) => string | undefined = () => undefined): CodeFunction[] {
  const arm = elf.header.machine === EM_NUMBER.arm;
  const code = new Map<number, SectionHeader>();
  for (const s of elf.sections) if (s.flags & SHF.EXECINSTR && s.flags & SHF.ALLOC && s.type !== SHT.NOBITS && s.size > 0n) code.set(s.index, s);
  const marks = new Map<number, Mark[]>();
  const starts = new Map<string, { symbol: string; start: bigint; size: bigint; section: SectionHeader; thumb: boolean; func: boolean }>();
  const kind = elf.symbolTableSection("symtab") ? "symtab" : "dynsym";
  for (const s of elf.symbols(kind)) {
    const section = code.get(s.shndx);
    if (!section || s.name === "" || s.type === STT.SECTION || s.type === STT.FILE) continue;
    if (s.name.startsWith("$")) {
      const mode = s.name[1] === "t" ? "t" : s.name[1] === "a" ? "a" : s.name[1] === "d" ? "d" : "";
      const list = marks.get(s.shndx) ?? [];
      list.push({ address: s.value, mode });
      marks.set(s.shndx, list);
      continue;
    }
    if (s.name.startsWith(".L") || (s.type !== STT.FUNC && s.type !== STT.NOTYPE)) continue;
    const start = arm ? s.value & ~1n : s.value;
    const key = `${section.index}:${start}`;
    const old = starts.get(key);
    const func = s.type === STT.FUNC;
    // One address, several names (aliases, a label at a function's start): the sized function symbol wins.
    if (!old || (func && !old.func) || (func === old.func && s.size > old.size)) {
      starts.set(key, { symbol: s.name, start, size: s.size, section, thumb: arm && (s.value & 1n) === 1n, func });
    }
  }
  for (const list of marks.values()) list.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const sorted = [...starts.values()].sort((a, b) => (a.section.index - b.section.index) || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: CodeFunction[] = [];
  let coveredTo = -1n;
  let coveredSection = -1;
  for (let i = 0; i < sorted.length; i++) {
    const f = sorted[i]!;
    if (f.section.index === coveredSection && f.start < coveredTo && !f.func) continue; // a label inside a function
    const sectionEnd = f.section.addr + f.section.size;
    const next = sorted[i + 1]?.section.index === f.section.index ? sorted[i + 1]!.start : sectionEnd;
    const end = f.size > 0n ? f.start + f.size : next;
    if (end <= f.start || end > sectionEnd) continue;
    coveredTo = end;
    coveredSection = f.section.index;
    const mode = firstMode(f.start) ?? (arm ? (f.thumb || !f.func ? "t" : "a") : "");
    out.push({ symbol: f.symbol, start: f.start, end, section: f.section, pieces: piecesOf(f.start, end, marks.get(f.section.index) ?? [], mode, !f.func) });
  }
  return out;
}

/**
 * Splits [start, end) at the mapping symbols inside it. The mode at start is a mark at start, else (for a label,
 * whose symbol says nothing) the last code mark before it, else `mode` (a function symbol's Thumb bit).
 */
function piecesOf(start: bigint, end: bigint, marks: readonly Mark[], mode: string, label: boolean): CodePiece[] {
  let current = mode;
  for (const m of marks) {
    if (m.address > start) break;
    if (m.address === start || (label && m.mode !== "d")) current = m.mode === "" ? mode : m.mode;
  }
  const pieces: CodePiece[] = [];
  let at = start;
  for (const m of marks) {
    if (m.address <= start || m.address >= end) continue;
    if (m.address > at) pieces.push({ start: at, end: m.address, mode: current });
    at = m.address;
    current = m.mode === "" ? mode : m.mode;
  }
  pieces.push({ start: at, end, mode: current });
  return pieces;
}
