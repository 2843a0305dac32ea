/**
 * `freestand sysroot` end to end: core, compiler_builtins and alloc for a bare-metal target built from Debian's
 * rust-web-src with rustc-web into a temporary cache, a cache hit, a real crate (with a build script and a
 * proc-macro, which must keep using the host's std) built against it, the version-mismatch refusal, and a
 * damaged cache entry detected and rebuilt.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, realpathSync, closeSync, symlinkSync, truncateSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { FreestandError } from "../../src/errors.js";
import { buildSysroot, cargoInvocation, checkEntry, findRustc, sysrootDirFor } from "../../src/toolchain/index.js";
import { doctor } from "../../src/doctor/index.js";
import { hasCommand, runCli, sh, tempDir } from "../support/cli.js";

const work = tempDir("freestand-sysroot-");
after(() => work.cleanup());

const TARGET = "thumbv7m-none-eabi";
const DEBIAN_RUSTC = "/usr/bin/rustc";
const debianRelease = existsSync(DEBIAN_RUSTC) ? /^release: (.+)$/m.exec(sh(DEBIAN_RUSTC, ["-vV"]).stdout)![1] : undefined;
const missing = !debianRelease
  ? "Debian's rustc-web is not installed (scripts/env/10-toolchain.sh installs it)"
  : !existsSync(`/usr/src/rustc-${debianRelease}/library/vendor`)
    ? "Debian's rust-web-src is not installed (scripts/env/10-toolchain.sh installs it)"
    : !hasCommand("ld.lld")
      ? "lld is not installed (scripts/env/10-toolchain.sh installs it)"
      : !hasCommand("cargo")
        ? "cargo is not installed"
        : undefined;

/** rustup's stable compiler binary (not the proxy), whose release differs from the Debian sources. */
function rustupStableRustc(): string | undefined {
  if (!hasCommand("rustup")) return undefined;
  const p = sh("rustup", ["which", "rustc", "--toolchain", "stable"]).stdout.trim();
  return p && existsSync(p) ? p : undefined;
}

