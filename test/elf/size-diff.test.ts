import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, sh, tempDir } from "../support/cli.js";
import { findTarget } from "../../src/targets/catalog.js";
import { withElf } from "../../src/elf/reader.js";
import { demangle } from "../../src/elf/demangle.js";
import { notReadyReason } from "../targets/support.js";

/** A function with a body of its own size, called from main. */
const EXTRA = `
/// Added by the second build.
#[inline(never)]
fn extra(seed: u32) -> u32 {
    let mut x = seed;
${Array.from({ length: 24 }, (_, i) => `    x = (x ^ 0x${(0x9e3779b9 + i * 0x01000193).toString(16).slice(-8)}).rotate_left(${(i % 29) + 1});`).join("\n")}
    x
}
`;

test("`size --diff OLD NEW`: a function the new build adds tops the changes with its exact size; --max-growth fails past the limit", async (t) => {
  const target = findTarget("thumbv7m-none-eabi")!;
  const skip = notReadyReason(target);
  if (skip) return t.skip(skip);
  const tmp = tempDir("freestand-size-diff-");
  try {
    const crate = path.join(tmp.dir, "app");
    assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none"]).code, 0);
    assert.equal(runCli(["build", crate, "--release", "-q"]).code, 0);
    const elf = path.join(crate, "target", target.triple, "release", "app");
    const old = path.join(tmp.dir, "old.elf");
    copyFileSync(elf, old);
    const main = path.join(crate, "src", "main.rs");
    const src = readFileSync(main, "utf8").replace("    let answer = 6 * 7;\n", "    let answer = 6 * 7;\n    println!(\"{}\", extra(core::hint::black_box(7)));\n");
    writeFileSync(main, `${src}${EXTRA}`);
    assert.equal(runCli(["build", crate, "--release", "-q"]).code, 0);
    const size = await withElf(elf, (f) => [...f.symbols("symtab")].find((s) => demangle(s.name).replace(/::h[0-9a-f]{16}$/, "") === "app::extra")?.size);
    assert.ok(size && size > 0n, "the new build has app::extra");

    const human = runCli(["size", elf, "--diff", old]);
    assert.equal(human.code, 0, human.stderr);
    const first = human.stdout.split("Symbols that changed most:\n")[1]!.split("\n")[0]!;
    assert.match(first, new RegExp(`^ +\\+${size} B \\(new\\)  app::extra$`));
    assert.match(human.stdout, /^flash +[\d,]+ → +[\d,]+ B {2}\+[\d,]+ B \(\+\d+\.\d%\)$/m);

    const json = JSON.parse(runCli(["size", elf, "--diff", old, "--format", "json"]).stdout) as { diff: { flash: { delta: number }; symbols: { name: string; old: number; new: number; delta: number }[] } };
    assert.deepEqual(json.diff.symbols[0], { name: "app::extra", old: 0, new: Number(size), delta: Number(size) });
    assert.ok(json.diff.flash.delta >= Number(size));

    const tight = runCli(["size", elf, "--diff", old, "--max-growth", "1"]);
    assert.equal(tight.code, 1);
    assert.match(tight.stderr, new RegExp(`^error: flash grew by ${json.diff.flash.delta} bytes \\(\\d+ → \\d+\\), more than --max-growth 1 bytes\\.$`, "m"));
    assert.equal(runCli(["size", elf, "--diff", old, "--max-growth", "50%"]).code, 0);
    assert.equal(runCli(["size", elf, "--diff", old, "--max-growth", "1MiB"]).code, 0);
  } finally {
    tmp.cleanup();
  }
});

test("`size --max-growth` without --diff, or with a limit that is not a size: one sentence, exit 2", () => {
  const a = runCli(["size", "--max-growth", "5%"]);
  assert.equal(a.code, 2);
  assert.equal(a.stderr, "error: --max-growth limits the growth --diff measures: give --diff <OLD> too.\n");
  const b = runCli(["size", "--diff", "/nonexistent.elf", "--max-growth", "lots"]);
  assert.equal(b.code, 2);
  assert.equal(b.stderr, "error: --max-growth lots is not a size: give bytes (2048, 2KiB) or a percentage (5%).\n");
  const c = runCli(["size", "--diff", "/nonexistent.elf"]);
  assert.equal(c.code, 2);
  assert.equal(c.stderr, "error: /nonexistent.elf (--diff) is not a file.\n");
});

test("`size --diff-with <git-ref>` builds the crate as it was at that revision, in a worktree of its own, and compares", (t) => {
  const target = findTarget("thumbv7m-none-eabi")!;
  const skip = notReadyReason(target);
  if (skip) return t.skip(skip);
  const tmp = tempDir("freestand-diff-with-");
  try {
    const crate = path.join(tmp.dir, "app");
    assert.equal(runCli(["new", crate, "--target", target.id, "--yes"]).code, 0);
    const git = (...args: string[]) => sh("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: crate });
    assert.equal(git("add", "-A").code, 0);
    assert.equal(git("commit", "-q", "-m", "first").code, 0);
    const main = path.join(crate, "src", "main.rs");
    writeFileSync(main, `${readFileSync(main, "utf8").replace("    let answer = 6 * 7;\n", "    let answer = 6 * 7;\n    println!(\"{}\", extra(core::hint::black_box(7)));\n")}${EXTRA}`);
    const r = runCli(["size", crate, "--release", "--diff-with", "HEAD", "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const diff = (JSON.parse(r.stdout) as { diff: { symbols: { name: string; old: number }[] } }).diff;
    assert.equal(diff.symbols[0]!.name, "app::extra");
    assert.equal(diff.symbols[0]!.old, 0);
    // The worktree is gone, and the user's tree is as it was.
    assert.equal(git("worktree", "list").stdout.trim().split("\n").length, 1);
    assert.match(git("status", "--porcelain").stdout, /^ M src\/main\.rs$/m);
    const bad = runCli(["size", crate, "--diff-with", "no-such-ref"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: `no-such-ref` is not a revision of the repository at /m);
  } finally {
    tmp.cleanup();
  }
});
