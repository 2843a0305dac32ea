import type { CodeDescriptor, Severity } from "../diagnostics/types.js";
import type { LinkerReport } from "./linker.js";
import type { CompilerLocation, CompilerMessage } from "./types.js";

/**
 * Whether a crate named in a message is the one being built or something it depends on. Saved output read
 * elsewhere cannot always tell: then it says so.
 */
export type CrateOrigin = "this crate" | "a dependency" | "this crate or one of its dependencies";

/** What an entry sees of one message. */
export interface MatchContext {
  msg: CompilerMessage;
  /** The headline and every note, joined by line breaks (capped in size). */
  text: string;
  /** The linker's report, parsed on first use (empty for messages that are not linker output). */
  linker(): LinkerReport;
  /** What an earlier error in the same compilation already explained ("`std` is missing"), if anything. */
  rootCause?: string;
  origin(crateName: string): CrateOrigin | undefined;
  /** The file of the crate being built that defines `macro_rules! <name>`, if the sources are at hand. */
  definesMacro(name: string): string | undefined;
  /** The target of the build: as the caller knows it, else what the linker command line links for (its `lib/rustlib/<triple>/lib` paths). */
  target(): string | undefined;
}

/** What an entry recognised: one or two plain sentences of cause, and the fix. */
export interface Finding {
  message: string;
  help?: string[];
  notes?: string[];
  data?: Record<string, unknown>;
  /** Where to point instead of the compiler's own span (a linker reference in the user's code). */
  location?: CompilerLocation;
  severity?: Severity;
  /** Set by errors that make later errors in the same compilation meaningless (missing `core`, wrong rustc). */
  rootCause?: string;
  /** The `check` rule that catches it, when the rule depends on the finding; null: no rule catches this case. */
  rule?: string | null;
}

/** One catalogue entry: a pattern over compiler or linker output, with its documentation. */
export interface ExplainEntry extends CodeDescriptor {
  /** Short title for docs. */
  title: string;
  /** The `freestand check` rule that finds the cause before compiling, if one does. */
  rule?: string;
  /** Another command that finds it before compiling (`freestand doctor`), if any. */
  caughtBy?: string;
  /** The fixtures (test/fixtures/explain/<name>.{jsonl,txt}) with real compiler output for this entry. */
  fixtures: string[];
  /** The rustc error codes it explains (`freestand explain E0463` lists the entries for a code). */
  compilerCodes?: string[];
  match(ctx: MatchContext): Finding | Finding[] | undefined;
}
