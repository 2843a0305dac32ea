/**
 * Every piece of advice freestand gives that contains code or a command, followed as a user would follow it:
 * one row per fix or help line. Each row breaks a real crate (most start from what `freestand new` makes), shows
 * that freestand gives the advice, applies it — the fix through `check --fix`, a help line's code pasted where it
 * says, a command run exactly as printed — and then builds and, where the program can run here, runs it: on the
 * host and on a bare-metal target booted in QEMU. A suggestion that cannot be proven here is not in this table;
 * docs/advice.md lists those and why.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { scaffold } from "../../src/scaffold/index.js";
import type { Diagnostic } from "../../src/diagnostics/types.js";
import { PACKAGE_ROOT } from "../../src/version.js";
import { CLI, runCli, sh } from "../support/cli.js";
import { greeting, notReadyReason } from "../targets/support.js";
import { findTarget } from "../../src/targets/catalog.js";

const BARE = "thumbv7m-none-eabi";
const EXPLAIN = path.join(PACKAGE_ROOT, "test/fixtures/explain");

type Proof =
  /** `freestand run`: the exit code, and the greeting unless the row says otherwise. */
  | { run: number; greeting?: boolean; stderr?: RegExp }
  /** It builds (and, for programs, `freestand verify` accepts the ELF). */
  | { builds: true }
  /** Any other command run in the crate, with its expected exit code. */
  | { command: string[]; env?: NodeJS.ProcessEnv; code: number }
  /** `freestand build`, then the ELF's entry point is this symbol's address (not 0). */
  | { entry: string };

interface Row {
  name: string;
  target: "host" | typeof BARE;
  alloc?: boolean;
  /** Environment for every command of the row; `<fresh>` is replaced by a new empty directory. */
  env?: NodeJS.ProcessEnv;
  /** Breaks the crate (files relative to it). Rows that start from a fixture crate give `crate` instead. */
  setup?: (dir: string) => void;
  /** A crate under test/fixtures/explain/crates to start from instead of `freestand new`. */
  crate?: string;
  /** What freestand says about the broken crate: a check rule (its fix or help) or an explanation entry. */
  advice: { rule: string; target?: string } | { explain: string; cargo: string[]; env?: NodeJS.ProcessEnv; target?: string } | { verify: string };
  /** Applies the advice: "fix" runs `freestand check --fix --rule <rule>`; a function follows a help line. */
  apply: "fix" | ((dir: string, advice: Diagnostic, env: NodeJS.ProcessEnv) => void);
  proof: Proof;
}

