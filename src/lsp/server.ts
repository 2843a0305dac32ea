/**
 * `freestand lsp`: the checks of `freestand check` in the editor, over LSP 3.17 on stdio. Each crate with an open
 * file (and the crate at the root of each workspace folder) is checked with the unsaved texts of the open files
 * standing in for the files on disk (withFileTexts), a few milliseconds after the last change; its findings are
 * published per file, their fixes offered as code actions (the edits of `check --fix`, in every file they touch),
 * their explanations on hover.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type Range,
  type WorkspaceEdit,
} from "vscode-languageserver/node.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import { check } from "../check/index.js";
import { lineBreakOf, planFixes } from "../check/apply.js";
import { describeCode } from "../codes/index.js";
import { codePage } from "../codes/docs.js";
import type { Diagnostic, TextEdit } from "../diagnostics/types.js";
import { describeError } from "../errors.js";
import { readTextFile, withFileTexts } from "../util/fs.js";
import { toLspDiagnostic, toLspEdit, uriOf } from "./convert.js";
import { PositionIndex } from "./positions.js";

export const FIX_ALL_KIND = "source.fixAll.freestand";
const EXPLAIN_COMMAND = "freestand.explain";
/** How long to wait after a change before checking: keystrokes in a burst are checked once. */
const SETTLE_MS = 30;
/** Files whose change re-checks the crates below them. */
const CONFIG_FILES = new Set(["Cargo.toml", "Cargo.lock", "config.toml", "config", "rust-toolchain.toml", "rust-toolchain"]);

interface CrateState {
  dir: string;
  /** The latest findings, by key (what an LSP diagnostic's `data.key` names). */
  findings: Map<string, Diagnostic>;
  /** Files the latest check published diagnostics for. */
  published: Set<string>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  again: boolean;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const crates = new Map<string, CrateState>();
  let roots: string[] = [];

  /** The unsaved texts of the open documents, by absolute path. */
  const openTexts = () => new Map(documents.all().flatMap((d) => (d.uri.startsWith("file:") ? [[fileURLToPath(d.uri), d.getText()] as const] : [])));

  const textOf = async (file: string): Promise<string | undefined> => {
    const open = documents.get(uriOf(file));
    if (open) return open.getText();
    return readTextFile(file).catch(() => undefined);
  };

  const stateOf = (dir: string): CrateState => {
    let s = crates.get(dir);
    if (!s) crates.set(dir, (s = { dir, findings: new Map(), published: new Set(), again: false }));
    return s;
  };

  const schedule = (dir: string) => {
    const s = stateOf(dir);
    clearTimeout(s.timer);
    s.timer = setTimeout(() => void run(s), SETTLE_MS);
  };

  /** One check of a crate at a time; a change during it checks again afterwards. */
  const run = async (s: CrateState): Promise<void> => {
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = checkCrate(s).finally(() => {
      s.running = undefined;
      if (s.again) {
        s.again = false;
        void run(s);
      }
    });
    await s.running;
  };

  const checkCrate = async (s: CrateState): Promise<void> => {
    const texts = openTexts();
    let diagnostics: Diagnostic[];
    try {
      diagnostics = (await withFileTexts(texts, () => check(s.dir))).diagnostics;
    } catch (err) {
      // Half-written input (a Cargo.toml that does not parse yet): the last findings stay, the reason is logged.
      connection.console.warn(`freestand: ${s.dir}: ${describeError(err)}`);
      return;
    }
    const byFile = new Map<string, LspDiagnostic[]>();
    s.findings.clear();
    for (const [i, d] of diagnostics.entries()) {
      if (!d.file) continue;
      const text = texts.get(d.file) ?? (await textOf(d.file)) ?? "";
      const key = `${i}:${d.code}`;
      s.findings.set(key, d);
      const list = byFile.get(d.file) ?? [];
      list.push(toLspDiagnostic(d, new PositionIndex(text), key));
      byFile.set(d.file, list);
    }
    for (const [file, list] of byFile) await connection.sendDiagnostics({ uri: uriOf(file), diagnostics: list });
    // Files that had findings and have none now are cleared.
    for (const file of s.published) if (!byFile.has(file)) await connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
    s.published = new Set(byFile.keys());
  };

