/**
 * The toolchain as a user meets it through the CLI: the compiler cargo really runs (doctor), what plain cargo
 * would do (new, doctor, targets), one target described whatever the channel (targets <TRIPLE>), and a version
 * mismatch shown once, with the build stopped there.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, sh, tempDir } from "../support/cli.js";
import { notReadyReason } from "../targets/support.js";
import { findTarget } from "../../src/targets/catalog.js";
import { locateCore } from "../../src/toolchain/invocation.js";
import { findRustc } from "../../src/toolchain/rustc.js";

const tmp = tempDir("freestand-toolchain-cli-");
after(tmp.cleanup);
const BARE = findTarget("thumbv7m-none-eabi")!;

/** A compiler on this machine other than the one cargo runs by default (Debian's, beside rustup's), if any. */
async function otherCompiler(): Promise<{ path: string; release: string } | undefined> {
  const cargoRuns = await findRustc({});
  for (const candidate of ["/usr/bin/rustc"]) {
    const r = sh(candidate, ["-vV"]);
    const release = /^release: (\S+)/m.exec(r.stdout)?.[1];
    if (r.code === 0 && release && release !== cargoRuns.release) return { path: candidate, release };
  }
  return undefined;
}

test("doctor names the compiler cargo really runs, and warns when PATH's rustc overrides rustup's choice", async (t) => {
  const other = await otherCompiler();
  if (!other) return t.skip("only one compiler version on this machine");
  const bin = path.join(tmp.dir, "path-first");
  mkdirSync(bin);
  symlinkSync(other.path, path.join(bin, "rustc"));
  const env = { PATH: `${bin}:${process.env.PATH}` };
  const r = runCli(["doctor", "--format", "json"], { env, cwd: tmp.dir });
  const report = JSON.parse(r.stdout) as { requirements: { id: string; detail: string; warning?: string; fix?: string }[] };
  const rustc = report.requirements.find((x) => x.id === "rustc")!;
  assert.match(rustc.detail, new RegExp(`^rustc ${other.release.replace(/\./g, "\\.")} `), "the compiler cargo runs, as cargo runs it");
  assert.match(rustc.warning ?? "", /the first `rustc` on PATH: rustup's toolchain choice .* does not reach the compiler/);
  // What doctor says is what cargo does: the build really uses that compiler.
  const crate = path.join(tmp.dir, "which-rustc");
  assert.equal(sh("cargo", ["new", "--quiet", "--vcs", "none", crate]).code, 0);
  assert.equal(sh("cargo", ["build", "--quiet"], { cwd: crate, env }).code, 0);
  assert.ok(readFileSync(path.join(crate, "target", ".rustc_info.json"), "utf8").includes(`release: ${other.release}`));
  // Without the override, no warning.
  const plain = JSON.parse(runCli(["doctor", "--format", "json"], { cwd: tmp.dir }).stdout) as typeof report;
  assert.equal(plain.requirements.find((x) => x.id === "rustc")!.warning, undefined);
});

test("where plain cargo cannot build a target, new, doctor and targets say so with the one command that can", async (t) => {
  const why = notReadyReason(BARE);
  if (why) return t.skip(why);
  const { source, rustc, discovered } = await locateCore({ crateDir: tmp.dir, triple: BARE.triple });
  if (source.kind !== "cached-sysroot" || rustc === discovered) return t.skip("plain cargo builds the target here");
  const crate = path.join(tmp.dir, "plain");
  const made = runCli(["new", crate, "--target", BARE.id, "--yes", "--vcs", "none"]);
  assert.equal(made.code, 0, made.stderr);
  const command = /^ {6}plain cargo: `(.*)`$/m.exec(made.stdout)?.[1];
  assert.ok(command, made.stdout);
  assert.match(made.stdout, /which plain `cargo build` runs, has no `core` for thumbv7m-none-eabi/);
  // The command works, exactly as printed, where plain `cargo build` fails.
  assert.notEqual(sh("cargo", ["build"], { cwd: crate }).code, 0);
  const r = sh("bash", ["-c", command], { cwd: crate });
  assert.equal(r.code, 0, r.stderr);
  const doctor = JSON.parse(runCli(["doctor", crate, "--format", "json"]).stdout) as { requirements: { id: string; fix?: string }[] };
  assert.ok(doctor.requirements.some((x) => x.id === "plain-cargo" && x.fix?.includes("cargo build")), "doctor says it");
  const targets = runCli(["targets"], { cwd: crate });
  assert.match(targets.stdout, /plain cargo fails here; this works: .*cargo build/);
});

test("targets <TRIPLE> describes any triple rustc knows, with the catalogue's facts where it has them", () => {
  const known = runCli(["targets", "thumbv7em-none-eabihf"]);
  assert.equal(known.code, 0, known.stderr);
  for (const line of [/^ {2}std +no — /m, /^ {2}panic strategy +abort$/m, /^ {2}atomics +8, 16, 32, ptr bits/m, /^ {2}pointer width +32 bits, little-endian$/m, /^ {2}float ABI +hard$/m, /^ {2}linker flavour +gnu-lld/m, /^ {2}relocation model +static$/m, /^ {2}freestand +boots in qemu-system-arm/m]) {
    assert.match(known.stdout, line);
  }
  // A triple without a template: the same facts, and what freestand can still make for it.
  const other = runCli(["targets", "riscv32imc-unknown-none-elf", "--format", "json"]);
  assert.equal(other.code, 0, other.stderr);
  const d = JSON.parse(other.stdout) as { std: string; atomics: string[]; pointerWidth: string; catalogue: string | null; panicStrategy: string };
  assert.equal(d.std, "no");
  assert.equal(d.pointerWidth, "32");
  assert.equal(d.catalogue, null);
  assert.equal(d.panicStrategy, "abort");
  // The facts are rustc's: compare with `rustc --print cfg`.
  const cfg = sh("rustc", ["--print", "cfg", "--target", "riscv32imc-unknown-none-elf"]).stdout;
  assert.deepEqual(d.atomics, [...cfg.matchAll(/^target_has_atomic="(\w+)"$/gm)].map((m) => m[1]).sort((a, b) => (a === "ptr" ? 1 : b === "ptr" ? -1 : Number(a) - Number(b))));
  const typo = runCli(["targets", "thumbv7em-none-eabihg"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /does not know the target `thumbv7em-none-eabihg`; did you mean `thumbv7em-none-eabihf`\?/);
});

test("a core built by another compiler (E0514): the cause once, and the build stops there", (t) => {
  const why = notReadyReason(BARE);
  if (why) return t.skip(why);
  const sysroots = JSON.parse(runCli(["targets", "--format", "json"]).stdout) as { id: string; core: { source: string; detail: string } }[];
  const cached = sysroots.find((x) => x.id === BARE.id && x.core.source === "cached-sysroot");
  const sysroot = /at (\/\S+)/.exec(cached?.core.detail ?? "")?.[1];
  if (!sysroot) return t.skip("no sysroot built by another compiler to mismatch with");
  const crate = path.join(tmp.dir, "mismatch");
  assert.equal(runCli(["new", crate, "--target", BARE.id, "--yes", "--vcs", "none"]).code, 0);
  // Five dependencies: cargo compiles several crates against the same `core` at once.
  const deps: string[] = [];
  for (const d of ["a", "b", "c", "d", "e"]) {
    const dir = path.join(crate, `dep-${d}`);
    assert.equal(sh("cargo", ["new", "--quiet", "--lib", "--vcs", "none", dir]).code, 0);
    writeFileSync(path.join(dir, "src", "lib.rs"), "#![no_std]\npub fn f() {}\n");
    deps.push(`dep-${d} = { path = "dep-${d}" }`);
  }
  const manifest = path.join(crate, "Cargo.toml");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace("[dependencies]\n", `[dependencies]\n${deps.join("\n")}\n`));
  // The crate's own --sysroot is its choice: cargo runs as set up, with the compiler it finds.
  const r = runCli(["build", crate], { env: { RUSTFLAGS: `--sysroot ${sysroot}` } });
  assert.equal(r.code, 1);
  const errors = r.stderr.match(/^error\[E0514\]/gm) ?? [];
  if (errors.length === 0) return t.skip("the compiler cargo runs is the one that built the sysroot");
  assert.equal(errors.length, 1, r.stderr);
  assert.match(r.stderr, /^note: the build was stopped after this error: every crate compiled against the same `core` fails with E0514 too\.$/m);
  assert.match(r.stderr, /^error: the build was stopped\.$/m);
});

test("a pinned toolchain rustup does not have: rustup's own sentence, not the backtrace after it", (t) => {
  if (!sh("rustup", ["--version"]).stdout) return t.skip("rustup is not installed");
  const crate = path.join(tmp.dir, "pinned");
  assert.equal(runCli(["new", crate, "--yes", "--vcs", "none"]).code, 0);
  writeFileSync(path.join(crate, "rust-toolchain.toml"), '[toolchain]\nchannel = "nightly-2020-01-01"\n');
  // RUST_BACKTRACE=1 makes rustup print an anyhow backtrace after its error; it must not become the message.
  const r = runCli(["build", crate], { env: { RUSTUP_AUTO_INSTALL: "0", RUST_BACKTRACE: "1" } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^error: .*rustc -vV` failed: toolchain 'nightly-2020-01-01-[\w-]+' is not installed\n$/);
});

test("--version is cargo's shape; -vV adds the commit, the compiler and node", () => {
  const version = (JSON.parse(readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as { version: string }).version;
  assert.equal(runCli(["--version"]).stdout, `freestand ${version}\n`);
  assert.equal(runCli(["-V"]).stdout, `freestand ${version}\n`);
  const verbose = runCli(["-vV"]);
  assert.equal(verbose.code, 0);
  assert.match(verbose.stdout, new RegExp(`^freestand ${version}\nrelease: ${version}\ncommit-hash: [0-9a-f]{7,}|unknown\n`));
  assert.match(verbose.stdout, /^node: v\d+\.\d+\.\d+$/m);
  assert.match(verbose.stdout, /^rustc: rustc \d+\.\d+\.\d+/m);
  assert.match(verbose.stdout, /^host: \S+-\S+$/m);
});

test("every command's --help has cargo's shape", () => {
  const top = runCli(["--help"]);
  assert.match(top.stdout, /^Create, check, build/);
  assert.match(top.stdout, /^Usage: freestand \[OPTIONS\] <COMMAND>$/m);
  for (const command of ["new", "build", "run", "check", "verify", "size", "explain", "targets", "doctor", "sysroot"]) {
    const h = runCli([command, "--help"]);
    assert.equal(h.code, 0, command);
    const [description, usage] = h.stdout.split("\n\n");
    assert.match(description!, /^[A-Z]/, `${command}: a capitalised description first`);
    assert.match(usage!, new RegExp(`^Usage: freestand ${command} \\[OPTIONS\\]`), `${command}: the usage line`);
    assert.doesNotMatch(h.stdout, /\(default: \[\]\)|\(default: /, `${command}: defaults in cargo's [default: …] form`);
    assert.match(h.stdout, /\nExamples:\n(  freestand .+\n|  cargo .+\n){2,3}/, `${command}: two or three examples`);
    // Option descriptions start with a capital letter, placeholders are UPPER-CASE.
    for (const line of h.stdout.split("\n").filter((l) => /^ {2}(-\w, )?--?\w/.test(l) || /^ {6}--\w/.test(l))) {
      const m = /^\s+(?:-\w, )?(--[\w-]+)(?: <([^>]+)>)?\s{2,}(\S)/.exec(line);
      if (!m) continue;
      if (m[2]) assert.equal(m[2], m[2].toUpperCase(), `${command} ${m[1]}: placeholder <${m[2]}>`);
      assert.match(m[3]!, /[A-Z`]/, `${command} ${m[1]}: "${line.trim()}"`);
    }
  }
});
