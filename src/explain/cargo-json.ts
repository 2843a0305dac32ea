/**
 * Reads cargo's JSON messages (`--message-format=json`): `compiler-message` objects carry rustc's diagnostic with its
 * code, spans, children and `rendered` text. Bare rustc diagnostics (`rustc --error-format=json`) are accepted too.
 * Input is untrusted: every field is checked before use, anything unexpected is skipped, nothing throws.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CompilerLocation, CompilerMessage } from "./types.js";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The rustc diagnostic inside a cargo message, or the message itself when it is already one. */
function diagnosticOf(msg: Obj): Obj | undefined {
  if (msg.reason === "compiler-message") return isObj(msg.message) ? msg.message : undefined;
  if (typeof msg.level === "string" && typeof msg.message === "string") return msg;
  return undefined;
}

/** `children` nest (a note can have its own children); flatten them in order, depth first. */
function collectChildren(diag: Obj, out: string[], depth = 0): void {
  if (depth > 8) return;
  for (const c of arr(diag.children)) {
    if (!isObj(c)) continue;
    const m = str(c.message);
    if (m !== undefined) out.push(m);
    collectChildren(c, out, depth + 1);
  }
}

/** A span in macro-generated code (`<macros>`) is reported at the call site in the user's code. */
function userSpan(span: Obj): Obj {
  let s = span;
  for (let i = 0; i < 16; i++) {
    const file = str(s.file_name) ?? "";
    const exp = isObj(s.expansion) ? s.expansion : undefined;
    if (!file.startsWith("<") || !exp || !isObj(exp.span)) break;
    s = exp.span;
  }
  return s;
}

function primaryLocation(diag: Obj): { location?: CompilerLocation; sourceLines: string[] } {
  const spans = arr(diag.spans).filter(isObj);
  const primary = spans.find((s) => s.is_primary === true) ?? spans[0];
  const sourceLines: string[] = [];
  for (const s of spans) for (const t of arr(s.text)) if (isObj(t) && typeof t.text === "string") sourceLines.push(t.text);
  if (!primary) return { sourceLines };
  const s = userSpan(primary);
  const file = str(s.file_name);
  const line = num(s.line_start);
  if (!file || line === undefined || file.startsWith("<")) return { sourceLines };
  return {
    location: { file, line, column: num(s.column_start), byteStart: num(s.byte_start), byteEnd: num(s.byte_end) },
    sourceLines,
  };
}

function packageDirOf(msg: Obj): string | undefined {
  const manifest = str(msg.manifest_path);
  if (manifest) return path.dirname(manifest);
  // package_id: "path+file:///dir#name@0.1.0" (cargo >= 1.77) — a path package's directory.
  const id = str(msg.package_id);
  const m = id ? /^path\+(file:\/\/[^#]*)/.exec(id) : null;
  if (m) {
    try {
      return fileURLToPath(m[1]!);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Turns one cargo JSON message into a CompilerMessage, or undefined when it is not an error or warning. */
export function normaliseCargoMessage(msg: unknown): CompilerMessage | undefined {
  if (!isObj(msg)) return undefined;
  const diag = diagnosticOf(msg);
  if (!diag) return undefined;
  const level = diag.level;
  if (level !== "error" && level !== "warning") return undefined;
  const message = str(diag.message) ?? "";
  const children: string[] = [];
  collectChildren(diag, children);
  const code = isObj(diag.code) ? str(diag.code.code) : undefined;
  const { location, sourceLines } = primaryLocation(diag);
  const target = isObj(msg.target) ? str(msg.target.name) : undefined;
  const unit = `${str(msg.package_id) ?? ""}#${target ?? ""}`;
  return {
    level,
    code,
    message,
    children,
    sourceLines,
    location,
    rendered: str(diag.rendered) ?? message,
    unit,
    packageDir: packageDirOf(msg),
  };
}

/** Splits JSON Lines text (cargo's stdout) into parsed values; lines that are not JSON are skipped. */
export function parseJsonLines(text: string): unknown[] {
  const out: unknown[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (!line.startsWith("{")) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      /* not JSON: cargo only prints JSON on stdout, anything else is noise */
    }
  }
  return out;
}
