import pc from "picocolors";
import type { SizeReport } from "./size.js";
import type { SizeDiff } from "./size-diff.js";
import { maxOf } from "../util/arrays.js";
import { humanBytes } from "../util/bytes.js";

export { humanBytes };

/** A name as a table line shows it: a hostile or absurd one is cut (the JSON report keeps it whole). */
function shortened(name: string, max = 512): string {
  return name.length > max ? `${name.slice(0, max)}…` : name;
}

function bar(used: number, length: number, width = 24): string {
  const frac = length > 0 ? Math.min(1, used / length) : 0;
  const full = Math.round(frac * width);
  return `[${"#".repeat(full)}${".".repeat(width - full)}]`;
}

/**
 * The human table: the loaded sections (like `size -A`) with what is not loaded (debug info, symbol tables) apart,
 * the Berkeley line, flash/RAM with usage bars, and the largest symbols — every column with a header and a unit.
 */
export function formatSizeReport(r: SizeReport, opts: { color?: boolean; name?: string } = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const out: string[] = [];
  const loaded = r.sections.filter((s) => s.allocated);
  const apart = r.sections.filter((s) => !s.allocated);
  const loadedTotal = loaded.reduce((sum, s) => sum + s.size, 0);
  const nameWidth = maxOf(loaded.map((s) => s.name.length), 12);
  const sizeHeader = "Size (bytes)";
  const sizeWidth = Math.max(sizeHeader.length, String(loadedTotal).length);
  out.push(c.bold(`${"Section".padEnd(nameWidth)}  ${"Address".padEnd(10)}  ${sizeHeader.padStart(sizeWidth)}`));
  for (const s of loaded) out.push(`${s.name.padEnd(nameWidth)}  ${`0x${s.address.toString(16).padStart(8, "0")}`.padEnd(10)}  ${String(s.size).padStart(sizeWidth)}`);
  out.push(`${"Loaded total".padEnd(nameWidth)}  ${"".padEnd(10)}  ${String(loadedTotal).padStart(sizeWidth)}`);
  if (apart.length > 0) {
    const size = apart.reduce((sum, s) => sum + s.size, 0);
    const debug = apart.filter((s) => s.name.startsWith(".debug_")).reduce((sum, s) => sum + s.size, 0);
    const what = debug > 0 ? `${humanBytes(debug)} of it debug info` : "symbols and comments";
    out.push(c.dim(`Not loaded: ${apart.length} ${apart.length === 1 ? "section" : "sections"}, ${size} bytes (${what}); in the file only, not in flash or RAM`));
  }
  out.push("");
  const b = r.berkeley;
  out.push(c.bold(`${"text".padStart(10)}${"data".padStart(10)}${"bss".padStart(10)}${"dec".padStart(10)}${"hex".padStart(10)}  filename`));
  out.push(`${String(b.text).padStart(10)}${String(b.data).padStart(10)}${String(b.bss).padStart(10)}${String(b.dec).padStart(10)}${b.dec.toString(16).padStart(10)}  ${opts.name ?? r.file}`);
  out.push("");
  const flashRegions = r.regions.filter((x) => x.kind === "flash");
  const ramRegions = r.regions.filter((x) => x.kind === "ram");
  const line = (label: string, used: number, regions: typeof r.regions, detail: string) => {
    let text = `${label.padEnd(6)}${humanBytes(used).padStart(11)}  (${used} bytes: ${detail})`;
    const length = regions.reduce((sum, x) => sum + x.length, 0);
    if (length > 0) {
      const pct = (100 * used) / length;
      const paint = pct > 100 ? c.red : pct > 90 ? c.yellow : c.green;
      text += `\n      ${paint(bar(used, length))} ${paint(`${pct.toFixed(1)}%`)} of ${humanBytes(length)} ${regions.map((x) => x.name).join("+")}`;
    }
    out.push(text);
  };
  if (flashRegions.length > 0 || r.regions.length === 0) line("flash", r.flash, flashRegions, "text + rodata + data");
  line("RAM", r.ram, ramRegions, r.stack > 0 ? `data + bss + ${r.stack} stack` : "data + bss");
  if (r.symbols.length > 0) {
    out.push("");
    out.push(c.bold(`Largest ${r.grouped ? "symbol groups" : "symbols"} (${r.symbolTable === "dynsym" ? ".dynsym: the file is stripped" : ".symtab"}):`));
    const header = "Size (bytes)";
    const w = maxOf(r.symbols.map((s) => String(s.size).length), header.length);
    const kindWidth = 8;
    out.push(c.bold(`${header.padStart(w)}  ${"Kind".padEnd(kindWidth)}  Symbol`));
    for (const s of r.symbols) {
      const count = r.grouped && s.count > 1 ? c.dim(` (${s.count} instances)`) : "";
      out.push(`${String(s.size).padStart(w)}  ${s.kind.padEnd(kindWidth)}  ${shortened(s.name)}${count}`);
    }
  } else if (r.symbolTable === null) {
    out.push("");
    out.push("no symbol table: the file is stripped, so symbol sizes are unknown");
  }
  return out.join("\n") + "\n";
}

/** `+424` / `-16` / `0`, and the percentage of the old figure where there was one. */
function signed(c: { old: number; delta: number }): string {
  const sign = c.delta > 0 ? "+" : "";
  const percent = c.old > 0 ? ` (${sign}${((100 * c.delta) / c.old).toFixed(1)}%)` : c.delta > 0 ? " (new)" : "";
  return `${sign}${c.delta.toLocaleString("en-US")} B${percent}`;
}

/** `size --diff`: the totals, the regions, the crates and the symbols that changed, growth in red. */
export function formatSizeDiff(d: SizeDiff, opts: { color?: boolean; old: string; new: string }): string {
  const c = pc.createColors(opts.color ?? false);
  const paint = (x: { delta: number }, text: string) => (x.delta > 0 ? c.red(text) : x.delta < 0 ? c.green(text) : text);
  const total = (x: SizeDiff["flash"]) => `${x.name.padEnd(6)} ${x.old.toLocaleString("en-US").padStart(9)} → ${x.new.toLocaleString("en-US").padStart(9)} B  ${paint(x, signed(x))}`;
  const lines = [`${c.bold("Size change")} ${opts.old} → ${opts.new}`, total(d.flash), total(d.ram)];
  for (const r of d.regions) if (r.delta !== 0) lines.push(`  ${r.name} (${r.kind}): ${paint(r, signed(r))}`);
  const rows = (title: string, list: SizeDiff["crates"]) => {
    if (list.length === 0) return;
    lines.push("", c.bold(title));
    for (const x of list) lines.push(`  ${paint(x, signed(x).padStart(20))}  ${x.name}${x.new === 0 ? c.dim(" (gone)") : ""}`);
  };
  rows("By crate (code and read-only data):", d.crates);
  rows("Symbols that changed most:", d.symbols);
  if (d.crates.length === 0 && d.symbols.length === 0 && d.flash.delta === 0 && d.ram.delta === 0) lines.push("", "No change.");
  return lines.join("\n") + "\n";
}
