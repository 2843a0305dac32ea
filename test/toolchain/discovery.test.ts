/**
 * Discovery against the real toolchains on this machine: rustup's stable and nightly, Debian's rustc-web with
 * its rust-web-src sources. Every expectation is read from the tools themselves, never typed in.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FreestandError } from "../../src/errors.js";
import { findRustc, hasCore, installedTargets, librarySourceCandidates, matchingSources, parseRustcVerbose, targetKeyHolds, sysrootDirFor } from "../../src/toolchain/index.js";
import { hasCommand, sh, tempDir } from "../support/cli.js";
import { parseRustcCfg } from "../../src/toolchain/cfg.js";

const work = tempDir("freestand-discovery-");
after(() => work.cleanup());

const DEBIAN_RUSTC = "/usr/bin/rustc";
const haveRustup = hasCommand("rustup");
const debianMissing = existsSync(DEBIAN_RUSTC) ? undefined : "Debian's rustc-web is not installed (scripts/env/10-toolchain.sh installs it)";

/** `release:` as the compiler itself prints it. */
function releaseOf(program: string, env: NodeJS.ProcessEnv = {}, cwd?: string): string {
  const out = sh(program, ["-vV"], { env, cwd }).stdout;
  return /^release: (.+)$/m.exec(out)![1]!;
}

test("the compiler cargo would use: rustc on PATH through rustup, with its sysroot and installed targets", { skip: !haveRustup && "rustup is not installed" }, async () => {
  const r = await findRustc({ cwd: work.dir });
  assert.equal(r.origin, "rustup");
  assert.equal(r.release, releaseOf("rustc", {}, work.dir));
  assert.equal(r.sysroot, sh("rustc", ["--print", "sysroot"], { cwd: work.dir }).stdout.trim());
  assert.equal(r.rustupToolchain, path.basename(r.sysroot));
  assert.equal(r.host, "x86_64-unknown-linux-gnu");
  assert.match(r.commitHash ?? "", /^[0-9a-f]{40}$/);
  const targets = await installedTargets(r.sysroot);
  assert.ok(targets.includes(r.host), `the host's std is installed: ${targets.join(", ")}`);
  assert.equal(await hasCore(r.sysroot, "thumbv7m-none-eabi"), targets.includes("thumbv7m-none-eabi"));
});

test("RUSTC wins over PATH: Debian's rustc-web", { skip: debianMissing }, async () => {
  const r = await findRustc({ cwd: work.dir, env: { ...process.env, RUSTC: DEBIAN_RUSTC } });
  assert.equal(r.origin, "RUSTC");
  assert.equal(r.path, DEBIAN_RUSTC);
  assert.equal(r.release, releaseOf(DEBIAN_RUSTC));
  assert.equal(r.sysroot, "/usr");
  assert.equal(r.rustupToolchain, undefined);
  assert.equal(r.channel, "stable");
});

test("rust-toolchain.toml and RUSTUP_TOOLCHAIN select rustup's nightly", async (t) => {
  if (!haveRustup) return t.skip("rustup is not installed");
  const list = sh("rustup", ["toolchain", "list"]).stdout;
  if (!/^nightly/m.test(list)) return t.skip("no nightly toolchain installed in rustup");
  const crate = path.join(work.dir, "pinned");
  mkdirSync(path.join(crate, "src"), { recursive: true });
  writeFileSync(path.join(crate, "rust-toolchain.toml"), '[toolchain]\nchannel = "nightly"\n');
  const pinned = await findRustc({ cwd: path.join(crate, "src") });
  assert.equal(pinned.origin, "rust-toolchain.toml");
  assert.equal(pinned.channel, "nightly");
  assert.equal(pinned.release, releaseOf("rustc", {}, crate));
  const byEnv = await findRustc({ cwd: work.dir, env: { ...process.env, RUSTUP_TOOLCHAIN: "nightly" } });
  assert.equal(byEnv.origin, "RUSTUP_TOOLCHAIN");
  assert.equal(byEnv.channel, "nightly");
});

