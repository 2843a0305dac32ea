import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type PublishDiagnosticsParams,
  type TextDocumentEdit,
} from "vscode-languageserver-protocol/node.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import { CLI, runCli, tempDir } from "../support/cli.js";

/**
 * `freestand lsp` driven by a real LSP client (vscode-languageserver-protocol's connection over the server's
 * stdio): the unsaved text of an open file is what is checked, fixes come as code actions whose edits fix it,
 * hover explains, a manifest change re-checks, half-written code keeps the server and the other files' findings.
 */
const tmp = tempDir("freestand-lsp-");
after(tmp.cleanup);

const crate = path.join(tmp.dir, "editor");
assert.equal(runCli(["new", crate, "--yes", "--vcs", "none"]).code, 0);
const mainRs = path.join(crate, "src", "main.rs");
const manifest = path.join(crate, "Cargo.toml");
const uri = (f: string) => pathToFileURL(f).href;
const onDisk = readFileSync(mainRs, "utf8");
// Unsaved: the editor's buffer lost `#![no_main]` (missing_no_main, with a fix); the file on disk is intact.
const edited = onDisk.replace("#![no_main]\n", "");

const child = spawn(process.execPath, [CLI, "lsp", "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
let stderr = "";
child.stderr.on("data", (c) => (stderr += c));
const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const published = new Map<string, Diagnostic[]>();
const waiters: { uri: string; until: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
  published.set(p.uri, p.diagnostics);
  for (const w of [...waiters]) {
    if (w.uri === p.uri && w.until(p.diagnostics)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(p.diagnostics);
    }
  }
});
const registrations: { method: string; registerOptions?: { watchers?: { globPattern: string }[] } }[] = [];
connection.onRequest("client/registerCapability", (p: { registrations: typeof registrations }) => {
  registrations.push(...p.registrations);
  return null;
});
connection.listen();

/** The next diagnostics for `file` that satisfy `until` (or the current ones, when they already do). */
function diagnosticsFor(file: string, until: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  const now = published.get(uri(file));
  if (now && until(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${file} as expected; last: ${JSON.stringify(published.get(uri(file)))}; stderr: ${stderr}`)), 30_000);
    waiters.push({ uri: uri(file), until, resolve: (d) => (clearTimeout(timer), resolve(d)) });
  });
}

const codes = (d: Diagnostic[]) => d.map((x) => x.code).sort();

/** Applies a code action's edits of `file` to its text. */
function applyAction(action: CodeAction, file: string, text: string): string {
  const changes = (action.edit?.documentChanges ?? []).filter((c): c is TextDocumentEdit => "textDocument" in c && c.textDocument.uri === uri(file));
  assert.ok(changes.length > 0, `the action edits ${file}`);
  return TextDocument.applyEdits(TextDocument.create(uri(file), "rust", 0, text), changes.flatMap((c) => c.edits));
}

let version = 1;
const change = (file: string, text: string) =>
  connection.sendNotification("textDocument/didChange", { textDocument: { uri: uri(file), version: ++version }, contentChanges: [{ text }] });

test("initialize: the capabilities freestand serves", async () => {
  const init = (await connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: uri(crate),
    workspaceFolders: [{ uri: uri(crate), name: "editor" }],
    capabilities: { workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ["create"] }, didChangeWatchedFiles: { dynamicRegistration: true } } },
  })) as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
  assert.equal(init.serverInfo.name, "freestand");
  assert.deepEqual(init.capabilities.codeActionProvider, { codeActionKinds: ["quickfix", "source.fixAll.freestand"] });
  assert.equal(init.capabilities.hoverProvider, true);
  await connection.sendNotification("initialized", {});
});

test("the unsaved text is checked: a diagnostic with its code, page, severity and place", async () => {
  await connection.sendNotification("textDocument/didOpen", { textDocument: { uri: uri(mainRs), languageId: "rust", version, text: edited } });
  const diags = await diagnosticsFor(mainRs, (d) => d.some((x) => x.code === "missing_no_main"));
  const d = diags.find((x) => x.code === "missing_no_main")!;
  assert.equal(d.severity, 1);
  assert.equal(d.source, "freestand");
  assert.match(d.codeDescription!.href, /docs\/rules\/missing_no_main\.md$/);
  assert.ok(d.relatedInformation?.some((r) => /^help: /.test(r.message)), "help lines come as related information");
});

test("a quick fix's edit fixes the buffer; the fixed text checks clean", async () => {
  const d = published.get(uri(mainRs))!.find((x) => x.code === "missing_no_main")!;
  const actions = (await connection.sendRequest("textDocument/codeAction", { textDocument: { uri: uri(mainRs) }, range: d.range, context: { diagnostics: [d], only: ["quickfix"] } })) as CodeAction[];
  assert.equal(actions.length, 1);
  assert.equal(actions[0]!.isPreferred, true);
  assert.equal(actions[0]!.diagnostics?.[0]?.code, "missing_no_main");
  const fixed = applyAction(actions[0]!, mainRs, edited);
  assert.match(fixed, /^#!\[no_main\]$/m);
  await change(mainRs, fixed);
  await diagnosticsFor(mainRs, (x) => x.length === 0);
});

test("hover on a finding shows its explanation; freestand.explain returns the page", async () => {
  await change(mainRs, edited);
  const d = (await diagnosticsFor(mainRs, (x) => x.some((y) => y.code === "missing_no_main"))).find((x) => x.code === "missing_no_main")!;
  const hover = (await connection.sendRequest("textDocument/hover", { textDocument: { uri: uri(mainRs) }, position: d.range.start })) as { contents: { kind: string; value: string } };
  assert.equal(hover.contents.kind, "markdown");
  assert.match(hover.contents.value, /^\*\*missing_no_main\*\*: /);
  assert.match(hover.contents.value, /## What it finds/);
  const page = (await connection.sendRequest("workspace/executeCommand", { command: "freestand.explain", arguments: ["missing_no_main"] })) as string;
  assert.match(page, /^# missing_no_main/);
});

test("fix all: every fix at once, as check --fix makes them", async () => {
  // Two fixable findings: the missing `#![no_main]`, and a `std::` path in a no_std crate.
  const twice = `${edited}\nuse std::fmt::Write as _;\n`;
  await change(mainRs, twice);
  await diagnosticsFor(mainRs, (x) => ["missing_no_main", "std_path"].every((c) => x.some((y) => y.code === c)));
  const actions = (await connection.sendRequest("textDocument/codeAction", {
    textDocument: { uri: uri(mainRs) },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ["source.fixAll.freestand"] },
  })) as CodeAction[];
  assert.equal(actions.length, 1);
  assert.equal(actions[0]!.kind, "source.fixAll.freestand");
  const fixed = applyAction(actions[0]!, mainRs, twice);
  assert.match(fixed, /^#!\[no_main\]$/m);
  assert.match(fixed, /^use core::fmt::Write as _;$/m);
  await change(mainRs, fixed);
  await diagnosticsFor(mainRs, (x) => x.length === 0);
});

test("a manifest change on disk re-checks; half-written code keeps the server and the other files' findings", async () => {
  // The server asked to hear of manifest and config changes made outside the editor.
  const watched = registrations.find((r) => r.method === "workspace/didChangeWatchedFiles")?.registerOptions?.watchers?.map((w) => w.globPattern);
  assert.deepEqual(watched, ["**/Cargo.toml", "**/Cargo.lock", "**/.cargo/config.toml", "**/.cargo/config", "**/rust-toolchain.toml", "**/rust-toolchain", "**/*.rs"]);
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace("harness = false\n", ""));
  await connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uri(manifest), type: 2 }] });
  const onManifest = await diagnosticsFor(manifest, (x) => x.some((y) => y.code === "test_harness_enabled"));
  assert.deepEqual(codes(onManifest), ["test_harness_enabled"]);
  // A function cut off while typing, in a buffer that also lost #![no_main]: the server answers, the intact items
  // are still judged, and Cargo.toml's finding stays.
  await change(mainRs, `${edited}\nfn half_written( {\n    let x = \n`);
  await diagnosticsFor(mainRs, (x) => x.some((y) => y.code === "missing_no_main"));
  assert.deepEqual(codes(published.get(uri(manifest))!), ["test_harness_enabled"]);
});

test("a Rust file made outside the editor that cargo takes as a crate of its own (src/bin/) is checked", async () => {
  // Not open in the editor: only the watcher tells the server, and cargo's list of crates must be asked again.
  const extra = path.join(path.dirname(mainRs), "bin", "extra.rs");
  mkdirSync(path.dirname(extra), { recursive: true });
  writeFileSync(extra, "#![no_std]\n\nfn main() {}\n");
  await connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uri(extra), type: 1 }] });
  const found = await diagnosticsFor(extra, (x) => x.some((y) => y.code === "missing_no_main"));
  assert.ok(codes(found).includes("missing_no_main"));
});

test("shutdown and exit end the server with status 0", async () => {
  await connection.sendRequest("shutdown");
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await connection.sendNotification("exit");
  assert.equal(await exited, 0);
  connection.dispose();
});
