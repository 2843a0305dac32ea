import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { CLI, hasCommand, ROOT, runCli, sh, tempDir } from "../support/cli.js";

/**
 * A real editor: Debian's Neovim, headless, starts `freestand lsp` on a crate whose buffer lost `#![no_main]`
 * (unsaved), receives the diagnostic, applies the server's code action and sees the diagnostic go.
 * test/fixtures/lsp/neovim.lua does the editor's part.
 */
const tmp = tempDir("freestand-nvim-");
after(tmp.cleanup);

test("Neovim: open, diagnostics, code action applied, diagnostics cleared", (t) => {
  if (!hasCommand("nvim")) return t.skip("neovim is not installed (scripts/env/70-lsp.sh installs it)");
  const crate = path.join(tmp.dir, "nvim-crate");
  assert.equal(runCli(["new", crate, "--yes", "--vcs", "none"]).code, 0);
  const out = path.join(tmp.dir, "nvim.json");
  const r = sh("nvim", ["--headless", "--clean", "-n", "-S", path.join(ROOT, "test", "fixtures", "lsp", "neovim.lua")], {
    env: { FREESTAND_CRATE: crate, FREESTAND_CLI: CLI, FREESTAND_NODE: process.execPath, FREESTAND_NVIM_OUT: out },
    timeoutMs: 90_000,
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const seen = JSON.parse(readFileSync(out, "utf8")) as { status: string; diagnostics: { code: string; message: string; lnum: number; severity: number }[]; action: string; fixed: string[]; cleared: boolean };
  assert.equal(seen.status, "done", JSON.stringify(seen));
  assert.deepEqual(
    seen.diagnostics.map((d) => [d.code, d.severity]),
    [["missing_no_main", 1]],
  );
  assert.match(seen.action, /#!\[no_main\]/);
  assert.ok(seen.fixed.includes("#![no_main]"), seen.fixed.join("\n"));
  assert.equal(seen.cleared, true);
});
