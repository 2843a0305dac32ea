/**
 * Where a binary's code and constants come from, by crate: each sized symbol of the code and read-only sections
 * counted under the crate its demangled path names — the standard crates (`core`, `alloc`,
 * `compiler_builtins`) by module, since they are most of a small program (`core::fmt`, `core::num`).
 */
import type { ElfFile } from "./reader.js";
import { sizeTree } from "./size-tree.js";

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

/** Bytes of code and read-only data by crate, largest first (aliases counted once): the flash tree's crates. */
export function flashByCrate(elf: ElfFile): CrateShare[] {
  return (sizeTree(elf, "flash").children ?? []).filter((c) => !c.name.startsWith("(no symbol")).map((c) => ({ name: c.name, bytes: c.bytes }));
}