function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), "utf8");
}
function edit(dir: string, file: string, find: string | RegExp, replace: string): void {
  const text = read(dir, file);
  const next = text.replace(find, replace);
  assert.notEqual(next, text, `${file} has ${String(find)}`);
  writeFileSync(path.join(dir, file), next);
}
/** The first backquoted span of a help line: the code or command freestand told the user to use. */
function quoted(help: string, pattern: RegExp): string {
  const all = [...help.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  const hit = all.find((q) => pattern.test(q));
  assert.ok(hit, `the help says ${pattern}: ${help}`);
  return hit;
}
/** A help line of the advice that matches. */
function helpLine(d: Diagnostic, pattern: RegExp): string {
  const h = (d.help ?? []).find((x) => pattern.test(x));
  assert.ok(h, `advice ${d.code} has a help line ${pattern}: ${JSON.stringify(d.help)}`);
  return h;
}
/** Runs a command exactly as a help line printed it (split on spaces: none of them quotes arguments). */
function runPrinted(command: string, cwd: string, env: NodeJS.ProcessEnv = {}): void {
  const [cmd, ...args] = command.split(/\s+/);
  const r = cmd === "freestand" ? runCli(args, { cwd, env }) : sh(cmd!, args, { cwd, env });
  assert.equal(r.code, 0, `${command}\n${r.stdout}${r.stderr}`);
}

const HOST_RUST_START = `#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    crate::main()
}
`;

const ROWS: Row[] = [
  // Fixes of check rules.
  { name: "missing_no_std adds #![no_std]", target: BARE, setup: (d) => edit(d, "src/main.rs", "#![no_std]\n", ""), advice: { rule: "missing_no_std" }, apply: "fix", proof: { run: 0 } },
  { name: "missing_no_main adds #![no_main] (host)", target: "host", setup: (d) => edit(d, "src/main.rs", "#![no_main]\n", ""), advice: { rule: "missing_no_main" }, apply: "fix", proof: { run: 0 } },
  { name: "missing_no_main adds #![no_main] (bare metal)", target: BARE, setup: (d) => edit(d, "src/main.rs", "#![no_main]\n", ""), advice: { rule: "missing_no_main" }, apply: "fix", proof: { run: 0 } },
  {
    name: "missing_panic_handler's handler ends a host program with 101",
    target: "host",
    setup: (d) => {
      edit(d, "src/main.rs", /\/\/\/ Every `no_std` binary[\s\S]*$/, "");
      edit(d, "src/main.rs", "    console::exit(0)\n", '    if answer == 42 {\n        panic!("deliberate");\n    }\n    console::exit(0)\n');
    },
    advice: { rule: "missing_panic_handler" },
    apply: "fix",
    proof: { run: 101 },
  },
  {
    name: "missing_panic_handler's handler parks a bare-metal core (and the program runs)",
    target: BARE,
    setup: (d) => edit(d, "src/main.rs", /\/\/\/ Every `no_std` binary[\s\S]*$/, ""),
    advice: { rule: "missing_panic_handler" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "missing_panic_handler's help: a panic crate linked with `use <crate> as _;` (a local one standing in for panic-halt)",
    target: "host",
    // panic-halt itself is on crates.io, out of reach here: a local crate of the same shape stands in for it.
    setup: (d) => edit(d, "src/main.rs", /\/\/\/ Every `no_std` binary[\s\S]*$/, ""),
    advice: { rule: "missing_panic_handler" },
    apply: (d, advice) => {
      const line = quoted(helpLine(advice, /use panic_halt as _;/), /^use panic_halt as _;$/);
      sh("mkdir", ["-p", path.join(d, "panic-halt/src")]);
      writeFileSync(path.join(d, "panic-halt/Cargo.toml"), '[package]\nname = "panic-halt"\nversion = "1.0.0"\nedition = "2021"\n');
      writeFileSync(path.join(d, "panic-halt/src/lib.rs"), "#![no_std]\n#[panic_handler]\nfn panic(_: &core::panic::PanicInfo) -> ! {\n    loop {}\n}\n");
      edit(d, "Cargo.toml", "[dependencies]\n", '[dependencies]\npanic-halt = { path = "panic-halt" }\n');
      writeFileSync(path.join(d, "src/main.rs"), `${read(d, "src/main.rs")}\n${line}\n`);
    },
    proof: { run: 0 },
  },
  {
    name: "panic_strategy_unwind adds panic = \"abort\" (host)",
    target: "host",
    setup: (d) => {
      edit(d, "Cargo.toml", /\[profile\.dev\]\npanic = "abort"\n/, "[profile.dev]\n");
      // The template also aborts through the rustflags (for test builds, where cargo ignores the profile).
      edit(d, ".cargo/config.toml", /\n {2}# Abort on panic in test builds too[^\n]*\n {2}"-C", "panic=abort",/, "");
    },
    advice: { rule: "panic_strategy_unwind" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "entry_point_stack_alignment writes the trampoline: the program stops crashing in float formatting",
    target: "host",
    setup: (d) => {
      // The tutorials' entry, in place of the template's assembly one.
      edit(d, "src/rt.rs", /global_asm!\([\s\S]*?\n\);\n/, "");
      edit(d, "src/rt.rs", /\/\/\/ The C-ABI bridge[\s\S]*?\n}\n/, HOST_RUST_START);
      edit(d, "src/rt.rs", "use core::arch::{asm, global_asm};", "use core::arch::asm;");
      const before = runCli(["run", d, "--timeout", "20"]);
      assert.equal(before.code, 139, `a Rust _start crashes (SIGSEGV) before the fix: ${before.stdout}${before.stderr}`);
    },
    advice: { rule: "entry_point_stack_alignment" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "entry_point_mangled exports the entry (bare metal, verify finds it)",
    target: BARE,
    crate: "entry-no-script",
    setup: (d) => {
      // The Cortex-M entry is `Reset` (link.x says ENTRY(Reset)); written without no_mangle, it is mangled.
      edit(d, "src/main.rs", "#[unsafe(no_mangle)]\npub extern \"C\" fn Reset", "pub extern \"C\" fn Reset");
      writeFileSync(path.join(d, ".cargo/config.toml"), `[build]\ntarget = "${BARE}"\n\n[target.${BARE}]\nrustflags = ["-C", "link-arg=-Tlink.x"]\n`);
    },
    advice: { rule: "entry_point_mangled", target: BARE },
    apply: "fix",
    proof: { entry: "Reset" },
  },
  {
    name: "unsafe_attribute wraps #[no_mangle] (edition 2024)",
    target: "host",
    setup: (d) => edit(d, "src/rt.rs", /#\[unsafe\(no_mangle\)\]\npub unsafe extern "C" fn memcpy/, '#[no_mangle]\npub unsafe extern "C" fn memcpy'),
    advice: { rule: "unsafe_attribute" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "unsafe_extern_block adds unsafe (edition 2024)",
    target: "host",
    setup: (d) => writeFileSync(path.join(d, "src/main.rs"), `${read(d, "src/main.rs")}\n#[allow(dead_code)]\nextern "C" {\n    fn helper();\n}\n`),
    advice: { rule: "unsafe_extern_block" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "std_macro writes alloc::format! (bare metal, with a heap)",
    target: BARE,
    alloc: true,
    setup: (d) => edit(d, "src/main.rs", 'let _ = write!(text, "squares {squares:?}, sum {sum}");', 'text = format!("squares {squares:?}, sum {sum}");'),
    advice: { rule: "std_macro" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "std_path rewrites std:: to core::",
    target: "host",
    setup: (d) => edit(d, "src/console.rs", "use core::fmt;", "use std::fmt;"),
    advice: { rule: "std_path" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "alloc_not_declared adds extern crate alloc (bare metal, with a heap)",
    target: BARE,
    alloc: true,
    setup: (d) => edit(d, "src/main.rs", "extern crate alloc;\n", ""),
    advice: { rule: "alloc_not_declared" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "alloc_without_global_allocator's help: the command it prints makes a crate whose heap allocates",
    target: BARE,
    setup: (d) => edit(d, "src/main.rs", "#![no_main]\n", "#![no_main]\nextern crate alloc;\n"),
    advice: { rule: "alloc_without_global_allocator" },
    apply: (d, advice, env) => {
      const cmd = quoted(helpLine(advice, /freestand new --alloc/), /^freestand new --alloc/);
      const fresh = path.join(path.dirname(d), "proof-heap");
      runPrinted(cmd.replace("<dir>", fresh), d, env);
      // The new crate is the proof: it is what the help says to start from.
      rmSync(d, { recursive: true, force: true });
      cpSync(fresh, d, { recursive: true });
      rmSync(fresh, { recursive: true, force: true });
    },
    proof: { run: 0, greeting: false },
  },
  {
    name: "unstable_feature_on_stable removes a stabilised #![feature]",
    target: "host",
    setup: (d) => edit(d, "src/main.rs", "#![no_main]\n", "#![no_main]\n#![feature(asm)]\n"),
    advice: { rule: "unstable_feature_on_stable" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "unstable_feature_on_stable's help: a nightly toolchain in rust-toolchain.toml accepts the feature",
    target: "host",
    setup: (d) => edit(d, "src/main.rs", "#![no_main]\n", "#![no_main]\n#![feature(lang_items)]\n"),
    advice: { rule: "unstable_feature_on_stable" },
    apply: (d, advice) => {
      const toml = quoted(helpLine(advice, /nightly/), /channel = "nightly"/);
      writeFileSync(path.join(d, "rust-toolchain.toml"), `${toml.replace(/`/g, "").replace(/^\[toolchain\] /, "[toolchain]\n")}\n`);
    },
    proof: { command: ["cargo", "build", "--offline"], code: 0 },
  },
  {
    name: "target_not_configured writes build.target",
    target: BARE,
    setup: (d) => {
      edit(d, ".cargo/config.toml", /\[build\][\s\S]*?target = "[^"]+"\n/, "");
      writeFileSync(path.join(d, "rust-toolchain.toml"), `[toolchain]\nchannel = "stable"\ntargets = ["${BARE}"]\n`);
    },
    advice: { rule: "target_not_configured" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "host_link_args_missing writes the link arguments",
    target: "host",
    setup: (d) => rmSync(path.join(d, ".cargo"), { recursive: true, force: true }),
    advice: { rule: "host_link_args_missing" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "missing_linker_script passes link.x again",
    target: BARE,
    setup: (d) => edit(d, ".cargo/config.toml", '  "-C", "link-arg=-Tlink.x",\n', ""),
    advice: { rule: "missing_linker_script" },
    apply: "fix",
    proof: { run: 0 },
  },
  {
    name: "test_harness_enabled: after the fix `cargo test` passes",
    target: "host",
    // Without `harness = false` the binary's tests would be built with libtest, which needs std.
    setup: (d) => edit(d, "Cargo.toml", /\nharness = false\n/, "\n"),
    advice: { rule: "test_harness_enabled" },
    apply: "fix",
    proof: { command: ["cargo", "test", "--offline"], code: 0 },
  },
  {
    // An empty sysroot cache stands for a machine where freestand has built none yet (a cold build: ~40 s).
    name: "target_not_installed's command, run as printed, gives the target its core",
    target: BARE,
    env: { FREESTAND_SYSROOT_DIR: "<fresh-shared>" },
    advice: { rule: "target_not_installed" },
    apply: (d, advice, env) => runPrinted(quoted(advice.help!.join(" "), /^freestand sysroot --target /), d, env),
    proof: { run: 0 },
  },
  {
    // The compiler plain cargo runs (rustup's) has no core for the target here; the one command the help prints
    // builds with the compiler and sysroot `freestand build` uses — and what it builds boots.
    name: "target_not_installed: the plain-cargo command, run as printed in a shell, builds a binary that boots",
    target: BARE,
    advice: { rule: "target_not_installed" },
    apply: (d, advice, env) => {
      const command = quoted(helpLine(advice, /plain cargo/), / cargo build$/);
      const r = sh("bash", ["-c", command], { cwd: d, env });
      assert.equal(r.code, 0, `${command}\n${r.stdout}${r.stderr}`);
    },
    proof: { command: ["sh", "-c", `"${process.execPath}" "${CLI}" run "target/${BARE}/debug/$(basename "$PWD")" --timeout 30`], code: 0 },
  },
  // Help lines of explanations, on the crates that provoked them.
  {
    name: "explain_undefined_mem_functions: the page's functions link and run",
    target: "host",
    crate: "undefined-mem",
    advice: { explain: "explain_undefined_mem_functions", cargo: ["build", "--offline"] },
    apply: (d) => {
      const page = runCli(["explain", "explain_undefined_mem_functions"]).stdout;
      const code = /```rust\n([\s\S]*?)```/.exec(page)![1]!;
      const stubs = "#[unsafe(no_mangle)]\npub extern \"C\" fn rust_eh_personality() {}\n";
      writeFileSync(path.join(d, "src/main.rs"), `${read(d, "src/main.rs")}\n${code}\n${stubs}`);
    },
    proof: { command: ["cargo", "run", "--release", "--offline"], code: 0 },
  },
  {
    name: "explain_undefined_unwind_symbols: the page's stubs link and run",
    target: "host",
    crate: "eh-personality",
    advice: { explain: "explain_undefined_unwind_symbols", cargo: ["build", "--offline"] },
    apply: (d) => {
      const page = runCli(["explain", "explain_undefined_unwind_symbols"]).stdout;
      const code = /```rust\n([\s\S]*?)```/.exec(page)![1]!;
      writeFileSync(path.join(d, "src/main.rs"), `${read(d, "src/main.rs")}\n${code}`);
    },
    proof: { builds: true },
  },
  {
    name: "explain_std_macro: #[macro_use] on the module that defines the crate's own println!",
    target: "host",
    crate: "macro-use-missing",
    advice: { explain: "explain_std_macro", cargo: ["check", "--offline"] },
    apply: (d, advice) => {
      assert.match(helpLine(advice, /#\[macro_use\]/), /declare that module before the ones that use it/);
      edit(d, "src/main.rs", "mod print;\n", "#[macro_use]\nmod print;\n");
    },
    // The crate is about scope, not linking: it compiles now.
    proof: { command: ["cargo", "check", "--offline"], code: 0 },
  },
  {
    name: "explain_e0580_no_main: #![no_main] lets the C runtime call the C main",
    target: "host",
    crate: "e0580-main-type",
    advice: { explain: "explain_e0580_no_main", cargo: ["build", "--offline"] },
    apply: (d, advice) => {
      edit(d, "src/main.rs", "#![no_std]\n", "#![no_std]\n#![no_main]\n");
      const link = quoted(helpLine(advice, /libc/), /^#\[link\(name = "c"\)\]/);
      writeFileSync(path.join(d, "src/main.rs"), `${read(d, "src/main.rs")}\n${link}\n`);
    },
    proof: { command: ["cargo", "run", "--offline"], code: 0 },
  },
  {
    name: "explain_missing_entry_symbol on bare metal: pass the linker script as its help says",
    target: BARE,
    crate: "entry-no-script",
    // Built as provoke.sh did: Debian's rustc with its thumbv7m sysroot, linked by ld.lld, linker warnings shown.
    advice: { explain: "explain_missing_entry_symbol", cargo: ["build", "--offline"], env: { RUSTC: "/usr/bin/rustc", RUSTFLAGS: "--sysroot <sysroot> -C linker=ld.lld -W linker-messages" }, target: BARE },
    apply: (d, advice) => {
      const flag = quoted(helpLine(advice, /-Tlink\.x/), /link-arg=-Tlink\.x/);
      writeFileSync(path.join(d, ".cargo/config.toml"), `[build]\ntarget = "${BARE}"\n\n[target.${BARE}]\nrustflags = [${flag}]\n`);
    },
    proof: { entry: "Reset" },
  },
  {
    name: "panic_handler_signature's help: `fn panic(info: &core::panic::PanicInfo) -> !` ending in a loop",
    target: "host",
    setup: (d) => {
      edit(d, "src/main.rs", "fn panic(info: &PanicInfo) -> ! {", "fn panic(info: &PanicInfo) {");
      edit(d, "src/main.rs", "    eprintln!(\"{info}\");\n    console::exit(101)\n}", "    eprintln!(\"{info}\");\n}");
    },
    advice: { rule: "panic_handler_signature" },
    apply: (d, advice) => {
      const sig = quoted(helpLine(advice, /-> !/), /^fn panic\(info: &core::panic::PanicInfo\) -> !$/);
      edit(d, "src/main.rs", "fn panic(info: &PanicInfo) {", `${sig} {`);
      edit(d, "src/main.rs", "    eprintln!(\"{info}\");\n}", "    eprintln!(\"{info}\");\n    loop {}\n}");
    },
    proof: { run: 0 },
  },
  {
    name: "entry_point_returns's help: declare the entry `-> !` and end it in an endless loop (bare metal)",
    target: BARE,
    crate: "entry-no-script",
    setup: (d) => {
      edit(d, "src/main.rs", "pub extern \"C\" fn Reset() -> ! {\n    loop {}\n}", "pub extern \"C\" fn Reset() {}");
      writeFileSync(path.join(d, ".cargo/config.toml"), `[build]\ntarget = "${BARE}"\n\n[target.${BARE}]\nrustflags = ["-C", "link-arg=-Tlink.x"]\n`);
    },
    advice: { rule: "entry_point_returns", target: BARE },
    apply: (d, advice) => {
      assert.match(helpLine(advice, /-> !/), /endless loop/);
      edit(d, "src/main.rs", "pub extern \"C\" fn Reset() {}", "pub extern \"C\" fn Reset() -> ! {\n    loop {}\n}");
    },
    proof: { entry: "Reset" },
  },
  {
    name: "explain_e0514_incompatible_rustc: building with the compiler that made the sysroot",
    target: BARE,
    crate: "e0463-core",
    advice: { explain: "explain_e0514_incompatible_rustc", cargo: ["build", "--offline"], env: { RUSTUP_TOOLCHAIN: "stable", RUSTFLAGS: "--sysroot <sysroot>" }, target: BARE },
    apply: (_d, advice) => assert.match(quoted(advice.help!.join(" "), /^RUSTC=/), /^RUSTC=<path of rustc 1\.96\.0 [^>]*> cargo build$/),
    // The help names the compiler by version: Debian's rustc-web here.
    proof: { command: ["cargo", "build", "--offline"], env: { RUSTC: "/usr/bin/rustc", RUSTFLAGS: "--sysroot <sysroot>" }, code: 0 },
  },
  {
    name: "explain_rust_lld_not_found: `-C linker=ld.lld` links with Debian's lld",
    target: BARE,
    crate: "e0463-core",
    advice: { explain: "explain_rust_lld_not_found", cargo: ["build", "--offline"], env: { RUSTC: "/usr/bin/rustc", RUSTFLAGS: "--sysroot <sysroot-without-lld>" }, target: BARE },
    apply: (_d, advice) => assert.match(quoted(helpLine(advice, /ld\.lld/), /^-C linker=ld\.lld$/), /ld\.lld/),
    proof: { command: ["cargo", "build", "--offline"], env: { RUSTC: "/usr/bin/rustc", RUSTFLAGS: "--sysroot <sysroot-without-lld> -C linker=ld.lld" }, code: 0 },
  },
  {
    name: "explain_z_flag_on_stable: the printed `freestand sysroot --target` instead of -Zbuild-std",
    target: BARE,
    env: { FREESTAND_SYSROOT_DIR: "<fresh-shared>" },
    advice: { explain: "explain_z_flag_on_stable", cargo: ["build", "-Zbuild-std=core", "--offline"] },
    apply: (d, advice, env) => runPrinted(quoted(helpLine(advice, /freestand sysroot/), /^freestand sysroot --target /).replace("<target>", BARE), d, env),
    proof: { run: 0 },
  },
  {
    name: "explain_undefined_linker_script_symbol: the symbol definitions its help shows",
    target: BARE,
    crate: "linker-script-symbols",
    advice: { explain: "explain_undefined_linker_script_symbol", cargo: ["build", "--offline"], env: { RUSTC: "/usr/bin/rustc", RUSTFLAGS: "--sysroot <sysroot> -C link-arg=-Tlink.x" }, target: BARE },
    apply: (d, advice) => {
      const defs = quoted(helpLine(advice, /_sbss = /), /_sbss = ADDR\(\.bss\)/);
      writeFileSync(path.join(d, "link.x"), `${read(d, "link.x")}\n${defs}\n`);
    },
    proof: { command: ["cargo", "build", "--offline"], env: { RUSTC: "/usr/bin/rustc", RUSTFLAGS: "--sysroot <sysroot> -C link-arg=-Tlink.x" }, code: 0 },
  },
  {
    name: "explain_duplicate_start: the link arguments its help names",
    target: "host",
    crate: "duplicate-start",
    advice: { explain: "explain_duplicate_start", cargo: ["build", "--offline"] },
    apply: (d, advice) => {
      const help = helpLine(advice, /nostartfiles/);
      assert.match(help, /`-C link-arg=-nostartfiles` \(with `-nostdlib -static`\)/);
      sh("mkdir", ["-p", path.join(d, ".cargo")]);
      writeFileSync(path.join(d, ".cargo/config.toml"), '[target.x86_64-unknown-linux-gnu]\nrustflags = ["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static"]\n');
    },
    proof: { command: ["cargo", "build", "--offline"], code: 0 },
  },
  // Help lines of verify.
  {
    name: "verify_file_type's help on a static-PIE: `-C relocation-model=static` and `-C link-arg=-static`",
    target: "host",
    setup: (d) => {
      edit(d, ".cargo/config.toml", '  "-C", "link-arg=-static",\n', '  "-C", "link-arg=-static-pie",\n');
      edit(d, ".cargo/config.toml", '  "-C", "relocation-model=static",\n', "");
    },
    advice: { verify: "verify_file_type" },
    apply: (d, advice) => {
      const help = helpLine(advice, /relocation-model=static/);
      const flags = [quoted(help, /relocation-model=static/), quoted(help, /link-arg=-static$/)].flatMap((f) => f.split(" "));
      edit(d, ".cargo/config.toml", '  "-C", "link-arg=-static-pie",\n', `${flags.map((f) => JSON.stringify(f)).join(", ")},\n`);
    },
    proof: { run: 0 },
  },
  {
    name: "verify_entry_point's help on the host: the printed `freestand check --fix` writes the trampoline",
    target: "host",
    setup: (d) => {
      edit(d, "src/rt.rs", /global_asm!\([\s\S]*?\n\);\n/, "");
      edit(d, "src/rt.rs", /\/\/\/ The C-ABI bridge[\s\S]*?\n}\n/, 'pub extern "C" fn _start() -> ! {\n    crate::main()\n}\n');
      edit(d, "src/rt.rs", "use core::arch::{asm, global_asm};", "use core::arch::asm;");
    },
    advice: { verify: "verify_entry_point" },
    apply: (d, advice) => runPrinted(quoted(helpLine(advice, /freestand check --fix/), /^freestand check --fix$/), d),
    proof: { run: 0 },
  },
  {
    name: "verify_entry_point's help when the entry exists at address 0: pass the linker script",
    target: BARE,
    crate: "entry-no-script",
    advice: { verify: "verify_entry_point" },
    apply: (d, advice) => {
      const flag = quoted(helpLine(advice, /link-arg=-T/), /link-arg=-T<script>/).replace("<script>", "link.x");
      writeFileSync(path.join(d, ".cargo/config.toml"), `[build]\ntarget = "${BARE}"\n\n[target.${BARE}]\nrustflags = [${flag}]\n`);
    },
    proof: { entry: "Reset" },
  },
];

/** A crate for a row: what `freestand new` makes for the row's target (or a fixture crate), in a fresh directory. */
async function crateFor(row: Row): Promise<string> {
  const parent = mkdtempSync(path.join(os.tmpdir(), "freestand-proof-"));
  const dir = path.join(parent, "proof");
  if (row.crate) {
    cpSync(path.join(EXPLAIN, "crates", row.crate), dir, { recursive: true });
    if (row.target === BARE && !existsSync(path.join(dir, ".cargo/config.toml"))) {
      sh("mkdir", ["-p", path.join(dir, ".cargo")]);
      writeFileSync(path.join(dir, ".cargo/config.toml"), `[build]\ntarget = "${BARE}"\n`);
    }
  } else {
    await scaffold({ dir, target: row.target, edition: "2024", alloc: row.alloc ?? false });
  }
  return dir;
}

/** The sysroot freestand built for Debian's rustc (what provoke.sh hands rustc-web for thumbv7m). */
async function rustcWebSysroot(): Promise<string | undefined> {
  const { cachedEntriesFor, defaultSysrootRoot } = await import("../../src/toolchain/cache.js");
  const entries = await cachedEntriesFor(defaultSysrootRoot(process.env), BARE);
  return entries.find((e) => /\b1\.96\./.test(e.manifest.rustc.verbose ?? ""))?.sysroot;
}

let shared: string | undefined;
/** One empty sysroot cache for the rows that start from none (the first builds it, the next finds it). */
function sharedFresh(): string {
  if (!shared) {
    shared = mkdtempSync(path.join(os.tmpdir(), "freestand-proof-sysroots-"));
    after(() => rmSync(shared!, { recursive: true, force: true }));
  }
  return shared;
}

/** The environment of a row's commands, placeholders filled in. */
async function rowEnv(env: NodeJS.ProcessEnv | undefined, parent: string): Promise<NodeJS.ProcessEnv> {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env ?? {})) {
    if (v === "<fresh>") out[k] = mkdtempSync(path.join(parent, "fresh-"));
    else if (v === "<fresh-shared>") out[k] = sharedFresh();
    else if (v?.includes("<sysroot-without-lld>")) {
      // The same libraries without the rust-lld freestand puts beside them: a distribution's compiler as shipped.
      const sysroot = await rustcWebSysroot();
      assert.ok(sysroot, "a sysroot for rustc-web (scripts/ensure-env.sh builds it)");
      const bare = mkdtempSync(path.join(parent, "sysroot-"));
      cpSync(path.join(sysroot, "lib/rustlib", BARE), path.join(bare, "lib/rustlib", BARE), { recursive: true });
      out[k] = v.replace("<sysroot-without-lld>", bare);
    } else if (v?.includes("<sysroot>")) {
      const sysroot = await rustcWebSysroot();
      assert.ok(sysroot, "a sysroot for rustc-web (scripts/ensure-env.sh builds it)");
      out[k] = v.replace("<sysroot>", sysroot);
    } else out[k] = v;
  }
  return out;
}

/** What freestand says about the broken crate: the check finding of the row's rule, or the explanation. */
async function adviceOf(row: Row, dir: string, env: NodeJS.ProcessEnv): Promise<Diagnostic> {
  if ("rule" in row.advice) {
    const r = runCli(["check", dir, "--format", "json", ...(row.advice.target ? ["--target", row.advice.target] : [])], { env });
    const found = (JSON.parse(r.stdout).diagnostics as Diagnostic[]).find((d) => d.code === (row.advice as { rule: string }).rule);
    assert.ok(found, `check reports ${row.advice.rule}: ${r.stdout}`);
    return found;
  }
  if ("explain" in row.advice) {
    const a = row.advice;
    const out = sh("cargo", a.cargo, { cwd: dir, env: { ...env, ...(await rowEnv(a.env, path.dirname(dir))) } });
    const log = path.join(dir, "build.log");
    writeFileSync(log, out.stderr);
    const r = runCli(["explain", log, "--format", "json", "--root", dir, ...(a.target ? ["--target", a.target] : [])], { env });
    const found = (JSON.parse(r.stdout).diagnostics as Diagnostic[]).find((d) => d.code === a.explain);
    assert.ok(found, `explain finds ${a.explain} in:\n${out.stderr}`);
    return found;
  }
  if ("verify" in row.advice) {
    const code = row.advice.verify;
    // freestand build finds the core (a sysroot of its own for bare metal); its verdict is what the row is about.
    const b = runCli(["build", dir], { env });
    assert.match(`${b.stdout}${b.stderr}`, /Built binary|Finished/, b.stderr);
    const name = /^name = "([^"]+)"/m.exec(read(dir, "Cargo.toml"))![1]!;
    const elf = path.join(dir, "target", row.target === "host" ? "x86_64-unknown-linux-gnu" : row.target, "debug", name);
    const r = runCli(["verify", existsSync(elf) ? elf : path.join(dir, "target/debug", name), "--format", "json"], { env });
    const found = (JSON.parse(r.stdout).diagnostics as Diagnostic[]).find((d) => d.code === code);
    assert.ok(found, `verify reports ${code}: ${r.stdout}`);
    return found;
  }
  throw new Error("unknown advice");
}

async function prove(row: Row, dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const p = row.proof;
  if ("run" in p) {
    const r = runCli(["run", dir, "--timeout", "30"], { env });
    assert.equal(r.code, p.run, `freestand run: ${r.stdout}${r.stderr}`);
    const name = path.basename(dir);
    const triple = row.target === "host" ? findTarget("host")!.triple : row.target;
    if (p.run === 0 && p.greeting !== false) assert.ok(r.stdout.startsWith(greeting(name, triple)), r.stdout);
    return;
  }
  if ("builds" in p) {
    const b = runCli(["build", dir], { env });
    assert.equal(b.code, 0, `freestand build (builds and verifies): ${b.stdout}${b.stderr}`);
    return;
  }
  if ("entry" in p) {
    runCli(["build", dir], { env });
    const { withElf } = await import("../../src/elf/index.js");
    const name = /^name = "([^"]+)"/m.exec(read(dir, "Cargo.toml"))![1]!;
    const elfFile = path.join(dir, "target", row.target === "host" ? "" : row.target, "debug", name);
    await withElf(elfFile, (elf) => {
      const sym = [...elf.symbols("symtab")].find((x) => x.name === p.entry);
      assert.ok(sym && sym.value !== 0n, `${p.entry} is defined`);
      assert.equal(elf.header.entry, sym.value, `the entry point is ${p.entry}`);
    });
    return;
  }
  const r = sh(p.command[0]!, p.command.slice(1), { cwd: dir, env: { ...env, ...(await rowEnv(p.env, path.dirname(dir))) } });
  assert.equal(r.code, p.code, `${p.command.join(" ")}: ${r.stdout}${r.stderr}`);
}

for (const row of ROWS) {
  test(`advice proven: ${row.name}`, async (t) => {
    if (row.target === BARE) {
      const why = notReadyReason(findTarget(BARE)!);
      if (why) return t.skip(why);
    }
    const dir = await crateFor(row);
    t.after(() => rmSync(path.dirname(dir), { recursive: true, force: true }));
    const env = await rowEnv(row.env, path.dirname(dir));
    row.setup?.(dir);
    const advice = await adviceOf(row, dir, env);
    if (row.apply === "fix") {
      assert.ok(advice.fix, `${advice.code} offers a fix`);
      const f = runCli(["check", dir, "--fix", "--rule", advice.code, ...("rule" in row.advice && row.advice.target ? ["--target", row.advice.target] : [])], { env });
      assert.match(f.stdout, new RegExp(`^fixed\\[${advice.code}\\]`, "m"), f.stdout + f.stderr);
    } else row.apply(dir, advice, env);
    await prove(row, dir, env);
  });
}
