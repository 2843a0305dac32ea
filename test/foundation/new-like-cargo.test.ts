/**
 * `freestand new` behaves like `cargo new` where cargo has a behaviour (a git repository and its .gitignore,
 * `--vcs none`, nothing inside an existing repository, the warning about a name that is not snake_case), tells a
 * near miss of a target, makes real bare-metal libraries, and prints exactly what it made.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { runCli, sh, hasCommand, tempDir } from "../support/cli.js";
import { notReadyReason } from "../targets/support.js";
import { findTarget } from "../../src/targets/catalog.js";

const tmp = tempDir("freestand-new-cargo-");
after(tmp.cleanup);

/** Every file below `dir` (the .git directory aside), relative, sorted. */
function filesOf(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === ".git" || name === "target" || name === "Cargo.lock") continue;
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(path.join(dir, name)).isDirectory()) out.push(...filesOf(path.join(dir, name), rel));
    else out.push(rel);
  }
  return out.sort();
}

/** The file lines `new` printed under "Created". */
function listed(stdout: string): string[] {
  return stdout.split("\n").filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(" ")[0]!).sort();
}

test("a git repository with a .gitignore, as cargo new makes; what is printed is what is on disk", { skip: !hasCommand("git") && "git is not installed" }, () => {
  const dir = path.join(tmp.dir, "versioned");
  const r = runCli(["new", dir, "--yes"]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(path.join(dir, ".git")), "a repository");
  assert.equal(readFileSync(path.join(dir, ".gitignore"), "utf8"), "/target\n");
  assert.equal(sh("git", ["-C", dir, "status", "--porcelain"]).code, 0);
  assert.deepEqual(listed(r.stdout), filesOf(dir));
});

test("--vcs none: no repository and no .gitignore, as cargo new --vcs none", () => {
  const dir = path.join(tmp.dir, "unversioned");
  const r = runCli(["new", dir, "--yes", "--vcs", "none"]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(path.join(dir, ".git")));
  assert.ok(!existsSync(path.join(dir, ".gitignore")));
  assert.deepEqual(listed(r.stdout), filesOf(dir));
});

test("inside an existing repository: neither a nested repository nor a .gitignore, as cargo new", { skip: !hasCommand("git") && "git is not installed" }, () => {
  const outer = path.join(tmp.dir, "monorepo");
  mkdirSync(outer);
  assert.equal(sh("git", ["init", "--quiet", outer]).code, 0);
  const dir = path.join(outer, "firmware");
  assert.equal(runCli(["new", dir, "--yes"]).code, 0);
  assert.ok(!existsSync(path.join(dir, ".git")));
  assert.ok(!existsSync(path.join(dir, ".gitignore")));
  // cargo agrees.
  assert.equal(sh("cargo", ["new", "--quiet", path.join(outer, "plain")]).code, 0);
  assert.ok(!existsSync(path.join(outer, "plain", ".git")) && !existsSync(path.join(outer, "plain", ".gitignore")));
});

