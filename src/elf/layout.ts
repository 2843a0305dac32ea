import type { MemoryRegion } from "../targets/types.js";
import { PT, SHF, SHT } from "./constants.js";
import type { ElfFile, SectionHeader } from "./reader.js";

/**
 * Where the sections of an ELF live at run time and where they are loaded from — what `size` sums and what
 * `verify` compares with the target's memory map.
 */

export type SectionKind = "text" | "rodata" | "data" | "bss";

export interface SectionPlacement {
  section: SectionHeader;
  kind: SectionKind;
  /** Run-time address. */
  vma: bigint;
  /** Load address: where the initial contents sit in the image (differs from vma for `.data` in flash). */
  lma: bigint;
  size: bigint;
}

export function sectionKind(s: SectionHeader): SectionKind {
  if (s.type === SHT.NOBITS) return "bss";
  if (s.flags & SHF.WRITE) return "data";
  if (s.flags & SHF.EXECINSTR) return "text";
  return "rodata";
}

/**
 * The sections that occupy memory at run time (SHF_ALLOC, non-empty), with load addresses taken from the PT_LOAD
 * segment that holds each one. Thread-local `.tbss` is left out: it is a template, not memory of its own.
 */
export function allocatedSections(elf: ElfFile): SectionPlacement[] {
  const loads = elf.programHeaders.filter((p) => p.type === PT.LOAD);
  const out: SectionPlacement[] = [];
  for (const s of elf.sections) {
    if (!(s.flags & SHF.ALLOC) || s.size === 0n) continue;
    if (s.type === SHT.NOBITS && s.flags & SHF.TLS) continue;
    let lma = s.addr;
    if (s.type !== SHT.NOBITS) {
      const seg = loads.find((p) => s.offset >= p.offset && s.offset < p.offset + p.filesz && s.addr >= p.vaddr && s.addr < p.vaddr + p.memsz);
      if (seg) lma = seg.paddr + (s.addr - seg.vaddr);
    }
    out.push({ section: s, kind: sectionKind(s), vma: s.addr, lma, size: s.size });
  }
  return out;
}

export interface MemoryUsage {
  /** Code, read-only data and the load image of initialised data. */
  flash: bigint;
  /** Initialised data, zeroed data and the stack the target reserves. */
  ram: bigint;
  /** The stack counted in `ram`. */
  stack: bigint;
}

/**
 * Flash = text + rodata + data (its load image); RAM = data + bss + stack. A target with no flash region (code runs
 * from RAM, as on QEMU's riscv `virt`) counts everything as RAM.
 */
export function memoryUsage(placements: readonly SectionPlacement[], regions: readonly MemoryRegion[], stackSize: number): MemoryUsage {
  // Without a memory map (the host) both figures are still meaningful: what a flash image and RAM would hold.
  const hasFlash = regions.length === 0 || regions.some((r) => r.kind === "flash");
  const reserved = stackSection(placements);
  let flash = 0n;
  // A `.stack` section is the stack itself, counted with the other sections; otherwise the target's size is added.
  let ram = reserved ? 0n : BigInt(stackSize);
  for (const p of placements) {
    if (hasFlash) {
      if (p.kind !== "bss") flash += p.size;
      if (p.kind === "data" || p.kind === "bss") ram += p.size;
    } else {
      ram += p.size;
    }
  }
  return { flash, ram, stack: reserved?.size ?? BigInt(stackSize) };
}

/**
 * The section a link script reserves for the stack (`.stack (NOLOAD)`, freestand's Cortex-M link.x, which places
 * it at the bottom of RAM), if there is one.
 */
export function stackSection<T extends { section: SectionHeader }>(placements: readonly T[]): T | undefined {
  return placements.find((p) => p.section.name === ".stack" && p.section.type === SHT.NOBITS);
}

/** The region that holds [start, start + size), if one does. */
export function regionOf(regions: readonly MemoryRegion[], start: bigint, size: bigint): MemoryRegion | undefined {
  return regions.find((r) => start >= BigInt(r.origin) && start + size <= BigInt(r.origin) + BigInt(r.length));
}

export function regionTotal(regions: readonly MemoryRegion[], kind: MemoryRegion["kind"]): bigint {
  return regions.filter((r) => r.kind === kind).reduce((sum, r) => sum + BigInt(r.length), 0n);
}
