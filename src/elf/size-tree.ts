/**
 * Where every byte of flash and RAM comes from, as a tree: crate (the standard crates by module, crates.ts) →
 * module path → function or static, generic instantiations grouped under their function with their count, and
 * the bytes no symbol covers as a leaf of their own. `size --format json` and `size --html` show the same tree.
 */
import { SHF, SHN, STT } from "./constants.js";
import { crateOfPath } from "./crates.js";
import { displayName } from "./demangle.js";
import type { ElfFile } from "./reader.js";
import { genericGroupName } from "./size.js";

export interface SizeTreeNode {
  name: string;
  bytes: number;
  /** A leaf that groups generic instantiations: how many. */
  count?: number;
  children?: SizeTreeNode[];
}

/** Bytes no sized symbol covers: per section (`(no symbol in .heap)`), and the rest (`.data`'s image in flash). */
export const UNCOVERED = "(no symbol)";

/** A path's module (everything between its crate and its last segment) and its last segment. */
function splitPath(grouped: string, crate: string): { module: string; leaf: string } {
  // A turbofish's arguments belong to the function: `float_to_decimal_common_shortest::<…>` is one leaf.
  const name = grouped.replace(/::<…>/g, "<…>");
  if (name.startsWith("<")) {
    // `<T as Trait>::method`: the impl is the module.
    const close = name.lastIndexOf(">::");
    return close > 0 ? { module: name.slice(0, close + 1), leaf: name.slice(close + 3) } : { module: "", leaf: name };
  }
  const segments = name.split("::");
  const skip = crate.split("::").length;
  return { module: segments.slice(skip, -1).join("::"), leaf: segments.at(-1) ?? name };
}

/**
 * The tree of one kind of memory: `flash`, the code and read-only data (in flash, or in RAM on targets QEMU loads
 * into RAM), or `ram`, the writable sections (data, bss, heap); the root is their sections' size.
 */
export function sizeTree(elf: ElfFile, kind: "flash" | "ram"): SizeTreeNode {
  const writable = (flags: bigint) => (flags & SHF.WRITE) !== 0n && (flags & SHF.EXECINSTR) === 0n;
  const sections = new Set(elf.sections.filter((s) => s.flags & SHF.ALLOC && (kind === "ram" ? writable(s.flags) : !writable(s.flags))).map((s) => s.index));
  const total = elf.sections.filter((x) => sections.has(x.index) && x.flags & SHF.ALLOC && !(x.flags & SHF.TLS)).reduce((n, x) => n + Number(x.size), 0);
  const table = elf.symbolTableSection("symtab") ? "symtab" : elf.symbolTableSection("dynsym") ? "dynsym" : undefined;
  const crates = new Map<string, Map<string, Map<string, SizeTreeNode>>>();
  let covered = 0;
  const coveredIn = new Map<number, number>();
  const seen = new Set<string>();
  for (const s of table ? elf.symbols(table) : []) {
    if (s.size === 0n || s.shndx === SHN.UNDEF || !sections.has(s.shndx) || s.type === STT.SECTION || s.type === STT.FILE || !s.name) continue;
    const key = `${s.value}:${s.size}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const full = displayName(s.name);
    const crate = crateOfPath(full);
    const { module, leaf } = splitPath(genericGroupName(full), crate);
    const modules = crates.get(crate) ?? new Map<string, Map<string, SizeTreeNode>>();
    crates.set(crate, modules);
    const leaves = modules.get(module) ?? new Map<string, SizeTreeNode>();
    modules.set(module, leaves);
    const node = leaves.get(leaf);
    if (node) {
      node.bytes += Number(s.size);
      node.count = (node.count ?? 1) + 1;
    } else leaves.set(leaf, { name: leaf, bytes: Number(s.size) });
    covered += Number(s.size);
    coveredIn.set(s.shndx, (coveredIn.get(s.shndx) ?? 0) + Number(s.size));
  }
  const sorted = (nodes: SizeTreeNode[]) => nodes.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  const sum = (nodes: SizeTreeNode[]) => nodes.reduce((n, x) => n + x.bytes, 0);
  const children = [...crates].map(([crate, modules]) => {
    const mods = [...modules].map(([module, leaves]) => {
      const kids = sorted([...leaves.values()]);
      return module ? { name: module, bytes: sum(kids), children: kids } : kids;
    });
    const flat = sorted(mods.flatMap((m) => (Array.isArray(m) ? m : [m])));
    return { name: crate, bytes: sum(flat), children: flat };
  });
  // What no symbol covers, said by section (a heap, padding, linker-made tables), then whatever is left.
  let rest = total - covered;
  for (const sec of elf.sections) {
    const gap = sections.has(sec.index) ? Number(sec.size) - (coveredIn.get(sec.index) ?? 0) : 0;
    if (gap <= 0 || gap > rest) continue;
    // The stack a link script reserves as a section is the `(stack)` leaf `size` adds otherwise.
    children.push({ name: sec.name === ".stack" ? "(stack)" : `${UNCOVERED.slice(0, -1)} in ${sec.name})`, bytes: gap, children: [] });
    rest -= gap;
  }
  if (rest > 0) children.push({ name: UNCOVERED, bytes: rest, children: [] });
  const out = sorted(children).map((c) => (c.children?.length ? c : { name: c.name, bytes: c.bytes }));
  return { name: kind, bytes: sum(out), children: out };
}