test("library sources: Debian's rust-web-src matches rustc-web; rustup's stable has none of its own", { skip: debianMissing }, async () => {
  const debian = await findRustc({ env: { ...process.env, RUSTC: DEBIAN_RUSTC } });
  const m = matchingSources(debian, await librarySourceCandidates(debian));
  assert.ok(m, "rustc-web's sources are found");
  assert.equal(m.dir, `/usr/src/rustc-${debian.release}/library`);
  assert.equal(m.version, debian.release);
  assert.ok(m.vendored, "rust-web-src vendors compiler_builtins' dependencies");
  if (haveRustup) {
    const stable = await findRustc({ cwd: work.dir });
    const candidates = await librarySourceCandidates(stable);
    const own = existsSync(path.join(stable.sysroot, "lib/rustlib/src/rust/library"));
    assert.equal(Boolean(matchingSources(stable, candidates)), own || stable.release === debian.release);
    if (!own) assert.ok(candidates.some((c) => c.version === debian.release), "the Debian tree is listed, to name it in a mismatch");
  }
});

test("no compiler at all: one sentence with the command that installs one", async () => {
  const empty = path.join(work.dir, "empty-bin");
  mkdirSync(empty, { recursive: true });
  await assert.rejects(findRustc({ cwd: work.dir, env: { PATH: empty, HOME: process.env.HOME } }), (e: unknown) => {
    assert.ok(e instanceof FreestandError);
    assert.match(e.message, /no Rust compiler found.*rustup/);
    return true;
  });
  await assert.rejects(findRustc({ env: { ...process.env, RUSTC: path.join(empty, "nope") } }), /RUSTC is set to .*nope/);
});

test("a RUSTC pointing at a program that is not rustc is refused in one sentence", async () => {
  const fake = path.join(work.dir, "fake-bin");
  mkdirSync(fake, { recursive: true });
  symlinkSync("/bin/true", path.join(fake, "rustc"));
  await assert.rejects(findRustc({ env: { ...process.env, RUSTC: path.join(fake, "rustc") } }), FreestandError);
});

test("parseRustcVerbose reads the real output of every compiler here", () => {
  for (const program of ["rustc", DEBIAN_RUSTC]) {
    if (!hasCommand(program)) continue;
    const text = sh(program, ["-vV"]).stdout;
    const info = parseRustcVerbose(text);
    assert.equal(info.release, releaseOf(program));
    assert.equal(info.verbose, text.trim());
  }
});

test("cfg(...) target keys are evaluated against rustc --print cfg", () => {
  const text = sh("rustc", ["--print", "cfg", "--target", "thumbv7m-none-eabi"]).stdout;
  const cfg = parseRustcCfg(text);
  assert.equal(targetKeyHolds('cfg(target_os = "none")', cfg), true);
  assert.equal(targetKeyHolds('cfg(all(target_arch = "arm", target_os = "none"))', cfg), true);
  assert.equal(targetKeyHolds('cfg(any(target_arch = "riscv32", target_arch = "x86_64"))', cfg), false);
  assert.equal(targetKeyHolds('cfg(not(target_os = "linux"))', cfg), true);
  assert.equal(targetKeyHolds("cfg(target_has_atomic)", cfg), text.split("\n").includes("target_has_atomic"));
  assert.equal(targetKeyHolds("cfg(all(", cfg), false);
});

test("two compilers side by side get separate sysroot cache entries", { skip: (debianMissing || !haveRustup) && "needs rustup and rustc-web" }, async () => {
  const stable = await findRustc({ cwd: work.dir });
  const debian = await findRustc({ env: { ...process.env, RUSTC: DEBIAN_RUSTC } });
  const root = path.join(work.dir, "cache");
  assert.notEqual(sysrootDirFor(stable, root), sysrootDirFor(debian, root));
  assert.equal(sysrootDirFor(debian, root), sysrootDirFor({ ...debian, path: "/elsewhere/rustc" }, root), "keyed by the compiler, not its path");
  assert.ok(sysrootDirFor(debian, root).startsWith(path.join(root, `rustc-${debian.release}-`)));
});
