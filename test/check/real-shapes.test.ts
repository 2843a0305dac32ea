/**
 * The shapes real freestanding projects have, each as a minimal crate of our own (learnt from a corpus of public
 * projects; none of their code is here): workspaces with tools and proc-macros, targets chosen by includes, JSON
 * specs, Makefiles and aliases, panic handlers and allocators from dependencies, cfg'd code, custom test
 * frameworks, pinned toolchains that are not installed. Each case lists the exact findings; where a build
 * proves the point, cargo builds the crate and agrees.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import net from "node:net";
import { spawnSync } from "node:child_process";
import { check, fix } from "../../src/check/index.js";
import type { Diagnostic } from "../../src/diagnostics/types.js";
import { cargoBuild, cleanEnv, hasCargo, hostCrate, HOST_CONFIG, HOST_MAIN, HOST_MANIFEST, readCrate, removeCrate, RUST_ENTRY_MAIN, stableToolchain, writeCrate, type Files } from "./harness.js";
import { CLI } from "../support/cli.js";

const made: string[] = [];
after(() => made.forEach(removeCrate));
function crate(files: Files): string {
  const dir = writeCrate(files, "freestand-shape-");
  made.push(dir);
  return dir;
}

/** `severity[code] file` of each finding, files relative to the crate, sorted. */
function summary(diags: Diagnostic[], dir: string): string[] {
  return diags.map((d) => `${d.severity}[${d.code}] ${d.file ? path.relative(dir, d.file) || "." : "-"}`).sort();
}

/** Rules whose answer depends on this machine (installed cores, downloaded crates), left out where irrelevant. */
const MACHINE = new Set(["target_not_installed", "dependency_requires_std"]);
async function findings(dir: string, opts: Parameters<typeof check>[1] = {}): Promise<{ list: string[]; diags: Diagnostic[] }> {
  const { RULES } = await import("../../src/rules/index.js");
  const only = opts.only ?? RULES.map((r) => r.id).filter((id) => !MACHINE.has(id));
  const r = await check(dir, { env: cleanEnv(), toolchain: stableToolchain(), ...opts, only });
  return { list: summary(r.diagnostics, dir), diags: r.diagnostics };
}

const MANIFEST = (name: string, extra = "", edition = "2021") => `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "${edition}"\n${extra}`;
const NO_HARNESS = (name: string, p = "src/main.rs") => `\n[[bin]]\nname = "${name}"\npath = "${p}"\ntest = false\nbench = false\n`;
const PROFILES = '\n[profile.dev]\npanic = "abort"\n\n[profile.release]\npanic = "abort"\n';
/** A freestanding program whose entry is right on every x86_64 target here: an assembly `_start` that aligns the stack. */
const FIRMWARE = HOST_MAIN;
const BARE_CONFIG = (triple: string) => `[build]\ntarget = "${triple}"\n`;
const canBuild = hasCargo();

test("a workspace with an xtask, a proc-macro and firmware: only the firmware is freestanding", async () => {
  const dir = crate({
    "Cargo.toml": `[workspace]\nmembers = ["firmware", "macros", "xtask"]\nresolver = "2"\n${PROFILES}`,
    ".cargo/config.toml": BARE_CONFIG("x86_64-unknown-none"),
    "firmware/Cargo.toml": MANIFEST("firmware", `${NO_HARNESS("firmware")}\n[dependencies]\nmacros = { path = "../macros" }\n`),
    "firmware/src/main.rs": FIRMWARE,
    "macros/Cargo.toml": MANIFEST("macros", "\n[lib]\nproc-macro = true\n"),
    "macros/src/lib.rs": "use proc_macro::TokenStream;\n#[proc_macro]\npub fn m(t: TokenStream) -> TokenStream { t }\n",
    "xtask/Cargo.toml": MANIFEST("xtask"),
    "xtask/src/main.rs": 'fn main() {\n    println!("building {}", std::env::args().count());\n}\n',
  });
  assert.deepEqual((await findings(dir)).list, []);
});

