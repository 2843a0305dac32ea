import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { hasCommand, ROOT, sh } from "../support/cli.js";

/**
 * The VS Code extension (editors/vscode) is built and packaged by @vscode/vsce from npm, as `npm run vsix` does:
 * the .vsix holds the compiled extension, which starts `freestand lsp`, and the language client it needs.
 */
test("npm run vsix packages the extension with its language client", (t) => {
  if (!hasCommand("unzip")) return t.skip("unzip is not installed");
  const r = sh("bash", [path.join(ROOT, "scripts", "vsix.sh")], { timeoutMs: 300_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "editors", "vscode", "package.json"), "utf8")) as { version: string; publisher: string; main: string };
  const vsix = path.join(ROOT, "editors", "vscode", `freestand-${manifest.version}.vsix`);
  const files = sh("unzip", ["-Z1", vsix]).stdout.trim().split("\n");
  for (const f of ["extension.vsixmanifest", "extension/package.json", "extension/out/extension.js", "extension/node_modules/vscode-languageclient/node.js", "extension/LICENSE.txt"]) {
    assert.ok(files.includes(f), `${f} is in the .vsix`);
  }
  assert.ok(!files.some((f) => f.startsWith("extension/src/")), "the TypeScript sources stay out");
  const vsixManifest = sh("unzip", ["-p", vsix, "extension.vsixmanifest"]).stdout;
  assert.match(vsixManifest, new RegExp(`<Identity [^>]*Id="freestand"[^>]*Version="${manifest.version}"[^>]*Publisher="${manifest.publisher}"`));
  const extension = sh("unzip", ["-p", vsix, "extension/out/extension.js"]).stdout;
  assert.match(extension, /require\("vscode-languageclient\/node"\)/);
  assert.match(extension, /args: \["lsp"\]/);
  assert.equal(manifest.main, "./out/extension.js");
});
