import pc from "picocolors";
import { knownOverflow, type StackEntry, type StackReport } from "./stack/index.js";
import { humanBytes } from "../util/bytes.js";
import { maxOf } from "../util/arrays.js";

const count = (n: number) => n.toLocaleString("en-US");
/** The last two segments of a path (`fmt::write`, `<f64 as Display>::fmt`): enough to follow a chain on one line. */
export function shortName(name: string): string {
  const segments: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === "<") depth++;
    else if (ch === ">") depth--;
    else if (depth === 0 && ch === ":" && name[i + 1] === ":") {
      segments.push(name.slice(from, i));
      from = i + 2;
      i++;
    }
  }
  segments.push(name.slice(from));
  // A qualified type (`<&T as core::fmt::Display>`) keeps its trait's last segment.
  const tidy = (s: string) => (s.startsWith("<") ? s.replace(/(\w+::)+(\w+)/g, "$2") : s);
  return segments.slice(-2).map(tidy).map((s) => (s.length > 48 ? `${s.slice(0, 47)}…` : s)).join("::");
}
const short = shortName;
const listed = (names: string[], max = 3) => {
  const unique = [...new Set(names)];
  return unique.slice(0, max).map((n) => `\`${n}\``).join(", ") + (unique.length > max ? ` and ${unique.length - max} more` : "");
};

function entryLines(e: StackEntry, c: ReturnType<typeof pc.createColors>): string[] {
  const who = e.vectors ? `${e.function} (${e.vectors.length > 4 ? `${e.vectors.slice(0, 4).join(", ")} and ${e.vectors.length - 4} more vectors` : e.vectors.join(", ")})` : e.function;
  const chain = e.path.map((s) => short(s.function)).join(" → ");
  const out = [c.bold(`${e.kind === "entry" ? "Entry" : "Exception"} ${who}: ${count(e.bytes)} bytes${e.complete ? "" : " (estimate)"}`), `  ${chain}: ${count(e.bytes)} bytes`];
  const width = maxOf(e.path.map((s) => count(s.depth).length), 5);
  out.push(c.dim(`  ${"Depth".padStart(width)}  ${"Frame".padStart(6)}  Function`));
  for (const s of e.path) out.push(`  ${count(s.depth).padStart(width)}  ${count(s.frame).padStart(6)}  ${s.function.length > 200 ? `${s.function.slice(0, 200)}…` : s.function}`);
  if (!e.complete && e.directBytes !== e.bytes) out.push(c.dim(`  on direct calls alone: ${count(e.directBytes)} bytes`));
  return out;
}

/**
 * `freestand stack`'s human report: each entry's worst path (its chain on one line, then each function's frame and
 * the depth it starts at), the program's total against the stack region, why it is an estimate when it is, and the
 * largest frames.
 */
export function formatStackReport(r: StackReport, opts: { color?: boolean; name?: string } = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const out: string[] = [`Stack of ${opts.name ?? r.file} (${r.architecture}, ${count(r.functions)} functions)`, ""];
  for (const e of r.entries) out.push(...entryLines(e, c), "");
  const main = r.entries.filter((e) => e.kind === "entry");
  const handlers = r.entries.filter((e) => e.kind === "exception");
  let total = `${r.bound.complete ? "Bound" : "Estimate"}: ${count(r.bound.bytes)} bytes`;
  if (handlers.length > 0) {
    const deepest = handlers.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    total += ` (${main.map((e) => `${short(e.function)} ${count(e.bytes)}`).join(", ")} + an exception at its deepest point: ${r.bound.exceptionFrame > 0 ? `${r.bound.exceptionFrame}-byte hardware frame + ` : ""}${short(deepest.function)} ${count(deepest.bytes)})`;
  }
  if (r.region) {
    const pct = ((r.bound.bytes / r.region.size) * 100).toFixed(0);
    total += ` of a ${humanBytes(r.region.size)} stack (${pct}%)`;
  }
  out.push(c.bold(total));
  const over = knownOverflow(r);
  if (over) {
    const which = over.entry ? `every path from ${over.entry.function} is known, and the deepest needs ${count(over.bytes)} bytes` : `every path is known and the deepest needs ${count(over.bytes)} bytes`;
    out.push(`${c.yellow(c.bold("warning"))}: ${which}: more than the ${humanBytes(r.region!.size)} reserved for the stack (_stack_bottom.._stack_top): it can overflow`);
  }
  if (!r.bound.complete) {
    out.push(`${c.cyan("note")}: not a bound, an estimate: ${estimateReasons(r).join("; ")}`);
    out.push(`${c.cyan("note")}: on direct calls alone it is at least ${count(r.bound.directBytes)} bytes`);
  }
  if (!r.entries.some((e) => e.kind === "exception")) out.push(c.dim("no exception handlers found in the ELF (a vector table or the address written to the vector-base register): only the entry is bounded"));
  out.push("", c.bold("Largest frames"));
  for (const f of r.largestFrames) out.push(`  ${count(f.frame).padStart(6)}  ${f.function}`);
  return out.join("\n") + "\n";
}

/** Each reason the total is an estimate, in a few words with the functions named. */
export function estimateReasons(r: StackReport): string[] {
  const reasons: string[] = [];
  if (r.indirectCalls.length > 0) {
    reasons.push(`${count(r.indirectCalls.length)} ${r.indirectCalls.length === 1 ? "call" : "calls"} through a register (in ${listed(r.indirectCalls.map((x) => x.function))}) are taken to reach any function whose address the program takes`);
  }
  if (r.recursion.length > 0) {
    const first = r.recursion[0]!;
    reasons.push(`${count(r.recursion.length)} ${r.recursion.length === 1 ? "cycle" : "cycles"} in the calls (recursion, or a call through a register that may come back), each counted once: ${[...first, first[0]!].map(short).join(" → ")}${r.recursion.length > 1 ? ", …" : ""}`);
  }
  if (r.unreadable.length > 0) reasons.push(`the frames of ${listed(r.unreadable.map((x) => x.function))} are only partly known (${r.unreadable[0]!.reason})`);
  if (r.unresolved.length > 0) reasons.push(`${listed(r.unresolved.map((x) => x.function))} ${r.unresolved.length === 1 ? "calls an address" : "call addresses"} outside every function (${r.unresolved[0]!.target})`);
  return reasons;
}