test("a library a freestanding binary links, built for a target without std, must be no_std", async () => {
  const dir = crate({
    "Cargo.toml": `[workspace]\nmembers = ["app", "util"]\nresolver = "2"\n${PROFILES}`,
    ".cargo/config.toml": BARE_CONFIG("x86_64-unknown-none"),
    "app/Cargo.toml": MANIFEST("app", `${NO_HARNESS("app")}\n[dependencies]\nutil = { path = "../util" }\n`),
    "app/src/main.rs": FIRMWARE.replace("#![no_main]\n", "#![no_main]\nuse util as _;\n"),
    "util/Cargo.toml": MANIFEST("util"),
    "util/src/lib.rs": "pub fn f() {}\n",
  });
  const { list, diags } = await findings(dir);
  assert.deepEqual(list, ["error[missing_no_std] util/src/lib.rs"]);
  assert.match(diags[0]!.notes!.join("\n"), /the freestanding package `app` depends on it/);
});

test("[[bin]] names that differ from the package: no phantom binary, cargo's and the fallback's reading agree", async () => {
  const dir = crate({ "Cargo.toml": MANIFEST("pkg", `${NO_HARNESS("firmware", "src/firmware.rs")}${PROFILES}`), ".cargo/config.toml": HOST_CONFIG, "src/firmware.rs": FIRMWARE });
  for (const noCargo of [false, true]) {
    const r = await check(dir, { env: cleanEnv(), toolchain: stableToolchain(), noCargo, only: ["missing_no_main", "test_harness_enabled", "package_model_fallback"] });
    assert.deepEqual(r.diagnostics, [], `noCargo=${noCargo}`);
    assert.deepEqual(r.packages[0]!.crates.map((c) => `${c.kind}:${c.name}`), ["bin:firmware"]);
  }
});

test("examples, tests and benches are read like the rest: edition-2024 attributes there are errors too", async () => {
  const dir = crate({
    "Cargo.toml": MANIFEST("lib2024", '\n[[example]]\nname = "gated"\nrequired-features = ["extra"]\n\n[features]\nextra = []\n', "2024"),
    "src/lib.rs": "#![no_std]\npub fn f() {}\n",
    "examples/demo.rs": "#![no_std]\n#![no_main]\n#[no_mangle]\npub extern \"C\" fn _start() -> ! { loop {} }\n#[panic_handler]\nfn p(_: &core::panic::PanicInfo) -> ! { loop {} }\n",
    "examples/gated.rs": "#[no_mangle]\npub extern \"C\" fn skipped() {}\nfn main() {}\n",
    "tests/t.rs": "extern \"C\" {\n    fn ext();\n}\n#[test]\nfn t() {}\n",
  });
  // The gated example is not built without its feature, like cargo does.
  assert.deepEqual((await findings(dir)).list, ["error[entry_point_stack_alignment] examples/demo.rs", "error[unsafe_attribute] examples/demo.rs", "error[unsafe_extern_block] tests/t.rs"]);
});

test("include = [...] in the config chain chooses the target", async () => {
  const dir = crate({
    "Cargo.toml": MANIFEST("inc", `${NO_HARNESS("inc")}${PROFILES}`),
    ".cargo/config.toml": 'include = ["target.toml"]\n',
    ".cargo/target.toml": BARE_CONFIG("x86_64-unknown-none"),
    "src/main.rs": FIRMWARE,
  });
  const r = await check(dir, { env: cleanEnv(), toolchain: stableToolchain(), only: ["target_not_configured", "host_link_args_missing"] });
  assert.equal(r.packages[0]!.target, "x86_64-unknown-none");
  assert.deepEqual(r.diagnostics, []);
});

