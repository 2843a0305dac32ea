/**
 * Starts `freestand lsp` for Rust and Cargo files: check's findings as diagnostics, their fixes as code actions,
 * their explanations on hover (the server does the work; this only launches it).
 */
import * as vscode from "vscode";
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = vscode.workspace.getConfiguration("freestand").get<string>("path") || "freestand";
  const server: ServerOptions = { command, args: ["lsp"] };
  const options: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "rust" },
      { scheme: "file", pattern: "**/Cargo.toml" },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{Cargo.toml,Cargo.lock,.cargo/config.toml,rust-toolchain.toml}") },
  };
  client = new LanguageClient("freestand", "freestand", server, options);
  context.subscriptions.push({ dispose: () => void client?.stop() });
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
