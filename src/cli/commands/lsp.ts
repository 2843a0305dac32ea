import { Option, type Command } from "commander";
import { action } from "../io.js";

export function registerLsp(program: Command): void {
  program
    .command("lsp")
    .summary("Run the language server: check's findings, fixes and explanations in the editor")
    .description(
      "Start a Language Server (LSP 3.17) on stdin/stdout. It checks each crate with open files as you type (unsaved text included), offers each fix as a code action and all of them as `source.fixAll.freestand`, and shows a finding's explanation on hover. Editors start it themselves: docs/editors.md shows how for Neovim, Helix and VS Code.",
    )
    .usage("[--stdio]")
    .addOption(new Option("--stdio", "Talk LSP over stdin/stdout (the only transport; accepted because clients pass it)"))
    .addHelpText(
      "after",
      `
Examples:
  freestand lsp
  nvim: vim.lsp.start({ name = "freestand", cmd = { "freestand", "lsp" }, root_dir = vim.fs.dirname(vim.fs.find({ "Cargo.toml" }, { upward = true })[1]) })`,
    )
    .action(
      action(async () => {
        const { startServer } = await import("../../lsp/server.js");
        const { createConnection, ProposedFeatures } = await import("vscode-languageserver/node.js");
        startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
      }),
    );
}
