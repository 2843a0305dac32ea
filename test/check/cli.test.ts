import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { symlinkSync, writeFileSync } from "node:fs";
import { cleanEnv, hostCrate, HOST_MAIN, readCrate, removeCrate, RUST_ENTRY_MAIN, writeCrate } from "./harness.js";
import { assertValidSarif } from "../support/sarif.js";
import { mkfifoSync } from "../hostile/fifo.js";
import { CLI } from "../support/cli.js";


function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: { ...cleanEnv(), NO_COLOR: "1" }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Bad input: one sentence on stderr, exit 2, no stack trace. */
function assertOneSentence(r: ReturnType<typeof run>, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  assert.match(lines[0]!, /^error: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
}

test("bad input: a directory without Cargo.toml", () => {
  const dir = writeCrate({ "README": "x" });
  try {
    assertOneSentence(run(["check", dir]), /has no Cargo\.toml/);
  } finally {
    removeCrate(dir);
  }
});

test("bad input: a path that does not exist", () => {
  assertOneSentence(run(["check", "/nonexistent/freestand/crate"]), /does not exist/);
});

test("bad input: Cargo.toml that is not TOML", () => {
  const dir = writeCrate({ "Cargo.toml": "[package\nname = 1\n", "src/main.rs": HOST_MAIN });
  try {
    assertOneSentence(run(["check", dir]), /Cargo\.toml is not valid TOML/);
  } finally {
    removeCrate(dir);
  }
});

test("bad input: a source that is not UTF-8", () => {
  const dir = writeCrate(hostCrate());
  try {
    writeFileSync(path.join(dir, "src/main.rs"), Buffer.from([0x23, 0x21, 0x5b, 0xff, 0xfe, 0x0a]));
    assertOneSentence(run(["check", dir]), /main\.rs is not valid UTF-8/);
  } finally {
    removeCrate(dir);
  }
});

/** A module freestand cannot read is a note about that module; the rest of the crate is still checked. */
function assertModuleNote(r: ReturnType<typeof run>, pattern: RegExp): void {
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /^note\[module_not_found\]: `mod \w+;` (?:has no file where freestand looked, so it was not checked|was not read: \S+ is .+, not a regular file)$/m);
  assert.match(r.stdout, pattern);
}

test("a mod whose file is missing is a note, and the rest is checked", () => {
  const dir = writeCrate(hostCrate({ "src/main.rs": `${HOST_MAIN}mod serial;\n` }));
  try {
    assertModuleNote(run(["check", dir]), /= note: looked for src\/serial\.rs or src\/serial\/mod\.rs/);
  } finally {
    removeCrate(dir);
  }
});