test("[target.'cfg(..)'] rustflags are decided by the target's real cfg, not counted as matching", async () => {
  const flags = '["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static", "-C", "relocation-model=static"]';
  const wrong = crate({ "Cargo.toml": MANIFEST("c", `${NO_HARNESS("c")}${PROFILES}`), "src/main.rs": FIRMWARE, ".cargo/config.toml": `[target.'cfg(target_os = "none")']\nrustflags = ${flags}\n` });
  const right = crate({ "Cargo.toml": MANIFEST("c", `${NO_HARNESS("c")}${PROFILES}`), "src/main.rs": FIRMWARE, ".cargo/config.toml": `[target.'cfg(all(target_os = "linux", target_arch = "x86_64"))']\nrustflags = ${flags}\n` });
  assert.deepEqual((await findings(wrong)).list, ["error[host_link_args_missing] Cargo.toml"]);
  assert.deepEqual((await findings(right)).list, []);
  if (!canBuild) return;
  // cargo agrees: the first links the C runtime and fails, the second builds.
  assert.equal(cargoBuild(wrong).ok, false);
  const b = cargoBuild(right);
  assert.ok(b.ok, b.stderr);
});

test("forced-target (per-package-target) chooses the package's target", async () => {
  const dir = crate({
    "Cargo.toml": `cargo-features = ["per-package-target"]\n\n${MANIFEST("forced", `forced-target = "x86_64-unknown-none"\n${NO_HARNESS("forced")}${PROFILES}`)}`,
    "src/main.rs": FIRMWARE,
  });
  const r = await check(dir, { env: cleanEnv(), toolchain: stableToolchain(), only: ["target_not_configured", "host_link_args_missing", "package_model_fallback"] });
  assert.equal(r.packages[0]!.target, "x86_64-unknown-none");
  assert.deepEqual(r.diagnostics, []);
});

test("a JSON target spec: its panic strategy and OS are read from the file", async () => {
  const spec = JSON.stringify({ "llvm-target": "x86_64-unknown-none", arch: "x86_64", os: "none", "panic-strategy": "abort", "linker-flavor": "ld.lld", "target-pointer-width": 64, "data-layout": "e-m:e-i64:64-f80:128-n8:16:32:64-S128" });
  const dir = crate({
    "Cargo.toml": `[workspace]\nmembers = ["kernel", "support"]\nresolver = "2"\n`,
    ".cargo/config.toml": '[build]\ntarget = "my-os.json"\n',
    "my-os.json": spec,
    "kernel/Cargo.toml": MANIFEST("kernel", `${NO_HARNESS("kernel")}\n[dependencies]\nsupport = { path = "../support" }\n`),
    "kernel/src/main.rs": FIRMWARE.replace("#![no_main]\n", "#![no_main]\nuse support as _;\n"),
    "support/Cargo.toml": MANIFEST("support"),
    "support/src/lib.rs": "pub fn f() {}\n",
  });
  const r = await check(dir, { env: cleanEnv(), toolchain: stableToolchain(), only: ["panic_strategy_unwind", "missing_no_std", "missing_linker_script"] });
  assert.deepEqual(r.packages.map((p) => p.target), ["my-os", "my-os"]);
  // The spec aborts on panic: only the note; its os is "none": the library must be no_std.
  assert.deepEqual(summary(r.diagnostics, dir), ["error[missing_no_std] support/src/lib.rs", "info[panic_strategy_unwind] Cargo.toml"]);
});

test("a UEFI application without a target: target_not_configured infers x86_64-unknown-uefi", async () => {
  const dir = crate({ "Cargo.toml": MANIFEST("efi", `${NO_HARNESS("efi")}\n[dependencies]\nuefi = "0.30"\n`), "src/main.rs": FIRMWARE });
  const { list, diags } = await findings(dir);
  assert.deepEqual(list, ["error[target_not_configured] Cargo.toml"]);
  const t = diags.find((d) => d.code === "target_not_configured")!;
  assert.match(t.fix!.description, /x86_64-unknown-uefi/);
});