test("a name that is not snake_case is accepted with cargo's own warning", () => {
  const ours = runCli(["new", path.join(tmp.dir, "Checksum_Lib"), "--lib", "--yes", "--vcs", "none"]);
  assert.equal(ours.code, 0, ours.stderr);
  const theirs = sh("cargo", ["new", "--lib", "--vcs", "none", path.join(tmp.dir, "Cargo_Lib")]);
  const warning = /warning: (package name `Cargo_Lib` is not snake_case.*)$/m.exec(theirs.stderr)?.[1];
  assert.ok(warning, theirs.stderr);
  assert.match(ours.stdout, new RegExp(`^warning: ${warning.replace(/Cargo_Lib/g, "Checksum_Lib").replace(/cargo_lib/g, "checksum_lib").replace(/[`.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
});

test("a near-miss target gets a did-you-mean; a triple rustc knows makes a library", () => {
  const bin = runCli(["new", path.join(tmp.dir, "m4"), "--target", "thumbv7em-none-eabi", "--yes"]);
  assert.equal(bin.code, 2);
  assert.match(bin.stderr, /^error: freestand has no binary template for `thumbv7em-none-eabi` \(rustc knows the triple\); did you mean `thumbv7em-none-eabihf`\? `--lib` makes a library for any target rustc knows/);
  assert.ok(!existsSync(path.join(tmp.dir, "m4")), "nothing was written");
  const typo = runCli(["new", path.join(tmp.dir, "m4"), "--target", "thumbv7m-none-eab", "--yes"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /did you mean `thumbv7m-none-eabi`\?/);
  const lib = runCli(["new", path.join(tmp.dir, "m4lib"), "--lib", "--target", "thumbv7em-none-eabi", "--yes", "--vcs", "none"]);
  assert.equal(lib.code, 0, lib.stderr);
  assert.match(readFileSync(path.join(tmp.dir, "m4lib", ".cargo", "config.toml"), "utf8"), /^target = "thumbv7em-none-eabi"$/m);
});

test("new --lib --target <bare metal>: no_std, built for the target, unit tests on the target, as printed", (t) => {
  const bare = findTarget("thumbv7m-none-eabi")!;
  const why = notReadyReason(bare);
  if (why) return t.skip(why);
  const dir = path.join(tmp.dir, "ring");
  const r = runCli(["new", dir, "--lib", "--target", bare.triple, "--yes", "--vcs", "none"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Created library `ring` for thumbv7m-none-eabi, edition 2024, in /m);
  assert.match(r.stdout, /^Next: cd .*ring && freestand test {3}\(runs the unit tests on thumbv7m-none-eabi; freestand build builds the library\)$/m);
  assert.deepEqual(listed(r.stdout), filesOf(dir));
  assert.match(readFileSync(path.join(dir, "src", "lib.rs"), "utf8"), /^#!\[no_std\]$/m);
  const built = runCli(["build", dir]);
  assert.equal(built.code, 0, built.stderr);
  assert.match(built.stdout, /Built library \S*ring\/target\/thumbv7m-none-eabi\/debug\/libring\.rlib/);
  // The library's tests boot on the target itself (QEMU's Cortex-M3), with the target's boot code.
  const tests = runCli(["test", "-C", dir]);
  assert.equal(tests.code, 0, tests.stderr);
  assert.match(tests.stderr, /Running unittests src\/lib\.rs \(.*target\/thumbv7m-none-eabi\/debug\/deps\/ring-[0-9a-f]+\)/);
  assert.match(tests.stdout, /^test tests::indexing_past_the_end_panics - should panic \.\.\. ok$/m);
  assert.match(tests.stdout, /^test result: ok\. 4 passed; 0 failed; 1 ignored; /m);
  const check = runCli(["check", dir, "--format", "json"]);
  assert.equal(check.code, 0, check.stdout);
});

test("--force lists the files an earlier template left that the new one does not have, and keeps them", () => {
  const dir = path.join(tmp.dir, "reused");
  assert.equal(runCli(["new", dir, "--target", "thumbv7m-none-eabi", "--yes", "--vcs", "none"]).code, 0);
  const refused = runCli(["new", dir, "--lib", "--yes"]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /is not empty; choose another directory or pass --force/);
  const r = runCli(["new", dir, "--lib", "--force", "--yes", "--vcs", "none"]);
  assert.equal(r.code, 0, r.stderr);
  for (const f of ["build.rs", "link.x", "src/main.rs", "src/boot.rs"]) {
    assert.match(r.stdout, new RegExp(`^ {2}${f.replace(".", "\\.")} \\(left from an earlier template`, "m"));
    assert.ok(existsSync(path.join(dir, f)), `${f} is kept`);
  }
  assert.match(r.stdout, /^ {2}Cargo\.toml \(replaced\)$/m);
});

test("new without a directory and no terminal to ask on: one sentence, exit 2", () => {
  const r = runCli(["new", "--yes"], { cwd: tmp.dir });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "error: `freestand new` needs the directory to create: `freestand new <DIR>`.\n");
});