  /** The crate a file belongs to: the nearest directory above it with a Cargo.toml. */
  const crateOf = (file: string): string | undefined => {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, "Cargo.toml"))) return dir;
      if (path.dirname(dir) === dir) return undefined;
    }
  };

  const touched = (uri: string) => {
    if (!uri.startsWith("file:")) return;
    const file = fileURLToPath(uri);
    // A manifest or config re-checks every known crate at or below its directory (a workspace root's affects
    // its members), and the crate it belongs to.
    if (CONFIG_FILES.has(path.basename(file))) {
      const base = path.basename(path.dirname(file)) === ".cargo" ? path.dirname(path.dirname(file)) : path.dirname(file);
      for (const dir of crates.keys()) if (dir === base || dir.startsWith(`${base}${path.sep}`)) schedule(dir);
    }
    const dir = crateOf(file);
    if (dir) schedule(dir);
  };

  connection.onInitialize((params) => {
    roots = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
    if (roots.length === 0 && params.rootUri) roots = [fileURLToPath(params.rootUri)];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        executeCommandProvider: { commands: [EXPLAIN_COMMAND] },
      },
      serverInfo: { name: "freestand" },
    };
  });

  connection.onInitialized(() => {
    for (const root of roots) if (existsSync(path.join(root, "Cargo.toml"))) schedule(root);
  });

  documents.onDidOpen((e) => touched(e.document.uri));
  documents.onDidChangeContent((e) => touched(e.document.uri));
  documents.onDidSave((e) => touched(e.document.uri));
  // Closed: the file on disk stands for it again.
  documents.onDidClose((e) => touched(e.document.uri));
  connection.onDidChangeWatchedFiles((p) => {
    for (const c of p.changes) touched(c.uri);
  });

  const findingsAt = (uri: string, range: Range): { d: Diagnostic; key: string }[] => {
    const file = fileURLToPath(uri);
    const dir = crateOf(file);
    const s = dir ? crates.get(dir) : undefined;
    if (!s) return [];
    const doc = documents.get(uri);
    const index = new PositionIndex(doc?.getText() ?? "");
    const [from, to] = [index.offset(range.start), index.offset(range.end)];
    return [...s.findings].filter(([, d]) => d.file === file && (!d.span || (d.span.start <= to && d.span.end >= from))).map(([key, d]) => ({ d, key }));
  };

  /** Edits of several files as a workspace edit; a file that does not exist yet is created first. */
  const workspaceEdit = async (edits: readonly TextEdit[]): Promise<WorkspaceEdit> => {
    const byFile = new Map<string, TextEdit[]>();
    for (const e of edits) byFile.set(path.resolve(e.file), [...(byFile.get(path.resolve(e.file)) ?? []), e]);
    const documentChanges: NonNullable<WorkspaceEdit["documentChanges"]> = [];
    for (const [file, list] of byFile) {
      const text = await textOf(file);
      if (text === undefined) documentChanges.push({ kind: "create", uri: uriOf(file), options: { ignoreIfExists: true } });
      const index = new PositionIndex(text ?? "");
      // As `check --fix` does: a file with CRLF line breaks gets CRLF in what is inserted.
      const crlf = text !== undefined && lineBreakOf(text) === "\r\n";
      documentChanges.push({
        textDocument: { uri: uriOf(file), version: documents.get(uriOf(file))?.version ?? null },
        edits: list.map((e) => toLspEdit(crlf ? { ...e, text: e.text.replace(/\r?\n/g, "\r\n") } : e, index)),
      });
    }
    return { documentChanges };
  };

  connection.onCodeAction(async (p) => {
    const only = p.context.only;
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      const fixable = findingsAt(p.textDocument.uri, p.range).filter(({ d }) => d.fix);
      for (const { d, key } of fixable) {
        const lsp = p.context.diagnostics.filter((x) => (x.data as { key?: string } | undefined)?.key === key);
        actions.push({ title: d.fix!.description, kind: CodeActionKind.QuickFix, diagnostics: lsp, isPreferred: fixable.length === 1, edit: await workspaceEdit(d.fix!.edits) });
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const dir = crateOf(fileURLToPath(p.textDocument.uri));
      const s = dir ? crates.get(dir) : undefined;
      const fixable = s ? [...s.findings.values()].filter((d) => d.fix) : [];
      if (fixable.length > 0) {
        // The first pass of `check --fix`: every fix that does not overlap another, each file's new text whole.
        const plan = await withFileTexts(openTexts(), () => planFixes(fixable));
        const edits: TextEdit[] = [];
        for (const [file, text] of plan.texts) {
          const old = (await textOf(file)) ?? "";
          edits.push({ file, start: 0, end: Buffer.byteLength(old, "utf8"), text });
        }
        actions.push({ title: `Fix all freestand findings (${plan.applied.length})`, kind: FIX_ALL_KIND, edit: await workspaceEdit(edits) });
      }
    }
    return actions;
  });

  connection.onHover((p) => {
    const found = findingsAt(p.textDocument.uri, { start: p.position, end: p.position });
    if (found.length === 0) return null;
    const parts = found.map(({ d }) => {
      const def = describeCode(d.code);
      return def ? `**${d.code}**: ${def.summary}\n\n${def.explanation}` : `**${d.code}**: ${d.message}`;
    });
    return { contents: { kind: "markdown", value: parts.join("\n\n---\n\n") } };
  });

  connection.onExecuteCommand((p) => {
    if (p.command !== EXPLAIN_COMMAND) return null;
    const def = describeCode(String(p.arguments?.[0] ?? ""));
    return def ? codePage(def) : null;
  });

  documents.listen(connection);
  connection.listen();
}
