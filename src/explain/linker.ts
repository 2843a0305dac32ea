/**
 * Reads a linker's stderr as rustc forwards it ("linking with `cc` failed" notes, or a `linker stderr:` warning),
 * in both formats seen here: LLVM lld (`rust-lld: error: undefined symbol: memcpy` + `>>> referenced by` lines) and
 * GNU ld (`main.rs:9: undefined reference to `memset'`). Line by line, linear time, no exceptions.
 */

export interface SymbolReference {
  /** Source file of the reference (as the linker printed it: relative to the workspace or absolute). */
  file?: string;
  line?: number;
  /** The object or archive member, when that is all the linker knows. */
  object?: string;
}

export interface LinkerReport {
  flavour?: "lld" | "gnu";
  /** Undefined symbol → where it is referenced, in order of first appearance. */
  undefined: Map<string, SymbolReference[]>;
  /** Symbol defined twice → where each definition is. */
  duplicate: Map<string, SymbolReference[]>;
  /** The entry symbol the linker could not find (`cannot find entry symbol _start`). */
  missingEntry?: string;
}

const LLD_UNDEFINED = /^(?:\S*: )?error: undefined (?:hidden )?symbol: (.+)$/;
const LLD_DUPLICATE = /^(?:\S*: )?error: duplicate symbol: (.+)$/;
const LLD_REF = /^>>> (?:referenced by|defined at) (.*)$/;
// The quoted symbol stops at a quote or backtick, so a line of repeated openers is scanned once, not once per opener.
const GNU_UNDEFINED = /undefined reference to `([^'`]*)'/;
const GNU_DUPLICATE = /multiple definition of `([^'`]*)'/;
const GNU_LOCATION = /^(?:\S*ld(?:\.bfd|\.gold)?: )?(?:warning: )?([^:]*[^:\s]):(\d+): /;
const ENTRY = /cannot find entry symbol ([^\s;]+)/;
const LLD_MARK = /^\S*lld: (?:error|warning)|^>>> |^\S*lld: cannot find entry/;
const GNU_MARK = /^\S*\/ld(?:\.bfd|\.gold)?: |^collect2: |undefined reference to `/;

/** "…; /usr/lib/x86_64-linux-gnu/Scrt1.o:(.text+0x0): first defined here" → the object, found by scanning back. */
function firstDefinition(line: string): string | undefined {
  const at = line.indexOf("): first defined here");
  if (at < 0) return undefined;
  const open = line.lastIndexOf(":(", at);
  const sep = line.lastIndexOf("; ", open);
  if (open < 0 || sep < 0) return undefined;
  const object = line.slice(sep + 2, open);
  return object !== "" && !/\s/.test(object) ? object : undefined;
}

/** "main.rs:9 (src/main.rs:9)" → src/main.rs line 9; "core.cgu.0" → no location. */
function lldLocation(rest: string): SymbolReference {
  const paren = /\(([^()]+):(\d+)\)$/.exec(rest);
  if (paren) return { file: paren[1], line: Number(paren[2]) };
  const plain = /^(\S+):(\d+)$/.exec(rest);
  if (plain) return { file: plain[1], line: Number(plain[2]) };
  return { object: rest };
}

function add(map: Map<string, SymbolReference[]>, sym: string, ref?: SymbolReference): void {
  let refs = map.get(sym);
  if (!refs) map.set(sym, (refs = []));
  if (ref) refs.push(ref);
}

export function parseLinkerOutput(text: string): LinkerReport {
  const report: LinkerReport = { undefined: new Map(), duplicate: new Map() };
  // The symbol whose `>>>` lines follow (lld), and which map they belong to.
  let current: { map: Map<string, SymbolReference[]>; sym: string } | undefined;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    // rustc forwards a successful link's output as "linker stderr: <the linker's line>".
    const line = text.slice(start, end).trim().replace(/^linker std(?:err|out): /, "");
    start = end + 1;
    if (line === "") continue;
    if (!report.flavour) {
      if (LLD_MARK.test(line)) report.flavour = "lld";
      else if (GNU_MARK.test(line)) report.flavour = "gnu";
    }
    let m: RegExpExecArray | null;
    if ((m = LLD_UNDEFINED.exec(line))) {
      add(report.undefined, m[1]!.trim());
      current = { map: report.undefined, sym: m[1]!.trim() };
      continue;
    }
    if ((m = LLD_DUPLICATE.exec(line))) {
      add(report.duplicate, m[1]!.trim());
      current = { map: report.duplicate, sym: m[1]!.trim() };
      continue;
    }
    if ((m = LLD_REF.exec(line))) {
      if (current) current.map.get(current.sym)!.push(lldLocation(m[1]!.trim()));
      continue;
    }
    if (line.startsWith(">>>")) continue; // the object file line under a reference
    current = undefined;
    if ((m = GNU_UNDEFINED.exec(line))) {
      const loc = GNU_LOCATION.exec(line);
      add(report.undefined, m[1]!, loc ? { file: loc[1], line: Number(loc[2]) } : undefined);
      continue;
    }
    if ((m = GNU_DUPLICATE.exec(line))) {
      const loc = GNU_LOCATION.exec(line);
      add(report.duplicate, m[1]!, loc ? { file: loc[1], line: Number(loc[2]) } : undefined);
      // "...; /usr/lib/.../Scrt1.o:(.text+0x0): first defined here": the other definition.
      const first = firstDefinition(line);
      if (first) report.duplicate.get(m[1]!)!.push({ object: first });
      continue;
    }
    if ((m = ENTRY.exec(line))) report.missingEntry ??= m[1];
  }
  return report;
}

/** True for a path inside Rust's own library sources (a reference from there says little about the user's code). */
export function isRustLibraryPath(file: string): boolean {
  return /(?:^|\/)rustc\/[0-9a-f]{8,}\/|\/rustlib\/|(?:^|\/)library\/(?:core|alloc|std|compiler-builtins)\/|\/usr\/src\/rustc-/.test(file);
}

/** The reference most worth pointing at: the first one in the user's code, else none. */
export function userReference(refs: readonly SymbolReference[]): SymbolReference | undefined {
  return refs.find((r) => r.file !== undefined && r.line !== undefined && !isRustLibraryPath(r.file));
}
