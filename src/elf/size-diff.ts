/**
 * What grew and what shrank between two builds of a program (`freestand size --diff OLD NEW`): flash and RAM,
 * each memory region, each crate's share of the code and constants (crates.ts), and the symbols that changed most.
 */
import type { TargetInfo } from "../targets/types.js";
import { SHN, STT } from "./constants.js";
import { flashByCrate } from "./crates.js";
import { displayName } from "./demangle.js";
import type { ElfFile } from "./reader.js";
import { sizeOfOpened } from "./size.js";

export interface Change {
  name: string;
  old: number;
  new: number;
  delta: number;
}

export interface SizeDiff {
  flash: Change;
  ram: Change;
  regions: (Change & { kind: "flash" | "ram" })[];
  crates: Change[];
  /** The symbols whose size changed most (appeared, went, or grew or shrank), largest change first. */
  symbols: Change[];
}

/** The compiler's anonymous constants (`.Lanon.<hash>.<n>`), counted together. */
export const ANONYMOUS = "(anonymous constants)";

const change = (name: string, before: number, after: number): Change => ({ name, old: before, new: after, delta: after - before });

/** Sized symbols by demangled name (the hash left out, so that a rebuilt function keeps its name), summed. */
function symbolSizes(elf: ElfFile): Map<string, number> {
  const table = elf.symbolTableSection("symtab") ? "symtab" : elf.symbolTableSection("dynsym") ? "dynsym" : undefined;
  const out = new Map<string, number>();
  if (!table) return out;
  const seen = new Set<string>();
  for (const s of elf.symbols(table)) {
    if (s.size === 0n || s.shndx === SHN.UNDEF || s.type === STT.SECTION || s.type === STT.FILE || !s.name) continue;
    const key = `${s.value}:${s.size}:${s.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // The compiler's anonymous constants are renumbered between builds: one line for all of them.
    const name = /^\.?L?anon\./.test(s.name) ? ANONYMOUS : displayName(s.name);
    out.set(name, (out.get(name) ?? 0) + Number(s.size));
  }
  return out;
}

/** Every name of either map with its two values, changed ones only, largest change first. */
function changes(before: Map<string, number>, after: Map<string, number>): Change[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .map((n) => change(n, before.get(n) ?? 0, after.get(n) ?? 0))
    .filter((c) => c.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.name.localeCompare(b.name));
}

export function diffSizes(before: ElfFile, after: ElfFile, opts: { target?: TargetInfo; top?: number } = {}): SizeDiff {
  const [a, b] = [sizeOfOpened(before, "old", { target: opts.target, top: 0 }), sizeOfOpened(after, "new", { target: opts.target, top: 0 })];
  const byCrate = (elf: ElfFile) => new Map(flashByCrate(elf).map((s) => [s.name, s.bytes] as const));
  return {
    flash: change("flash", a.flash, b.flash),
    ram: change("RAM", a.ram, b.ram),
    regions: b.regions.map((r, i) => ({ ...change(r.name, a.regions[i]?.used ?? 0, r.used), kind: r.kind })),
    crates: changes(byCrate(before), byCrate(after)),
    symbols: changes(symbolSizes(before), symbolSizes(after)).slice(0, opts.top ?? 10),
  };
}

/**
 * `--max-growth`: bytes (`2048`, `2KiB`) or a percentage of the old flash (`5%`); the sentence that says the limit
 * was passed, or undefined within it.
 */
export function parseGrowthLimit(text: string): { bytes: number } | { percent: number } | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(%|B|KiB|MiB)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2] === "%") return { percent: n };
  return { bytes: Math.round(n * (m[2] === "KiB" ? 1024 : m[2] === "MiB" ? 1024 * 1024 : 1)) };
}

export function growthBeyond(diff: SizeDiff, limit: { bytes: number } | { percent: number }): string | undefined {
  const grew = diff.flash.delta;
  const allowed = "bytes" in limit ? limit.bytes : (diff.flash.old * limit.percent) / 100;
  if (grew <= allowed) return undefined;
  const what = "bytes" in limit ? `${limit.bytes} bytes` : `${limit.percent}% (${Math.floor(allowed)} bytes)`;
  return `flash grew by ${grew} bytes (${diff.flash.old} → ${diff.flash.new}), more than --max-growth ${what}`;
}