for (const [what, files] of [
  ["a Makefile", { Makefile: "build:\n\tcargo build --target thumbv7em-none-eabihf --release\n" }],
  ["a cargo alias", { ".cargo/config.toml": '[alias]\nkbuild = "build --target thumbv7m-none-eabi"\n' }],
  ["a build script of the project", { "scripts/build.sh": "#!/bin/sh\ncargo build --target riscv32imac-unknown-none-elf\n" }],
  ["a JSON target spec beside it", { "board.json": '{"llvm-target": "thumbv7em-none-eabi", "arch": "arm"}' }],
] as const) {
  test(`the target chosen by ${what}: one note, and no judgement as a host program`, async () => {
    const dir = crate({ "Cargo.toml": MANIFEST("fw", NO_HARNESS("fw")), "src/main.rs": FIRMWARE, ...files });
    assert.deepEqual((await findings(dir)).list, ["info[target_chosen_elsewhere] Cargo.toml"]);
  });
}

test("a #![no_main] binary with nothing choosing a target: one finding that offers both ways", async () => {
  const dir = crate({ "Cargo.toml": MANIFEST("both", `${NO_HARNESS("both")}${PROFILES}`), "src/main.rs": FIRMWARE });
  const { list, diags } = await findings(dir);
  assert.deepEqual(list, ["error[host_link_args_missing] Cargo.toml"]);
  assert.equal(diags[0]!.help!.length, 2);
  assert.match(diags[0]!.help![0]!, /bare-metal target/);
  assert.match(diags[0]!.help![1]!, /to run it on Linux/);
});

test("profiles come from the workspace root; an excluded package uses its own manifest", async () => {
  const dir = crate({
    "Cargo.toml": '[workspace]\nmembers = ["member"]\nexclude = ["alone"]\nresolver = "2"\n',
    ".cargo/config.toml": HOST_CONFIG,
    "member/Cargo.toml": MANIFEST("member", `${NO_HARNESS("member")}${PROFILES}`),
    "member/src/main.rs": FIRMWARE,
    "alone/Cargo.toml": MANIFEST("alone", `${NO_HARNESS("alone")}${PROFILES}`),
    "alone/src/main.rs": FIRMWARE,
  });
  // The member's own profiles are ignored by cargo; the root has none.
  assert.deepEqual((await findings(dir, { only: ["panic_strategy_unwind"] })).list, ["error[panic_strategy_unwind] Cargo.toml"]);
  assert.deepEqual((await findings(path.join(dir, "alone"), { only: ["panic_strategy_unwind"] })).list, []);
});

test("a member's own .cargo/config.toml is ignored from the workspace root: said once, and the member is judged with it", async () => {
  const dir = crate({
    "Cargo.toml": `[workspace]\nmembers = ["a", "b"]\nresolver = "2"\n${PROFILES}`,
    "a/Cargo.toml": MANIFEST("a", NO_HARNESS("a")),
    "a/src/main.rs": FIRMWARE,
    "a/.cargo/config.toml": HOST_CONFIG,
    "b/Cargo.toml": MANIFEST("b", NO_HARNESS("b")),
    "b/src/main.rs": FIRMWARE,
    "b/.cargo/config.toml": HOST_CONFIG,
  });
  const { list, diags } = await findings(dir);
  assert.deepEqual(list, ["warning[member_config_ignored] Cargo.toml"]);
  assert.match(diags[0]!.message, /ignores the own `.cargo\/config.toml` of 2 members/);
  assert.deepEqual((await findings(path.join(dir, "a"))).list, []);
  if (!canBuild) return;
  // cargo agrees: from the member's directory it builds; from the root it links the C runtime and fails.
  assert.ok(cargoBuild(path.join(dir, "a")).ok);
  assert.equal(cargoBuild(dir).ok, false);
});