/** A thumbv7m binary crate with a build script, a proc-macro dependency and its own target rustflags. */
function writeCrate(dir: string): void {
  mkdirSync(path.join(dir, "src"), { recursive: true });
  mkdirSync(path.join(dir, "answer", "src"), { recursive: true });
  mkdirSync(path.join(dir, ".cargo"), { recursive: true });
  writeFileSync(
    path.join(dir, "Cargo.toml"),
    `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nanswer = { path = "answer" }\n\n` +
      `[profile.dev]\npanic = "abort"\n\n[profile.release]\npanic = "abort"\n`,
  );
  writeFileSync(path.join(dir, "answer", "Cargo.toml"), `[package]\nname = "answer"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\nproc-macro = true\n`);
  writeFileSync(
    path.join(dir, "answer", "src", "lib.rs"),
    `use proc_macro::TokenStream;\n#[proc_macro]\npub fn answer(_: TokenStream) -> TokenStream { std::format!("{}", 6 * 7).parse().unwrap() }\n`,
  );
  writeFileSync(path.join(dir, "build.rs"), `fn main() { let t = std::env::var("TARGET").unwrap(); println!("cargo:rustc-env=BUILT_FOR={t}"); }\n`);
  writeFileSync(
    path.join(dir, "src", "main.rs"),
    `#![no_std]\n#![no_main]\nextern crate alloc;\nuse core::panic::PanicInfo;\n\n` +
      `#[panic_handler]\nfn panic(_: &PanicInfo) -> ! { loop {} }\n\n` +
      // Linking alloc needs a global allocator; this one never hands out memory, which is all the test needs.
      `struct NoAlloc;\nunsafe impl core::alloc::GlobalAlloc for NoAlloc {\n    unsafe fn alloc(&self, _: core::alloc::Layout) -> *mut u8 { core::ptr::null_mut() }\n    unsafe fn dealloc(&self, _: *mut u8, _: core::alloc::Layout) {}\n}\n#[global_allocator]\nstatic ALLOCATOR: NoAlloc = NoAlloc;\n\n` +
      `const TARGET: &str = env!("BUILT_FOR");\n\n` +
      `#[unsafe(no_mangle)]\npub extern "C" fn _start() -> ! {\n    let v: [u8; answer::answer!()] = [7; answer::answer!()];\n` +
      `    let mut w = [0u8; 42];\n    w.copy_from_slice(&v);\n    core::hint::black_box((&w, TARGET, alloc::vec::Vec::<u8>::new()));\n    loop {}\n}\n`,
  );
  // The crate's own target rustflags: they must survive the --sysroot freestand adds.
  writeFileSync(path.join(dir, ".cargo", "config.toml"), `[target.${TARGET}]\nrustflags = ["-C", "link-arg=-Map=app.map"]\n`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** e_machine of an ELF file (40 = ARM). */
function elfMachine(file: string): number {
  const fd = openSync(file, "r");
  const buf = Buffer.alloc(20);
  readSync(fd, buf, 0, 20, 0);
  closeSync(fd);
  assert.equal(buf.subarray(0, 4).toString("latin1"), "\x7fELF");
  return buf.readUInt16LE(18);
}

test("a compiler/sources version mismatch is refused before building, naming both versions", { skip: missing }, async (t) => {
  const stable = rustupStableRustc();
  if (!stable) return t.skip("rustup's stable toolchain is not installed");
  const stableRelease = /^release: (.+)$/m.exec(sh(stable, ["-vV"]).stdout)![1];
  if (stableRelease === debianRelease) return t.skip(`rustup's stable is the same release as rustc-web (${stableRelease})`);
  if (existsSync(path.join(path.dirname(path.dirname(stable)), "lib/rustlib/src/rust/library"))) return t.skip("rustup's stable has its own rust-src");
  const dir = path.join(work.dir, "mismatch");
  await assert.rejects(buildSysroot({ target: TARGET, rustc: stable, dir }), (e: unknown) => {
    assert.ok(e instanceof FreestandError);
    assert.ok(e.message.includes(`rustc ${stableRelease}`), e.message);
    assert.ok(e.message.includes(`Rust ${debianRelease}`), e.message);
    assert.match(e.message, /--rustc \/usr\/bin\/rustc/);
    return true;
  });
  assert.equal(existsSync(dir), false, "nothing was created");
  const cli = runCli(["sysroot", "--target", TARGET, "--rustc", stable, "--dir", dir]);
  assert.equal(cli.code, 2);
  assert.equal(cli.stderr.trim().split("\n").length, 1, cli.stderr);
  assert.match(cli.stderr, /^error: rustc .* does not match the library sources/);
});

test("bad requests are refused in one sentence, exit 2", { skip: missing }, () => {
  const dir = path.join(work.dir, "refused");
  for (const args of [["sysroot"], ["sysroot", "--target", "host"], ["sysroot", "--target", "no-such-target-triple", "--dir", dir]]) {
    const cli = runCli(args);
    assert.equal(cli.code, 2, `${args.join(" ")}: ${cli.stderr}`);
    assert.match(cli.stderr, /^error: /);
    assert.equal(cli.stderr.trim().split("\n").length, 1, cli.stderr);
  }
});

test("sysroot end to end: build, cache hit, a crate built against it, a damaged entry detected and rebuilt", { skip: missing, timeout: 30 * 60_000 }, async () => {
  const cache = path.join(work.dir, "cache");
  const crate = path.join(work.dir, "app");
  writeCrate(crate);

  // Before: no core anywhere for this target (rustup cannot download), so a build is refused with the fix.
  const stable = await findRustc({ cwd: crate });
  const prebuilt = existsSync(path.join(stable.sysroot, "lib/rustlib", TARGET));
  if (!prebuilt) {
    await assert.rejects(cargoInvocation({ crateDir: crate, triple: TARGET, sysrootRoot: cache }), /run `freestand sysroot --target thumbv7m-none-eabi`/);
  }

  // 1. Cold build through the CLI (plain progress lines: stderr is not a terminal).
  const cold = runCli(["sysroot", "--target", TARGET, "--dir", cache, "--format", "json"], { timeoutMs: 25 * 60_000 });
  assert.equal(cold.code, 0, cold.stderr);
  assert.match(cold.stderr, /compiling core/);
  const built = (JSON.parse(cold.stdout) as { sysroot: string; cached: boolean; rustc: { path: string; release: string }; files: { name: string; size: number }[] }[])[0]!;
  assert.equal(built.cached, false);
  const libDir = path.join(built.sysroot, "lib", "rustlib", TARGET, "lib");
  for (const lib of ["core", "alloc", "compiler_builtins"]) {
    assert.ok(readdirSync(libDir).some((n) => n.startsWith(`lib${lib}-`) && n.endsWith(".rlib")), `lib${lib} is in ${libDir}`);
  }
  assert.ok(existsSync(path.join(built.sysroot, "lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld")), "a rust-lld for rustc to find");
  // Keyed by the compiler's whole version: the directory is the one for the compiler that built it.
  const builder = await findRustc({ explicit: built.rustc.path });
  assert.equal(built.sysroot, sysrootDirFor(builder, cache));

  // The rust-lld is the lld of the builder's own LLVM where Debian has it (lld-22 for rustc-web's LLVM 22): an
  // older one cannot link every target. One left pointing at another lld is pointed again on the next call.
  const lldLink = path.join(built.sysroot, "lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld");
  const matching = `/usr/bin/ld.lld-${/^(\d+)/.exec(builder.llvmVersion ?? "")?.[1]}`;
  const other = readdirSync("/usr/bin").map((n) => `/usr/bin/${n}`).find((p) => /\/ld\.lld-\d+$/.test(p) && p !== matching);
  if (existsSync(matching)) {
    assert.equal(realpathSync(lldLink), realpathSync(matching));
    if (other) {
      unlinkSync(lldLink);
      symlinkSync(other, lldLink);
    }
  }

  // 2. Second call: a cache hit, nothing rebuilt.
  const hit = runCli(["sysroot", "--target", TARGET, "--dir", cache]);
  assert.equal(hit.code, 0, hit.stderr);
  assert.match(hit.stdout, /^Cached thumbv7m-none-eabi for rustc /m);
  if (existsSync(matching)) assert.equal(realpathSync(lldLink), realpathSync(matching), "rust-lld pointed again at the matching lld");

  // 3. A crate built against it with the real cargo, through cargoInvocation.
  const inv = await cargoInvocation({ crateDir: crate, triple: TARGET, sysrootRoot: cache });
  assert.equal(inv.sysroot, built.sysroot);
  assert.ok(inv.notes.some((n) => n.includes(built.sysroot)));
  const buildIt = () => sh(inv.cargo, ["build", "--target", TARGET, ...inv.args], { cwd: crate, env: { ...process.env, ...inv.env }, timeoutMs: 300_000 });
  const first = buildIt();
  assert.equal(first.code, 0, first.stderr);
  const elf = path.join(crate, "target", TARGET, "debug", "app");
  assert.equal(elfMachine(elf), 40, "an ARM executable");
  assert.ok(existsSync(path.join(crate, "app.map")), "the crate's own target rustflags were kept");
  assert.ok(readFileSync(path.join(crate, "app.map"), "utf8").includes("_start"));

  // The same state is what doctor and targets report.
  const report = await doctor({ target: TARGET, dir: crate, sysrootRoot: cache });
  const core = report.requirements.find((r) => r.id === "core")!;
  assert.equal(core.ok, true);
  assert.match(core.detail, /built from source/);
  // doctor says which lld links, and what the sysroot's rust-lld really is.
  const lld = report.requirements.find((r) => r.id === "lld")!;
  assert.match(lld.name, new RegExp(`its compiler is on LLVM ${builder.llvmVersion!.replace(/\./g, "\\.")}`));
  if (existsSync(matching)) assert.equal(lld.detail, matching);
  const linker = report.requirements.find((r) => r.id === "linker")!;
  assert.match(linker.detail, new RegExp(`^rust-lld \\(${lldLink.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} → /`));

  // 4. Damage: a flipped byte is caught by the full check (what `sysroot` runs); a truncated rlib even by the
  // quick one every build runs, so a build is refused instead of failing in rustc.
  const manifest = JSON.parse(readFileSync(path.join(built.sysroot, "lib/rustlib", TARGET, "freestand-manifest.json"), "utf8")) as { files: { name: string }[] };
  const allocName = manifest.files.find((f) => f.name.startsWith("liballoc-"))!.name;
  const alloc = path.join(libDir, allocName);
  const fd = openSync(alloc, "r+");
  const one = Buffer.alloc(1);
  readSync(fd, one, 0, 1, 4096);
  writeSync(fd, Buffer.from([one[0]! ^ 0xff]), 0, 1, 4096);
  closeSync(fd);
  assert.equal((await checkEntry(built.sysroot, TARGET, builder, "quick")).ok, true);
  const full = await checkEntry(built.sysroot, TARGET, builder, "full");
  assert.equal(full.ok, false);
  assert.match((full as { reason: string }).reason, /does not match its recorded checksum/);
  const coreName = manifest.files.find((f) => f.name.startsWith("libcore-"))!.name;
  truncateSync(path.join(libDir, coreName), 1000);
  const quick = await checkEntry(built.sysroot, TARGET, builder, "quick");
  assert.equal(quick.ok, false);
  assert.match((quick as { reason: string }).reason, new RegExp(`${coreName} has 1000 bytes`));
  await assert.rejects(cargoInvocation({ crateDir: crate, triple: TARGET, sysrootRoot: cache }), /freestand sysroot --target thumbv7m-none-eabi/);

  // 5. `sysroot` notices and rebuilds — twice at once, as two terminals might: each builds in its own directory
  // and renames it into place, so the entry ends whole whichever finishes first. The crate builds again.
  // A build directory left by a process that was killed (its pid no longer exists) is cleaned up on the way.
  let deadPid = 4_000_000;
  while (pidAlive(deadPid)) deadPid++;
  mkdirSync(path.join(built.sysroot, `.build-${TARGET}-${deadPid}-Abc123`, "target"), { recursive: true });
  const progress: string[] = [];
  const [rebuilt, twin] = await Promise.all([
    buildSysroot({ target: TARGET, dir: cache, onProgress: (m) => progress.push(m) }),
    buildSysroot({ target: TARGET, dir: cache }),
  ]);
  for (const r of [rebuilt, twin]) {
    assert.equal(r.cached, false);
    assert.match(r.rebuiltBecause ?? "", /damaged/);
  }
  assert.ok(progress.some((m) => m.startsWith("rebuilding")), progress.join("\n"));
  assert.equal((await checkEntry(built.sysroot, TARGET, builder, "full")).ok, true);
  assert.deepEqual(readdirSync(built.sysroot).filter((n) => n.startsWith(".build-")), [], "no build directory left behind");
  sh("cargo", ["clean"], { cwd: crate });
  const again = buildIt();
  assert.equal(again.code, 0, again.stderr);
  assert.equal(elfMachine(elf), 40);
});
