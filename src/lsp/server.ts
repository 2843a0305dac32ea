/**
 * `freestand lsp`: the checks of `freestand check` in the editor, over LSP 3.17 on stdio. Each crate with an open
 * file (and the crate at the root of each workspace folder) is checked with the unsaved texts of the open files
 * (crates.ts); its findings are published per file, their fixes offered as code actions (actions.ts), their
 * explanations shown on hover.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CodeActionKind, DidChangeWatchedFilesNotification, FileChangeType, TextDocuments, TextDocumentSyncKind, WatchKind, type CodeAction, type Connection, type Range } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { describeCode } from "../codes/index.js";
import { codePage } from "../codes/docs.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { readTextFile } from "../util/fs.js";
import { forgetCaptures, rememberCaptures } from "../util/process.js";
import { keepSourcesBetweenChecks } from "../crate/modules.js";
import { FIX_ALL_KIND, fixAll, quickFixes, type EditContext } from "./actions.js";
import { toLspDiagnostic, uriOf } from "./convert.js";
import { CrateChecks } from "./crates.js";
import { PositionIndex } from "./positions.js";

const EXPLAIN_COMMAND = "freestand.explain";
/** Files whose change re-checks the crates at and below their directory. */
const CONFIG_FILES = new Set(["Cargo.toml", "Cargo.lock", "config.toml", "config", "rust-toolchain.toml", "rust-toolchain"]);

/**
 * What the server asks the client to watch: manifests and configs, which change outside the editor too (cargo
 * add, git checkout), and Rust files made or removed, which can be crates of their own (src/bin/*.rs, examples/,
 * tests/) that cargo then lists — their edits come as document changes, so only creation and deletion.
 */
const OUTSIDE_CHANGES = [
  ...["**/Cargo.toml", "**/Cargo.lock", "**/.cargo/config.toml", "**/.cargo/config", "**/rust-toolchain.toml", "**/rust-toolchain"].map((globPattern) => ({ globPattern })),
  { globPattern: "**/*.rs", kind: WatchKind.Create | WatchKind.Delete },
];

/** The path of a `file:` URI; undefined for other schemes (an unsaved buffer, a diff view). */
function fileOf(uri: string): string | undefined {
  return uri.startsWith("file:") ? fileURLToPath(uri) : undefined;
}

export function startServer(connection: Connection): void {
  // A warm model between checks: unchanged files keep their trees, programs' answers are kept until a manifest
  // or config changes.
  keepSourcesBetweenChecks(true);
  rememberCaptures(true);
  const documents = new TextDocuments(TextDocument);
  const openTexts = () => new Map(documents.all().flatMap((d) => (fileOf(d.uri) ? [[fileOf(d.uri)!, d.getText()] as const] : [])));
  const edits: EditContext = {
    textOf: async (file) => documents.get(uriOf(file))?.getText() ?? readTextFile(file).catch(() => undefined),
    versionOf: (file) => documents.get(uriOf(file))?.version ?? null,
    openTexts,
  };
  const checks = new CrateChecks({
    openTexts,
    warn: (m) => connection.console.warn(m),
    publish: async (file, found) => {
      const index = new PositionIndex((await edits.textOf(file)) ?? "");
      await connection.sendDiagnostics({ uri: uriOf(file), diagnostics: found.map(([key, d]) => toLspDiagnostic(d, index, key)) });
    },
  });
  let roots: string[] = [];

  const touched = (uri: string) => {
    const file = fileOf(uri);
    if (!file) return;
    // A manifest or config re-checks every known crate at or below it (a workspace root's affects its members).
    if (CONFIG_FILES.has(path.basename(file))) {
      forgetCaptures();
      const base = path.basename(path.dirname(file)) === ".cargo" ? path.dirname(path.dirname(file)) : path.dirname(file);
      for (const dir of checks.known()) if (dir === base || dir.startsWith(`${base}${path.sep}`)) checks.schedule(dir);
    }
    const dir = CrateChecks.crateOf(file);
    if (dir) checks.schedule(dir);
  };

  /** The findings of the file at `uri` whose span meets `range`. */
  const findingsAt = (uri: string, range: Range): { d: Diagnostic; key: string }[] => {
    const file = fileOf(uri);
    if (!file) return [];
    const index = new PositionIndex(documents.get(uri)?.getText() ?? "");
    const [from, to] = [index.offset(range.start), index.offset(range.end)];
    return [...checks.findingsOf(file)].filter(([, d]) => d.file === file && (!d.span || (d.span.start <= to && d.span.end >= from))).map(([key, d]) => ({ d, key }));
  };

  let watchFiles = false;
  connection.onInitialize((params) => {
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
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
    if (watchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: OUTSIDE_CHANGES });
    for (const root of roots) if (existsSync(path.join(root, "Cargo.toml"))) checks.schedule(root);
  });

  documents.onDidOpen((e) => touched(e.document.uri));
  documents.onDidChangeContent((e) => touched(e.document.uri));
  documents.onDidSave((e) => touched(e.document.uri));
  // Closed: the file on disk stands for it again.
  documents.onDidClose((e) => touched(e.document.uri));
  connection.onDidChangeWatchedFiles((p) => {
    for (const c of p.changes) {
      // cargo's list of the package's crates may have changed: ask it again.
      if (c.type !== FileChangeType.Changed && c.uri.endsWith(".rs")) forgetCaptures();
      touched(c.uri);
    }
  });

  serveRequests(connection, checks, edits, findingsAt);
  documents.listen(connection);
  connection.listen();
}

/** Code actions, hover and the explain command: answers from the latest findings. */
function serveRequests(connection: Connection, checks: CrateChecks, edits: EditContext, findingsAt: (uri: string, range: Range) => { d: Diagnostic; key: string }[]): void {
  connection.onCodeAction(async (p) => {
    const wants = (kind: string) => !p.context.only || p.context.only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) actions.push(...(await quickFixes(findingsAt(p.textDocument.uri, p.range), p.context.diagnostics, edits)));
    const file = fileOf(p.textDocument.uri);
    if (wants(FIX_ALL_KIND) && file) {
      const all = await fixAll([...checks.findingsOf(file).values()], edits);
      if (all) actions.push(all);
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
}
