/**
 * Where a binary's code and constants come from, by crate: each sized symbol of the code and read-only sections
 * counted under the crate its demangled path names — the standard crates (`core`, `alloc`,
 * `compiler_builtins`) by module, since they are most of a small program (`core::fmt`, `core::num`).
 */
import { SHF, SHN, STT } from "./constants.js";
import { demangle } from "./demangle.js";
import type { ElfFile } from "./reader.js";

/** The standard crates, counted by their modules. */
const STANDARD = new Set(["core", "alloc", "compiler_builtins", "std"]);
const PRIMITIVE = /^(?:&|\*const |\*mut |mut |dyn |\[|\(|!|(?:[iu](?:8|16|32|64|128|size)|f32|f64|bool|char|str)\b)/;

/** Symbols that name no crate (C names: `memcpy`, `Reset`, `_start`). */
export const UNMANGLED = "(unmangled)";

/**
 * The crate (or standard-library module) a demangled path belongs to: `hello::main` → `hello`,
 * `core::fmt::write` → `core::fmt`, `<hello::Console as core::fmt::Write>::write_str` → `hello` (the type's crate),
 * `<u32 as core::fmt::Display>::fmt` → `core::fmt` (a primitive's impl goes to the trait's).
 */
export function crateOfPath(name: string): string {
  let path = name;
  if (path.startsWith("<")) {
    const inner = path.slice(1);
    const as = inner.indexOf(" as ");
    const type = (as >= 0 ? inner.slice(0, as) : inner).trim();
    const trait = as >= 0 ? inner.slice(as + 4) : "";
    path = PRIMITIVE.test(type) || !/^[A-Za-z_]/.test(type) ? trait : type;
  }
  const segments = path.split(/::|</).map((s) => s.trim());
  const crate = segments[0] ?? "";
  if (!crate || segments.length < 2 || !/^[A-Za-z_][\w]*$/.test(crate)) return UNMANGLED;
  if (STANDARD.has(crate) && segments.length > 2 && /^[A-Za-z_]\w*$/.test(segments[1]!)) return `${crate}::${segments[1]}`;
  return crate;
}

export interface CrateShare {
  name: string;
  bytes: number;
}

/** Bytes of code and read-only data by crate, largest first (aliases counted once). */
export function flashByCrate(elf: ElfFile): CrateShare[] {
  const inFlash = new Set(elf.sections.filter((s) => s.flags & SHF.ALLOC && (s.flags & SHF.EXECINSTR || !(s.flags & SHF.WRITE))).map((s) => s.index));
  const table = elf.symbolTableSection("symtab") ? "symtab" : elf.symbolTableSection("dynsym") ? "dynsym" : undefined;
  if (!table) return [];
  const seen = new Set<string>();
  const totals = new Map<string, number>();
  for (const s of elf.symbols(table)) {
    if (s.size === 0n || s.shndx === SHN.UNDEF || !inFlash.has(s.shndx) || s.type === STT.SECTION || s.type === STT.FILE || !s.name) continue;
    const key = `${s.value}:${s.size}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const crate = crateOfPath(demangle(s.name).replace(/::h[0-9a-f]{16}$/, ""));
    totals.set(crate, (totals.get(crate) ?? 0) + Number(s.size));
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}