test("a panic handler from a path dependency counts through the feature cargo enables", async () => {
  const dep = { "handler/Cargo.toml": MANIFEST("handler", "\n[features]\non = []\n"), "handler/src/lib.rs": '#![no_std]\n#[cfg(feature = "on")]\n#[panic_handler]\nfn panic(_i: &core::panic::PanicInfo) -> ! {\n    loop {}\n}\n' };
  const main = FIRMWARE.replace(/\n#\[panic_handler\][\s\S]*$/, "\nuse handler as _;\n");
  const on = crate({ ...hostCrate(), "Cargo.toml": HOST_MANIFEST("2021", '\n[dependencies]\nhandler = { path = "handler", features = ["on"] }\n'), "src/main.rs": main, ...dep });
  const off = crate({ ...hostCrate(), "Cargo.toml": HOST_MANIFEST("2021", '\n[dependencies]\nhandler = { path = "handler" }\n'), "src/main.rs": main, ...dep });
  assert.deepEqual((await findings(on)).list, []);
  assert.deepEqual((await findings(off)).list, ["error[missing_panic_handler] src/main.rs"]);
  if (!canBuild) return;
  const b = cargoBuild(on);
  assert.ok(b.ok, b.stderr);
  const f = cargoBuild(off);
  assert.match(f.stderr, /#\[panic_handler\]` function required, but not found/);
});

test("a dependency that is not on this machine may provide the handler: a note, not an error", async () => {
  const dir = crate({ ...hostCrate(), "Cargo.toml": HOST_MANIFEST("2021", '\n[dependencies]\nsome-runtime = "1"\n'), "src/main.rs": FIRMWARE.replace(/\n#\[panic_handler\][\s\S]*$/, "\n") });
  const { list, diags } = await findings(dir);
  assert.deepEqual(list, ["info[missing_panic_handler] src/main.rs"]);
  assert.match(diags[0]!.notes![0]!, /could not read `some-runtime`/);
});

test("a #[global_allocator] from a path dependency counts", async () => {
  const main = FIRMWARE.replace("#![no_main]\n", "#![no_main]\nextern crate alloc;\nuse heap as _;\n");
  const dir = crate({
    ...hostCrate(),
    "Cargo.toml": HOST_MANIFEST("2021", '\n[dependencies]\nheap = { path = "heap" }\n'),
    "src/main.rs": main,
    "heap/Cargo.toml": MANIFEST("heap"),
    "heap/src/lib.rs": "#![no_std]\nuse core::alloc::{GlobalAlloc, Layout};\nstruct Bump;\nunsafe impl GlobalAlloc for Bump {\n    unsafe fn alloc(&self, _l: Layout) -> *mut u8 { core::ptr::null_mut() }\n    unsafe fn dealloc(&self, _p: *mut u8, _l: Layout) {}\n}\n#[global_allocator]\nstatic HEAP: Bump = Bump;\n",
  });
  assert.deepEqual((await findings(dir)).list, []);
});

test("macros from `#[macro_use] extern crate` of the package's own library and from a glob import are not std's", async () => {
  const dir = crate({
    ...hostCrate(),
    "src/lib.rs": "#![no_std]\n#[macro_export]\nmacro_rules! println {\n    ($($t:tt)*) => {};\n}\n",
    "src/main.rs": FIRMWARE.replace("#![no_main]\n", "#![no_main]\n#[macro_use]\nextern crate demo;\nmod other;\n").replace("loop {}\n}\n\n#[panic_handler]", 'println!("hi");\n    loop {}\n}\n\n#[panic_handler]'),
    "src/other.rs": "use demo::*;\npub fn f() {\n    dbg!(1);\n}\n",
  });
  assert.deepEqual((await findings(dir, { only: ["std_macro"] })).list, []);
});

test("cfg(feature = \"std\") items follow the features cargo enables, implications included", async () => {
  const lib = '#![cfg_attr(not(feature = "std"), no_std)]\n#[cfg(feature = "std")]\nuse std::vec::Vec;\n#[cfg(feature = "std")]\npub fn v() -> Vec<u8> { Vec::new() }\n#[cfg(not(feature = "std"))]\npub fn v() {}\n';
  const off = crate({ "Cargo.toml": MANIFEST("l", '\n[features]\nstd = []\n'), "src/lib.rs": lib });
  const implied = crate({ "Cargo.toml": MANIFEST("l", '\n[features]\ndefault = ["tokio"]\ntokio = ["std"]\nstd = []\n'), "src/lib.rs": lib });
  const plainNoStd = crate({ "Cargo.toml": MANIFEST("l", '\n[features]\nstd = []\n'), "src/lib.rs": '#![no_std]\n#[cfg(feature = "std")]\nuse std::vec::Vec;\n#[cfg(test)]\nmod tests {\n    use std::string::String;\n}\npub fn f() { let _ = std::mem::size_of::<u8>(); }\n' });
  assert.deepEqual((await findings(off, { only: ["std_path"] })).list, []);
  assert.deepEqual((await findings(implied, { only: ["std_path"] })).list, []);
  // Only the path the normal build compiles is reported.
  const r = await findings(plainNoStd, { only: ["std_path"] });
  assert.deepEqual(r.list, ["error[std_path] src/lib.rs"]);
  assert.match(r.diags[0]!.message, /std::mem::size_of/);
  if (!canBuild) return;
  for (const d of [off, implied]) assert.ok(cargoBuild(d).ok);
});

test("a library's cfg(test) handler, or one of a library the binary never uses, is not a duplicate", async () => {
  const testOnly = crate({ ...hostCrate(), "src/lib.rs": "#![no_std]\n#[cfg(test)]\n#[panic_handler]\nfn p(_: &core::panic::PanicInfo) -> ! { loop {} }\npub fn f() {}\n", "src/main.rs": FIRMWARE.replace("#![no_main]\n", "#![no_main]\nuse demo::f as _;\n") });
  const unused = crate({ ...hostCrate(), "src/lib.rs": "#![no_std]\n#[panic_handler]\nfn p(_: &core::panic::PanicInfo) -> ! { loop {} }\n", "src/main.rs": FIRMWARE });
  const used = crate({ ...hostCrate(), "src/lib.rs": "#![no_std]\n#[panic_handler]\nfn p(_: &core::panic::PanicInfo) -> ! { loop {} }\npub fn f() {}\n", "src/main.rs": FIRMWARE.replace("#![no_main]\n", "#![no_main]\nuse demo::f as _;\n") });
  const only = ["duplicate_panic_handler"];
  assert.deepEqual((await findings(testOnly, { only })).list, []);
  assert.deepEqual((await findings(unused, { only })).list, []);
  assert.deepEqual((await findings(used, { only })).list, ["error[duplicate_panic_handler] src/lib.rs"]);
  if (!canBuild) return;
  for (const d of [testOnly, unused]) {
    const b = cargoBuild(d);
    assert.ok(b.ok, b.stderr);
  }
  assert.match(cargoBuild(used).stderr, /E0152|duplicate lang item/);
});

test("#[cfg_attr(feature = \"x\", path = \"…\")] mod is followed by its cfg, never refused", async () => {
  const files = (features: string) => ({
    ...hostCrate(),
    "Cargo.toml": HOST_MANIFEST("2021", `\n[features]\ndefault = [${features}]\nalt = []\n`),
    "src/main.rs": `${FIRMWARE}#[cfg_attr(feature = "alt", path = "alt_console.rs")]\nmod console;\n`,
    "src/console.rs": "pub fn w() {}\n",
    "src/alt_console.rs": 'pub fn w() {\n    println!("from the alternative");\n}\n',
  });
  assert.deepEqual((await findings(crate(files('"alt"')), { only: ["std_macro", "module_not_found"] })).list, ["error[std_macro] src/alt_console.rs"]);
  assert.deepEqual((await findings(crate(files("")), { only: ["std_macro", "module_not_found"] })).list, []);
});

test("custom test frameworks, test = true and host-testable crates are respected by test_harness_enabled", async () => {
  const only = ["test_harness_enabled"];
  const framework = crate({ ...hostCrate({ "Cargo.toml": MANIFEST("k", PROFILES) }), "src/main.rs": `#![no_std]\n#![no_main]\n#![feature(custom_test_frameworks)]\n#![test_runner(crate::runner)]\n#![reexport_test_harness_main = "test_main"]\nfn runner(_t: &[&dyn Fn()]) {}\n${FIRMWARE.split("\n").slice(2).join("\n")}` });
  const explicit = crate({ ...hostCrate({ "Cargo.toml": MANIFEST("k", `\n[[bin]]\nname = "k"\npath = "src/main.rs"\ntest = true\n${PROFILES}`) }) });
  const hostTestable = crate({ ...hostCrate({ "Cargo.toml": MANIFEST("k", PROFILES) }), "src/main.rs": FIRMWARE.replace("#![no_std]\n#![no_main]\n", "#![cfg_attr(not(test), no_std)]\n#![cfg_attr(not(test), no_main)]\n") });
  for (const d of [framework, explicit, hostTestable]) assert.deepEqual((await findings(d, { only })).list, []);
  const benchOnly = crate({ ...hostCrate({ "Cargo.toml": MANIFEST("k", `\n[[bin]]\nname = "k"\npath = "src/main.rs"\ntest = false\n${PROFILES}`) }) });
  const { diags } = await findings(benchOnly, { only });
  assert.equal(diags.length, 1);
  assert.match(diags[0]!.message, /bench harness by `cargo check --all-targets`/);
  if (!canBuild) return;
  // cargo agrees: only the bench build of the binary fails.
  const r = spawnSync("cargo", ["check", "--all-targets", "--offline", "--quiet"], { cwd: benchOnly, encoding: "utf8", env: { ...process.env, CARGO_TARGET_DIR: path.join(benchOnly, "target") } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /bin "k" test/);
});

test("many binaries without test = false: one finding and one fix for all of them, applied once", async () => {
  const files: Files = { "Cargo.toml": MANIFEST("many", PROFILES), ".cargo/config.toml": HOST_CONFIG };
  for (const n of ["a", "b", "c", "d", "e"]) files[`src/bin/${n}.rs`] = FIRMWARE;
  const dir = crate(files);
  const { diags } = await findings(dir, { only: ["test_harness_enabled"] });
  assert.equal(diags.length, 1);
  assert.match(diags[0]!.message, /^5 crates \(binary `a`, binary `b`, binary `c`, and 2 more\)/);
  await fix(dir, { env: cleanEnv(), toolchain: stableToolchain(), only: ["test_harness_enabled"] });
  const text = readCrate(dir)["Cargo.toml"]!;
  assert.equal(text.match(/\[\[bin\]\]/g)?.length, 5);
  assert.equal((await fix(dir, { env: cleanEnv(), toolchain: stableToolchain(), only: ["test_harness_enabled"] })).fixed.length, 0);
  assert.equal(readCrate(dir)["Cargo.toml"], text);
});

test("a pinned toolchain that is not installed: a note in rustup's words, every other rule still runs", () => {
  const dir = crate({ ...hostCrate(), "rust-toolchain.toml": '[toolchain]\nchannel = "nightly-2022-03-01"\n', "src/main.rs": FIRMWARE.replace("loop {}\n}\n\n#[panic_handler]", 'println!("x");\n    loop {}\n}\n\n#[panic_handler]').replace("#![no_main]\n", "#![no_main]\n#![feature(alloc_error_handler)]\n") });
  const r = spawnSync(process.execPath, [CLI, "check", dir, "--format", "json"], { encoding: "utf8", env: { ...cleanEnv(), RUST_BACKTRACE: "1", NO_COLOR: "1" } });
  assert.equal(r.stderr, "");
  assert.equal(r.status, 1, r.stdout);
  const diags = JSON.parse(r.stdout).diagnostics as Diagnostic[];
  const note = diags.find((d) => d.code === "toolchain_unavailable")!;
  assert.equal(note.severity, "info");
  assert.match(note.message, /^the compiler could not be asked: toolchain 'nightly-2022-03-01-[^']+' is not installed$/);
  assert.doesNotMatch(JSON.stringify(note), /backtrace|closure/);
  // std_macro still runs; a nightly pinned before 1.68 needs alloc_error_handler: it is not called obsolete.
  assert.deepEqual(diags.filter((d) => d.severity !== "info").map((d) => d.code), ["std_macro"]);
  assert.ok(!diags.some((d) => d.code === "unstable_feature_on_stable"));
});

test("an `extern crate` the manifest does not declare: the package is built some other way, so a missing handler is a note", async () => {
  const dir = crate({ ...hostCrate(), "src/main.rs": FIRMWARE.replace(/\n#\[panic_handler\][\s\S]*$/, "\n").replace("#![no_main]\n", "#![no_main]\nextern crate board_runtime;\n") });
  assert.deepEqual((await findings(dir, { only: ["missing_panic_handler"] })).list, ["info[missing_panic_handler] src/main.rs"]);
});

test("an entry that ends in an endless loop or a diverging call is not said to return", async () => {
  const main = (body: string) => RUST_ENTRY_MAIN.replace("pub extern \"C\" fn _start() -> ! {\n    loop {}\n}", `pub extern "C" fn _start() {\n${body}\n}\nfn halt() -> ! {\n    loop {}\n}\nfn ret() {}`);
  const only = ["entry_point_returns"];
  assert.deepEqual((await findings(crate(hostCrate({ "src/main.rs": main("    loop {}") })), { only })).list, []);
  assert.deepEqual((await findings(crate(hostCrate({ "src/main.rs": main("    halt()") })), { only })).list, []);
  assert.deepEqual((await findings(crate(hostCrate({ "src/main.rs": main("    ret()") })), { only })).list, ["error[entry_point_returns] src/main.rs"]);
});

test("dependencies that are not downloaded: one note for the whole workspace", async () => {
  const dir = crate({
    "Cargo.toml": `[workspace]\nmembers = ["a", "b"]\nresolver = "2"\n${PROFILES}`,
    ".cargo/config.toml": BARE_CONFIG("x86_64-unknown-none"),
    "a/Cargo.toml": MANIFEST("a", '\n[dependencies]\nserde = "1"\n'),
    "a/src/lib.rs": "#![no_std]\n",
    "b/Cargo.toml": MANIFEST("b", '\n[dependencies]\nserde = "1"\n'),
    "b/src/lib.rs": "#![no_std]\n",
  });
  const { list } = await findings(dir, { only: ["dependency_requires_std"] });
  assert.deepEqual(list, ["info[dependency_requires_std] Cargo.toml"]);
});

test("check never waits on a network: dependencies to download and a proxy that never answers", async (t) => {
  // A proxy that accepts connections and says nothing: any attempt to reach a registry would hang on it.
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    sockets.forEach((s) => s.destroy());
    server.close();
  });
  const proxy = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const dir = crate({ ...hostCrate(), "Cargo.toml": HOST_MANIFEST("2021", '\n[dependencies]\nserde = "1"\nlog = "0.4"\n') });
  const env = { ...cleanEnv(), HTTPS_PROXY: proxy, HTTP_PROXY: proxy, CARGO_HTTP_PROXY: proxy, ALL_PROXY: proxy, CARGO_HTTP_TIMEOUT: "600", NO_COLOR: "1" };
  const r = spawnSync(process.execPath, [CLI, "check", dir], { encoding: "utf8", env, timeout: 60_000 });
  assert.equal(r.signal, null, "check finished on its own");
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /note\[dependency_requires_std\]: dependencies were not checked for `std`: `cargo metadata --offline` could not resolve them/);
  assert.equal(sockets.length, 0, "nothing connected to the proxy");
});
