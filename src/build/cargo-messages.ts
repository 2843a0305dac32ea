/** The parts of cargo's `--message-format=json` stream that freestand reads (cargo's documented JSON messages). */

export interface CargoTarget {
  name: string;
  kind: string[];
  crate_types: string[];
  src_path: string;
}

export interface CompilerArtifactMessage {
  reason: "compiler-artifact";
  package_id: string;
  manifest_path: string;
  target: CargoTarget;
  profile: { opt_level: string; debuginfo: number | null; test: boolean };
  filenames: string[];
  executable: string | null;
  fresh: boolean;
}

export interface DiagnosticSpan {
  file_name: string;
  byte_start: number;
  byte_end: number;
  line_start: number;
  line_end: number;
  column_start: number;
  column_end: number;
  is_primary: boolean;
  label: string | null;
}

export interface RustcDiagnostic {
  message: string;
  code: { code: string; explanation: string | null } | null;
  level: "error" | "warning" | "note" | "help" | "failure-note" | "error: internal compiler error" | string;
  spans: DiagnosticSpan[];
  children: RustcDiagnostic[];
  rendered: string | null;
}

export interface CompilerMessage {
  reason: "compiler-message";
  package_id: string;
  manifest_path: string;
  target: CargoTarget;
  message: RustcDiagnostic;
}

export interface BuildFinishedMessage {
  reason: "build-finished";
  success: boolean;
}

export type CargoMessage =
  | CompilerArtifactMessage
  | CompilerMessage
  | BuildFinishedMessage
  | { reason: "build-script-executed" | string; [key: string]: unknown };

/** Parses one line of cargo's stdout; lines that are not JSON messages (a build script's own output) give undefined. */
export function parseCargoMessage(line: string): CargoMessage | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(trimmed) as unknown;
    if (value && typeof value === "object" && typeof (value as { reason?: unknown }).reason === "string") return value as CargoMessage;
  } catch {
    /* not JSON: fall through */
  }
  return undefined;
}