test("a missing mod file behind a cfg is not an error (it may be for another target)", () => {
  const dir = writeCrate(hostCrate({ "src/main.rs": `${HOST_MAIN}#[cfg(target_arch = "arm")]\nmod arm;\n` }));
  try {
    const r = run(["check", dir]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
  } finally {
    removeCrate(dir);
  }
});

test("a symlink loop is a note about that module", () => {
  const dir = writeCrate(hostCrate({ "src/main.rs": `${HOST_MAIN}mod a;\n` }));
  try {
    symlinkSync(path.join(dir, "src/b.rs"), path.join(dir, "src/a.rs"));
    symlinkSync(path.join(dir, "src/a.rs"), path.join(dir, "src/b.rs"));
    assertModuleNote(run(["check", dir]), /src\/a\.rs is a symbolic link loop, not a regular file/);
  } finally {
    removeCrate(dir);
  }
});

test("a FIFO or /dev/zero as a module file is a note saying what it is, and check never blocks on it", () => {
  const dir = writeCrate(hostCrate({ "src/main.rs": `${HOST_MAIN}mod a;\nmod z;\n` }));
  try {
    mkfifoSync(path.join(dir, "src/a.rs"));
    symlinkSync("/dev/zero", path.join(dir, "src/z.rs"));
    const r = run(["check", dir]);
    assertModuleNote(r, /`mod a;` was not read: src\/a\.rs is a FIFO \(named pipe\), not a regular file/);
    assert.match(r.stdout, /`mod z;` was not read: src\/z\.rs is a device, not a regular file/);
  } finally {
    removeCrate(dir);
  }
});

test("a module that includes itself through #[path] is a note, not an endless walk", () => {
  const dir = writeCrate(hostCrate({ "src/main.rs": `${HOST_MAIN}mod a;\n`, "src/a.rs": '#[path = "a.rs"]\nmod again;\n' }));
  try {
    assertModuleNote(run(["check", dir]), /looked for src\/a\.rs/);
  } finally {
    removeCrate(dir);
  }
});

test("usage errors exit 2: an unknown format, an unknown rule", () => {
  const dir = writeCrate(hostCrate());
  try {
    assert.equal(run(["check", dir, "--format", "xml"]).code, 2);
    assertOneSentence(run(["check", dir, "--rule", "nope"]), /unknown rule `nope`/);
  } finally {
    removeCrate(dir);
  }
});

test("exit codes: 0 clean, 1 with errors, warnings count only with --deny warnings", () => {
  const clean = writeCrate(hostCrate());
  const warn = writeCrate(hostCrate({ "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[profile.dev]\npanic = "abort"\n\n[profile.release]\npanic = "abort"\n' }));
  const bad = writeCrate(hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "") }));
  try {
    const c = run(["check", clean]);
    assert.equal(c.code, 0, c.stdout);
    assert.match(c.stdout, /no problems found/);
    const w = run(["check", warn]);
    assert.equal(w.code, 0, w.stdout);
    assert.match(w.stdout, /^warning\[test_harness_enabled\]/m);
    assert.equal(run(["check", warn, "--deny", "warnings"]).code, 1);
    const b = run(["check", bad]);
    assert.equal(b.code, 1);
    assert.match(b.stdout, /^error\[missing_no_main\]: binary `src\/main\.rs` has no `#!\[no_main\]`$/m);
    assert.match(b.stdout, /^ --> .*src\/main\.rs:1:1$/m);
    assert.match(b.stdout, /^1 \| #!\[no_std\]$/m);
    assert.match(b.stdout, /^  \| \^+ rustc will look for/m);
  } finally {
    for (const d of [clean, warn, bad]) removeCrate(d);
  }
});

test("--format json follows docs/json-output.md; --format sarif is SARIF 2.1.0 with rule help", () => {
  const dir = writeCrate(hostCrate({ "src/main.rs": RUST_ENTRY_MAIN.replace("#[unsafe(no_mangle)]\n", "") }));
  try {
    const j = run(["check", dir, "--format", "json"], dir);
    assert.equal(j.code, 1);
    const report = JSON.parse(j.stdout);
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.tool, "freestand");
    assert.equal(report.command, "check");
    assert.deepEqual(report.summary, { errors: 1, warnings: 0, infos: 0 });
    const d = report.diagnostics[0];
    assert.equal(d.code, "entry_point_stack_alignment");
    assert.equal(d.file, "src/main.rs");
    assert.deepEqual(d.range, { start: { line: 4, column: 19 }, end: { line: 4, column: 25 } });
    assert.equal(d.fix.edits[0].text, "rust_start");
    const s = run(["check", dir, "--format", "sarif"], dir);
    assertValidSarif(s.stdout);
    const sarif = JSON.parse(s.stdout);
    assert.equal(sarif.version, "2.1.0");
    const rule = sarif.runs[0].tool.driver.rules[0];
    assert.equal(rule.id, "entry_point_stack_alignment");
    assert.equal(rule.helpUri, "https://github.com/freestand-rs/freestand/blob/main/docs/rules/entry_point_stack_alignment.md");
    // The fix as SARIF says it: the byte range of `_start` in src/main.rs replaced by `rust_start`.
    assert.deepEqual(sarif.runs[0].results[0].fixes[0].artifactChanges[0].artifactLocation, { uri: "src/main.rs", uriBaseId: "%SRCROOT%" });
    assert.equal(sarif.runs[0].results[0].fixes[0].artifactChanges[0].replacements[0].insertedContent.text, "rust_start");
    assert.match(rule.help.markdown, /## What it finds/);
    assert.deepEqual(sarif.runs[0].results[0].locations[0].physicalLocation.region, { startLine: 4, startColumn: 19, endLine: 4, endColumn: 25 });
  } finally {
    removeCrate(dir);
  }
});

test("--fix through the CLI: reports what it fixed, a second run changes nothing", () => {
  const dir = writeCrate({ "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2024"\n', "src/main.rs": "#![no_std]\n\n#[no_mangle]\npub fn _start() {}\n" });
  try {
    const first = run(["check", "--fix", dir]);
    // What was fixed comes first, then what remains; only the findings the first check reported are fixed.
    assert.match(first.stdout, /^fixed\[missing_no_main\]: add `#!\[no_main\]` \(.*main\.rs\)$/m);
    assert.match(first.stdout, /^fixed\[unsafe_attribute\]/m);
    assert.match(first.stdout, /^fixed\[missing_panic_handler\]/m);
    assert.ok(first.stdout.indexOf("fixed[") < first.stdout.indexOf("error["), first.stdout);
    // Found only once no_main was there: reported, not fixed behind the user's back.
    assert.match(first.stdout, /error\[entry_point_returns\]/);
    assert.match(first.stdout, /error\[entry_point_abi\]/);
    assert.doesNotMatch(first.stdout, /fixed\[entry_point_abi\]/);
    assert.equal(first.code, 1);
    // The second run fixes what the first reported as remaining (and had a fix), then nothing is left to fix.
    const second = run(["check", "--fix", dir]);
    assert.match(second.stdout, /^fixed\[entry_point_abi\]/m);
    const after = readCrate(dir);
    const third = run(["check", "--fix", dir]);
    assert.match(third.stdout, /nothing to fix/);
    assert.deepEqual(readCrate(dir), after);
  } finally {
    removeCrate(dir);
  }
});

test("allowing: package metadata, levels and a comment on the item", () => {
  const dir = writeCrate(hostCrate({
    "Cargo.toml": `${hostCrateManifestWithMetadata()}`,
    "src/main.rs": HOST_MAIN.replace("    loop {}\n}\n\n#[panic", '    // freestand: allow(std_macro)\n    println!("a");\n    loop {}\n}\n\n#[panic') + "// freestand: allow(std_path)\nuse std::fmt;\nuse std::mem;\n",
  }));
  try {
    const r = run(["check", dir, "--format", "json"]);
    const codes = JSON.parse(r.stdout).diagnostics.map((d: { code: string; severity: string; range: { start: { line: number } } }) => `${d.code}:${d.severity}:${d.range?.start.line}`);
    // test_harness_enabled is allowed by metadata; std_path is turned into a warning; the commented items are allowed.
    assert.deepEqual(codes, ["std_path:warning:18"]);
    assert.equal(r.code, 0);
  } finally {
    removeCrate(dir);
  }
});

function hostCrateManifestWithMetadata(): string {
  return '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[package.metadata.freestand]\nallow = ["test_harness_enabled"]\nlevels = { std_path = "warning" }\n\n[profile.dev]\npanic = "abort"\n\n[profile.release]\npanic = "abort"\n';
}

test("a workspace: every member is checked, profiles come from the root", () => {
  const dir = writeCrate({
    "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n\n[workspace.metadata.freestand]\nallow = ["test_harness_enabled"]\n',
    ".cargo/config.toml": readCrate(writeCrate(hostCrate()))[".cargo/config.toml"]!,
    "crates/a/Cargo.toml": '[package]\nname = "a"\nversion = "0.1.0"\nedition = "2021"\n',
    "crates/a/src/main.rs": HOST_MAIN,
    "crates/b/Cargo.toml": '[package]\nname = "b"\nversion = "0.1.0"\nedition = "2021"\n',
    "crates/b/src/lib.rs": "pub fn f() {}\n",
  });
  try {
    const r = run(["check", dir, "--format", "json"], dir);
    const codes = JSON.parse(r.stdout).diagnostics.map((d: { code: string; file: string }) => `${d.code}@${d.file}`);
    // b is a plain library nothing freestanding uses: not freestanding, so not told to be no_std.
    assert.deepEqual(codes.sort(), ["panic_strategy_unwind@Cargo.toml"]);
  } finally {
    removeCrate(dir);
  }
});

