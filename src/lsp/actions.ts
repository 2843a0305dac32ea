/**
 * Code actions of the language server: each finding's fix as a quick fix, and every fix of the crate at once
 * (`source.fixAll.freestand`) — the edits of `check --fix`, as workspace edits over every file they touch.
 */
import path from "node:path";
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type WorkspaceEdit } from "vscode-languageserver";
import { lineBreakOf, planFixes } from "../check/apply.js";
import type { Diagnostic, TextEdit } from "../diagnostics/types.js";
import { withFileTexts } from "../util/fs.js";
import { toLspEdit, uriOf } from "./convert.js";
import { PositionIndex } from "./positions.js";

export const FIX_ALL_KIND = "source.fixAll.freestand";

export interface EditContext {
  /** A file's current text: the editor's when it is open, the disk's otherwise; undefined when it does not exist. */
  textOf: (file: string) => Promise<string | undefined>;
  /** The open document's version, for versioned edits. */
  versionOf: (file: string) => number | null;
  openTexts: () => Map<string, string>;
}

/** Edits of several files as a workspace edit; a file that does not exist yet is created first. */
export async function workspaceEdit(edits: readonly TextEdit[], ctx: EditContext): Promise<WorkspaceEdit> {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(path.resolve(e.file), [...(byFile.get(path.resolve(e.file)) ?? []), e]);
  const documentChanges: NonNullable<WorkspaceEdit["documentChanges"]> = [];
  for (const [file, list] of byFile) {
    const text = await ctx.textOf(file);
    if (text === undefined) documentChanges.push({ kind: "create", uri: uriOf(file), options: { ignoreIfExists: true } });
    const index = new PositionIndex(text ?? "");
    // As `check --fix` does: a file with CRLF line breaks gets CRLF in what is inserted.
    const crlf = text !== undefined && lineBreakOf(text) === "\r\n";
    documentChanges.push({
      textDocument: { uri: uriOf(file), version: ctx.versionOf(file) },
      edits: list.map((e) => toLspEdit(crlf ? { ...e, text: e.text.replace(/\r?\n/g, "\r\n") } : e, index)),
    });
  }
  return { documentChanges };
}

/** One quick fix per finding with a fix; the only one is the preferred one. */
export async function quickFixes(found: readonly { d: Diagnostic; key: string }[], shown: readonly LspDiagnostic[], ctx: EditContext): Promise<CodeAction[]> {
  const fixable = found.filter(({ d }) => d.fix);
  const out: CodeAction[] = [];
  for (const { d, key } of fixable) {
    const diagnostics = shown.filter((x) => (x.data as { key?: string } | undefined)?.key === key);
    out.push({ title: d.fix!.description, kind: CodeActionKind.QuickFix, diagnostics, isPreferred: fixable.length === 1, edit: await workspaceEdit(d.fix!.edits, ctx) });
  }
  return out;
}

/** The first pass of `check --fix` over a crate's findings: every fix that does not overlap another, each file whole. */
export async function fixAll(findings: readonly Diagnostic[], ctx: EditContext): Promise<CodeAction | undefined> {
  const fixable = findings.filter((d) => d.fix);
  if (fixable.length === 0) return undefined;
  const plan = await withFileTexts(ctx.openTexts(), () => planFixes(fixable));
  const edits: TextEdit[] = [];
  for (const [file, text] of plan.texts) {
    const old = (await ctx.textOf(file)) ?? "";
    edits.push({ file, start: 0, end: Buffer.byteLength(old, "utf8"), text });
  }
  return { title: `Fix all freestand findings (${plan.applied.length})`, kind: FIX_ALL_KIND, edit: await workspaceEdit(edits, ctx) };
}
