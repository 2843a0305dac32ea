import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, sh, tempDir } from "../support/cli.js";

const tmp = tempDir("freestand-pack-");
after(tmp.cleanup);

test("the npm package, installed as a user would, creates, checks, builds and runs a crate", () => {
  // What `npm publish` would ship: the `files` list must carry dist/src, templates and docs. (The suite has just
  // compiled dist/; --ignore-scripts skips prepack so nothing rewrites it under the other tests.)
  const pack = sh("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", tmp.dir], { cwd: ROOT });
  assert.equal(pack.code, 0, pack.stderr);
  const tarball = readdirSync(tmp.dir).find((f) => f.endsWith(".tgz"));
  assert.ok(tarball, "npm pack produced a tarball");
  const app = path.join(tmp.dir, "app");
  sh("mkdir", ["-p", app]);
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
  // --foreground-scripts: an install script of any dependency would print here.
  const install = sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--foreground-scripts", path.join(tmp.dir, tarball)], { cwd: app });
  assert.equal(install.code, 0, install.stderr);
  assert.doesNotMatch(install.stdout + install.stderr, /node-gyp|gyp info|install script|> .* install$/m);
  const bin = path.join(app, "node_modules", ".bin");
  const env = { NO_COLOR: "1" };
  assert.equal(sh(path.join(bin, "freestand"), ["new", "hello", "--yes"], { cwd: app, env }).code, 0);
  // check loads the tree-sitter grammar through the installed dependencies, not through this checkout.
  const check = sh(path.join(bin, "freestand"), ["check", "hello"], { cwd: app, env });
  assert.equal(check.code, 0, check.stdout + check.stderr);
  const run = sh(path.join(bin, "freestand"), ["run", "hello"], { cwd: app, env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Hello from hello, a freestanding Rust program/);
  assert.equal(sh(path.join(bin, "cargo-freestand"), ["freestand", "--version"], { cwd: app }).code, 0);

  // The library: the commands at the top level, the parts behind them at their own subpaths, nothing internal.
  const names = sh(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const top = await import("freestand");
       const subs = {};
       for (const s of ${JSON.stringify(LIBRARY_SUBPATHS)}) subs[s] = Object.keys(await import("freestand/" + s)).sort();
       console.log(JSON.stringify({ top: Object.keys(top).sort(), subs }));`,
    ],
    { cwd: app },
  );
  assert.equal(names.code, 0, names.stderr);
  const api = JSON.parse(names.stdout) as { top: string[]; subs: Record<string, string[]> };
  assert.deepEqual(api.top, ["BOARDS", "FreestandError", "TARGETS", "build", "check", "doctor", "findBoard", "findTarget", "fix", "formatDiagnostics", "machineFor", "requireTarget", "runElf", "scaffold", "sizeReport", "verifyElf"]);
  assert.ok(api.subs.elf!.includes("ElfFile") && api.subs.elf!.includes("demangle"));
  assert.ok(api.subs.explain!.includes("explainText"));
  assert.ok(api.subs.toolchain!.includes("findRustc"));
  assert.ok(api.subs.diagnostics!.includes("pluralize"), "internals live behind their subpath");
});

/** The package's subpath exports (package.json `exports`), each a part of src/ with an index.ts. */
const LIBRARY_SUBPATHS = ["elf", "explain", "toolchain", "targets", "diagnostics", "rules", "deps", "run", "scaffold"];

test("no dependency runs an install script, and the vendored grammar is the release its README names", () => {
  // The lockfile marks every package with a lifecycle script; a user's `npm install freestand` would run it.
  const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { hasInstallScript?: boolean; dev?: boolean }> };
  const withScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript && !p.dev).map(([name]) => name);
  assert.deepEqual(withScripts, []);
  const wasm = readFileSync(path.join(ROOT, "vendor", "tree-sitter-rust", "tree-sitter-rust.wasm"));
  const readme = readFileSync(path.join(ROOT, "vendor", "tree-sitter-rust", "README.md"), "utf8");
  assert.ok(readme.includes(createHash("sha256").update(wasm).digest("hex")), "README.md names the checksum of the vendored .wasm");
});
