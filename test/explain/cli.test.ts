/**
 * The CLI side: `freestand explain -` / `explain <file>` in the three formats with the exit-code contract, the long
 * explanation of an explain_* code, and — with the real cargo of this machine — live builds whose errors are
 * explained (through the library, and through `freestand build`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CATALOGUE, explainCargoMessages, parseJsonLines } from "../../src/explain/index.js";
import { PACKAGE_ROOT } from "../../src/version.js";
import { assertValidSarif } from "../support/sarif.js";
import { CLI } from "../support/cli.js";

const FIXTURES = path.join(PACKAGE_ROOT, "test/fixtures/explain");

function freestand(args: string[], input?: string, cwd = PACKAGE_ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input,
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The environment without RUSTC/RUSTFLAGS a caller may have set: the live test wants rustup's own stable. */
function withoutRustOverrides(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.RUSTC;
  delete env.RUSTFLAGS;
  delete env.CARGO_ENCODED_RUSTFLAGS;
  return env;
}

function hasCargo(): boolean {
  return spawnSync("cargo", ["--version"], { encoding: "utf8" }).status === 0;
}

test("explain - attaches the explanation to cargo's error as `= note:` / `= help:` lines, then the summary", () => {
  const text = readFileSync(path.join(FIXTURES, "stable/e0463-core.txt"), "utf8");
  const r = freestand(["explain", "-"], text);
  assert.equal(r.code, 1, r.stderr);
  const cargoAt = r.stdout.indexOf("error[E0463]: can't find crate for `core`");
  const explainedAt = r.stdout.indexOf("  = note: the `thumbv7m-none-eabi` `core` is not installed");
  const moreInfoAt = r.stdout.indexOf("For more information about this error");
  assert.ok(cargoAt >= 0 && explainedAt > cargoAt && moreInfoAt > explainedAt, r.stdout);
  // No second header: the explanation belongs to the compiler's error, inside its block (no blank line before).
  assert.doesNotMatch(r.stdout, /error\[explain_/);
  assert.match(r.stdout, /\n  = note: the `thumbv7m-none-eabi` `core` is not installed/);
  assert.doesNotMatch(r.stdout, /\n\n  = note: the `thumbv7m/);
  assert.match(r.stdout, /  = help: install it with `rustup target add thumbv7m-none-eabi`/);
  assert.match(r.stdout, /`freestand sysroot --target thumbv7m-none-eabi`/);
  assert.match(r.stdout, /  = note: more: `freestand explain explain_e0463_core`/);
  assert.match(r.stdout, /1 error, 1 explained\n$/);
  // Every input line is still there, in order (unknown text passes through unchanged).
  let from = 0;
  for (const line of text.split("\n")) {
    const at = r.stdout.indexOf(line, from);
    assert.ok(at >= from, `kept: ${line}`);
    from = at + line.length;
  }
});

test("explain <file> reads a saved log; clean output explains nothing, says nothing more, and exits 0", () => {
  const file = path.join(FIXTURES, "stable/clean-build.txt");
  const r = freestand(["explain", file]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /explain_|explained/);
  assert.equal(r.stdout.trimEnd(), readFileSync(file, "utf8").trimEnd());
});

test("explain <file> also reads saved `--message-format=json` output", () => {
  const r = freestand(["explain", path.join(FIXTURES, "rustc-web/undefined-mem.jsonl")]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /error: linking with `cc` failed/);
  assert.match(r.stdout, /  = note: nothing provides `mem/);
  assert.match(r.stdout, /  = note: more: `freestand explain explain_undefined_mem_functions`/);
  assert.match(r.stdout, /  = note: more: `freestand explain explain_undefined_unwind_symbols`/);
});

test("explain - --format json and sarif use the shared reporters", () => {
  const text = readFileSync(path.join(FIXTURES, "stable/std-macros.txt"), "utf8");
  const j = freestand(["explain", "-", "--format", "json"], text);
  assert.equal(j.code, 1, j.stderr);
  const report = JSON.parse(j.stdout);
  assert.equal(report.tool, "freestand");
  assert.deepEqual(
    report.diagnostics.map((d: { data: { macro: string } }) => d.data.macro),
    ["vec", "format", "eprintln", "print", "println"],
  );
  assert.deepEqual(report.input, { errors: 5, errorsExplained: 5, warnings: 0, warningsExplained: 0 });
  const s = freestand(["explain", "-", "--format", "sarif"], text);
  assert.equal(s.code, 1, s.stderr);
  assertValidSarif(s.stdout);
  const sarif = JSON.parse(s.stdout);
  assert.equal(sarif.version, "2.1.0");
  assert.equal(sarif.runs[0].results.length, 5);
  assert.ok(sarif.runs[0].results.every((r: { ruleId: string }) => r.ruleId === "explain_std_macro"));
});

test("explain - with no compiler output on stdin says so in one sentence (and how to pipe stderr), exit 2", () => {
  for (const input of ["", "   \n", "hello from the program\n"]) {
    const r = freestand(["explain", "-"], input);
    assert.equal(r.code, 2, r.stdout);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trim().split("\n").length, 1);
    assert.match(r.stderr, /^error: there is no compiler output on stdin: .*`cargo build 2>&1 \| freestand explain -`/);
  }
  // Bytes that are not compiler output are refused the same way, never with a stack trace.
  const bytes = Buffer.alloc(300_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
  const garbage = spawnSync(process.execPath, [CLI, "explain", "-"], { input: bytes, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(garbage.status, 2, garbage.stdout);
  assert.equal(garbage.stderr.trim().split("\n").length, 1);
});

test("explain E0463 prints every explanation of that rustc code; --list names every code; pages render on a terminal", () => {
  const e = freestand(["explain", "E0463"]);
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /^# explain_e0463_std\n/m);
  assert.match(e.stdout, /^# explain_e0463_core\n/m);
  for (const code of new Set(CATALOGUE.flatMap((x) => x.compilerCodes ?? []))) assert.equal(freestand(["explain", code]).code, 0, code);
  const none = freestand(["explain", "E9999"]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no explanation of E9999.*rustc --explain E9999/);
  const list = freestand(["explain", "--list"]);
  assert.equal(list.code, 0, list.stderr);
  for (const code of ["missing_no_std", "entry_point_stack_alignment", "verify_entry_point", "explain_e0463_std", "explain_std_path"]) assert.match(list.stdout, new RegExp(`^    ${code} +\\S`, "m"));
  // Piped: Markdown as it is; on a terminal (FORCE_COLOR stands in here): rendered, no Markdown markers left.
  const piped = freestand(["explain", "missing_no_std"]);
  assert.match(piped.stdout, /^## How to fix it$/m);
  const tty = spawnSync(process.execPath, [CLI, "explain", "missing_no_std"], { encoding: "utf8", env: { ...process.env, FORCE_COLOR: "1" } });
  assert.match(tty.stdout, /\x1b\[1mHow to fix it\x1b\[22m/);
  assert.doesNotMatch(tty.stdout, /^## /m);
  assert.doesNotMatch(tty.stdout, /```/);
});

test("explain <explain code> prints the long explanation; unknown words and directories are one sentence, exit 2", () => {
  const r = freestand(["explain", "explain_e0463_std"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^# explain_e0463_std\n/);
  assert.match(r.stdout, /#!\[no_std\]/);
  const unknown = freestand(["explain", "no_such_thing_here"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^error: `no_such_thing_here` is not a rule, an explanation code or a file/);
  assert.equal(unknown.stderr.trim().split("\n").length, 1);
  const dir = freestand(["explain", FIXTURES]);
  assert.equal(dir.code, 2);
  assert.match(dir.stderr, /is a directory/);
});

test("live: a real cargo build for a target without core is explained from its JSON messages", (t) => {
  if (!hasCargo()) return t.skip("cargo is not installed");
  const installed = spawnSync("rustup", ["target", "list", "--installed"], { encoding: "utf8" });
  if (installed.status === 0 && installed.stdout.includes("thumbv7m-none-eabi"))
    return t.skip("thumbv7m-none-eabi is installed here, so its core is not missing");
  const dir = mkdtempSync(path.join(tmpdir(), "freestand-explain-live-"));
  try {
    cpSync(path.join(FIXTURES, "crates/e0463-core"), dir, { recursive: true });
    const r = spawnSync("cargo", ["build", "--target", "thumbv7m-none-eabi", "--message-format=json"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
      env: withoutRustOverrides(),
    });
    const result = explainCargoMessages(parseJsonLines(r.stdout), { root: dir });
    assert.equal(result.counts.errors, 1, r.stdout + r.stderr);
    assert.equal(result.diagnostics[0]!.code, "explain_e0463_core");
    assert.equal(result.diagnostics[0]!.data?.target, "thumbv7m-none-eabi");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("live: `freestand build` attaches each explanation to cargo's error, and the summary", (t) => {
  if (!hasCargo()) return t.skip("cargo is not installed");
  const dir = mkdtempSync(path.join(tmpdir(), "freestand-explain-build-"));
  try {
    cpSync(path.join(FIXTURES, "crates/std-macros"), dir, { recursive: true });
    const r = freestand(["build", dir]);
    assert.equal(r.code, 1);
    const all = r.stdout + r.stderr;
    for (const name of ["vec", "format", "eprintln", "print", "println"]) {
      const cargoAt = all.indexOf(`error: cannot find macro \`${name}\` in this scope`);
      const explainedAt = all.indexOf(`  = note: \`${name}!\``, cargoAt);
      const nextError = all.indexOf("error", cargoAt + 10);
      assert.ok(cargoAt >= 0 && explainedAt > cargoAt && (nextError < 0 || explainedAt < nextError), `${name}: explanation under cargo's error\n${all}`);
    }
    assert.match(all, /5 errors, 5 explained/);
    assert.doesNotMatch(all, /error\[explain_/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
