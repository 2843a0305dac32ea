import { test } from "node:test";
import { vscodeSettings } from "../../src/templates/editor-settings.js";
import assert from "node:assert/strict";
import path from "node:path";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { check, fix } from "../../src/check/index.js";
import type { Severity } from "../../src/diagnostics/types.js";
import type { ToolchainInfo } from "../../src/crate/toolchain.js";
import { cargoBuild, cleanEnv, hasCargo, hostCrate, HOST_MAIN, HOST_MANIFEST, readCrate, removeCrate, RUST_ENTRY_MAIN, stableToolchain, writeCrate, type Files } from "./harness.js";

/**
 * Table-driven rule tests in the manner of ESLint's RuleTester: each case is a small crate written to a temporary
 * directory, the rule's findings (file and the exact source text under the span), and for fixable cases the
 * exact text of every changed file after `--fix`, which must also be idempotent and — for host crates — build.
 */
interface Case {
  name: string;
  rule: string;
  files: Files;
  target?: string;
  toolchain?: ToolchainInfo;
  /** [file, text under the span (null: no span), severity (default: the rule's)]. Empty: the crate is valid. */
  findings: [string, string | null, Severity?][];
  /** Exact content of these files after the fix. */
  output?: Files;
  /** The fixed crate builds with the host cargo. */
  builds?: boolean;
}

/** What the entry_point_stack_alignment fix writes in front of the entry function. */
const TRAMPOLINE = `// Linux enters \`_start\` with the stack pointer aligned to 16 bytes; Rust code expects it 8 bytes off (as if a
// \`call\` had pushed a return address). This trampoline aligns it and calls into Rust.
core::arch::global_asm!(
    ".globl _start",
    "_start:",
    "    xor ebp, ebp",
    "    and rsp, -16",
    "    call {entry}",
    "    ud2",
    entry = sym rust_start,
);
`;

const MAIN_NO_HANDLER = `#![no_std]
#![no_main]

#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    loop {}
}
`;

const cases: Case[] = [
  // missing_no_std
  {
    name: "a crate root without #![no_std] gets it after its inner docs (a target without std)",
    rule: "missing_no_std",
    target: "x86_64-unknown-none",
    files: hostCrate({ "src/main.rs": `//! Demo firmware.\n//! Second line.\n${HOST_MAIN.replace("#![no_std]\n", "")}` }),
    findings: [["src/main.rs", ""]],
    output: { "src/main.rs": `//! Demo firmware.\n//! Second line.\n${HOST_MAIN}` },
  },
  { name: "on the host, a no_main binary without no_std links std and builds: not an error", rule: "missing_no_std", files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_std]\n", "") }), findings: [] },
  { name: "cfg_attr(not(test), no_std) counts", rule: "missing_no_std", files: { "Cargo.toml": '[package]\nname = "l"\nversion = "0.1.0"\nedition = "2021"\n', "src/lib.rs": "#![cfg_attr(not(test), no_std)]\npub fn f() {}\n" }, findings: [] },
  { name: "cfg_attr(not(feature = \"std\"), no_std) counts", rule: "missing_no_std", files: { "Cargo.toml": '[package]\nname = "l"\nversion = "0.1.0"\nedition = "2021"\n', "src/lib.rs": '#![cfg_attr(not(feature = "std"), no_std)]\npub fn f() {}\n' }, findings: [] },
  // missing_no_main
  {
    name: "#![no_main] is added after #![no_std]",
    rule: "missing_no_main",
    files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "") }),
    findings: [["src/main.rs", "#![no_std]"]],
    output: { "src/main.rs": HOST_MAIN },
    builds: true,
  },
  { name: "a binary with #![no_main] is fine", rule: "missing_no_main", files: hostCrate(), findings: [] },
  // missing_panic_handler
  {
    name: "a minimal panic handler is appended to the crate root",
    rule: "missing_panic_handler",
    files: hostCrate({ "src/main.rs": MAIN_NO_HANDLER }),
    findings: [["src/main.rs", "#![no_std]"]],
    output: {
      "src/main.rs": `${MAIN_NO_HANDLER}
/// Called on \`panic!\`: without std nothing unwinds or prints, so the process ends with status 101, as a Rust
/// program's panic would. Print \`_info\` (its \`Display\` has the message and place) through your console first
/// to see why.
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    // SAFETY: exit_group(101) ends the process; it takes no memory and never returns.
    unsafe {
        core::arch::asm!("syscall", in("rax") 231, in("rdi") 101, options(noreturn));
    }
}
`,
    },
    builds: true,
  },
  { name: "a panic crate among the dependencies provides the handler", rule: "missing_panic_handler", files: hostCrate({ "Cargo.toml": HOST_MANIFEST("2021", '\n[dependencies]\npanic-halt = "1"\n'), "src/main.rs": `${MAIN_NO_HANDLER}use panic_halt as _;\n` }), findings: [] },
  {
    name: "the package library's handler serves its binary",
    rule: "missing_panic_handler",
    files: hostCrate({ "src/main.rs": `${MAIN_NO_HANDLER}use demo as _;\n`, "src/lib.rs": "#![no_std]\n#[panic_handler]\nfn panic(_i: &core::panic::PanicInfo) -> ! { loop {} }\n" }),
    findings: [],
  },
  {
    name: "a library the binary never names is not linked: its handler does not count",
    rule: "missing_panic_handler",
    files: hostCrate({ "src/main.rs": MAIN_NO_HANDLER, "src/lib.rs": "#![no_std]\n#[panic_handler]\nfn panic(_i: &core::panic::PanicInfo) -> ! { loop {} }\n" }),
    findings: [["src/main.rs", "#![no_std]"]],
  },
  // duplicate_panic_handler
  {
    name: "a second handler in a module is reported",
    rule: "duplicate_panic_handler",
    files: hostCrate({ "src/main.rs": `${HOST_MAIN}mod other;\n`, "src/other.rs": "#[panic_handler]\nfn again(_i: &core::panic::PanicInfo) -> ! { loop {} }\n" }),
    findings: [["src/other.rs", "#[panic_handler]"]],
  },
  {
    name: "handlers behind different cfgs are alternatives",
    rule: "duplicate_panic_handler",
    files: hostCrate({ "src/main.rs": `${MAIN_NO_HANDLER}#[cfg(feature = "a")]\n#[panic_handler]\nfn p1(_i: &core::panic::PanicInfo) -> ! { loop {} }\n#[cfg(not(feature = "a"))]\n#[panic_handler]\nfn p2(_i: &core::panic::PanicInfo) -> ! { loop {} }\n` }),
    findings: [],
  },
  // panic_handler_signature
  {
    name: "a handler that returns () is reported on its signature",
    rule: "panic_handler_signature",
    files: hostCrate({ "src/main.rs": HOST_MAIN.replace("fn panic(_info: &core::panic::PanicInfo) -> ! {", "fn panic(_info: &core::panic::PanicInfo) {") }),
    findings: [["src/main.rs", "fn panic(_info: &core::panic::PanicInfo) "]],
  },
  { name: "PanicInfo imported by name is fine", rule: "panic_handler_signature", files: hostCrate({ "src/main.rs": HOST_MAIN.replace("&core::panic::PanicInfo", "&PanicInfo").replace("#![no_main]\n", "#![no_main]\nuse core::panic::PanicInfo;\n") }), findings: [] },
  // panic_strategy_unwind
  {
    name: "missing profiles are appended on a host target",
    rule: "panic_strategy_unwind",
    files: hostCrate({ "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[[bin]]\nname = "demo"\npath = "src/main.rs"\ntest = false\nbench = false\n' }),
    findings: [["Cargo.toml", null, "error"]],
    output: { "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[[bin]]\nname = "demo"\npath = "src/main.rs"\ntest = false\nbench = false\n\n[profile.dev]\npanic = "abort"\n\n[profile.release]\npanic = "abort"\n' },
    builds: true,
  },
  {
    name: "an explicit unwind is replaced and an existing table is extended, comments kept",
    rule: "panic_strategy_unwind",
    files: hostCrate({ "Cargo.toml": HOST_MANIFEST().replace('[profile.dev]\npanic = "abort"', '[profile.dev]\npanic = "unwind" # why not').replace('[profile.release]\npanic = "abort"', "[profile.release]\nopt-level = \"s\"") }),
    findings: [["Cargo.toml", 'panic = "unwind"', "error"]],
    output: { "Cargo.toml": HOST_MANIFEST().replace('[profile.dev]\npanic = "abort"', '[profile.dev]\npanic = "abort" # why not').replace('[profile.release]\npanic = "abort"', '[profile.release]\nopt-level = "s"\npanic = "abort"') },
    builds: true,
  },
  {
    name: "a key added to a table whose last line has a trailing comment goes after that comment's line",
    rule: "panic_strategy_unwind",
    files: hostCrate({ "Cargo.toml": HOST_MANIFEST().replace('[profile.release]\npanic = "abort"', "[profile.release]\nopt-level = 1 # keep it fast") }),
    findings: [["Cargo.toml", "profile.release", "error"]],
    output: { "Cargo.toml": HOST_MANIFEST().replace('[profile.release]\npanic = "abort"', '[profile.release]\nopt-level = 1 # keep it fast\npanic = "abort"') },
    builds: true,
  },
  {
    name: "on a bare-metal target the missing profiles are only a note",
    rule: "panic_strategy_unwind",
    target: "thumbv7m-none-eabi",
    files: hostCrate({ "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n' }),
    findings: [["Cargo.toml", null, "info"]],
  },
  // entry_point_mangled: on the x86_64 host a Rust `_start` is wrong altogether (entry_point_stack_alignment), so
  // these run for x86_64-unknown-none, where it is the usual entry.
  {
    name: "a mangled _start gets #[unsafe(no_mangle)] on Rust >= 1.82",
    rule: "entry_point_mangled",
    target: "x86_64-unknown-none",
    files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN.replace("#[unsafe(no_mangle)]\n", "") }),
    findings: [["src/main.rs", "_start"]],
    output: { "src/main.rs": RUST_ENTRY_MAIN },
    builds: true,
  },
  {
    name: "on an old compiler and edition 2021 the fix is #[no_mangle]",
    rule: "entry_point_mangled",
    target: "x86_64-unknown-none",
    toolchain: stableToolchain([1, 80, 0]),
    files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN.replace("#[unsafe(no_mangle)]\n", "") }),
    findings: [["src/main.rs", "_start"]],
    output: { "src/main.rs": RUST_ENTRY_MAIN.replace("#[unsafe(no_mangle)]", "#[no_mangle]") },
  },
  { name: "export_name = \"_start\" is an entry too", rule: "entry_point_mangled", target: "x86_64-unknown-none", files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN.replace('#[unsafe(no_mangle)]\npub extern "C" fn _start()', '#[unsafe(export_name = "_start")]\npub extern "C" fn entry()') }), findings: [] },
  { name: "on the x86_64 host it leaves the entry to entry_point_stack_alignment", rule: "entry_point_mangled", files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN.replace("#[unsafe(no_mangle)]\n", "") }), findings: [] },
  // entry_point_stack_alignment
  {
    name: "a Rust _start on x86_64 Linux becomes rust_start behind a trampoline",
    rule: "entry_point_stack_alignment",
    files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN }),
    findings: [["src/main.rs", "_start"]],
    output: {
      "src/main.rs": RUST_ENTRY_MAIN.replace(
        '#[unsafe(no_mangle)]\npub extern "C" fn _start()',
        `${TRAMPOLINE}pub extern "C" fn rust_start()`,
      ),
    },
    builds: true,
  },
  {
    name: "a mangled Rust _start gets the trampoline too (exporting it would only lead to the crash)",
    rule: "entry_point_stack_alignment",
    files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN.replace("#[unsafe(no_mangle)]\n", "") }),
    findings: [["src/main.rs", "_start"]],
    output: { "src/main.rs": RUST_ENTRY_MAIN.replace('#[unsafe(no_mangle)]\npub extern "C" fn _start()', `${TRAMPOLINE}pub extern "C" fn rust_start()`) },
    builds: true,
  },
  { name: "the template's assembly entry is right", rule: "entry_point_stack_alignment", files: hostCrate(), findings: [] },
  { name: "a Rust _start is right on a bare-metal target", rule: "entry_point_stack_alignment", target: "x86_64-unknown-none", files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN }), findings: [] },
  // entry_point_abi
  {
    name: "extern \"C\" is inserted before fn",
    rule: "entry_point_abi",
    files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN.replace('pub extern "C" fn _start', "pub fn _start") }),
    findings: [["src/main.rs", "_start"]],
    output: { "src/main.rs": RUST_ENTRY_MAIN },
    builds: true,
  },
  // entry_point_returns
  { name: "an entry that can return", rule: "entry_point_returns", files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN.replace('fn _start() -> ! {\n    loop {}\n}', "fn _start() {}") }), findings: [["src/main.rs", "_start()"]] },
  { name: "an entry that returns !", rule: "entry_point_returns", files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN }), findings: [] },
  // unsafe_attribute
  {
    name: "edition 2024 wraps no_mangle and link_section",
    rule: "unsafe_attribute",
    files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN.replace("#[unsafe(no_mangle)]", "#[no_mangle]").replace("#[panic_handler]", '#[link_section = ".text.panic"]\n#[panic_handler]') }, "2024"),
    findings: [["src/main.rs", "#[no_mangle]"], ["src/main.rs", '#[link_section = ".text.panic"]']],
    output: { "src/main.rs": RUST_ENTRY_MAIN.replace("#[panic_handler]", '#[unsafe(link_section = ".text.panic")]\n#[panic_handler]') },
    builds: true,
  },
  { name: "edition 2021 accepts #[no_mangle]", rule: "unsafe_attribute", files: hostCrate({ "src/main.rs": RUST_ENTRY_MAIN.replace("#[unsafe(no_mangle)]", "#[no_mangle]") }), findings: [] },
  {
    name: "edition-2024 unsafe extern blocks (an ERROR node for the grammar) cause no false findings",
    rule: "unsafe_attribute",
    files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", '#![no_main]\n\nunsafe extern "C" {\n    safe fn abs(x: i32) -> i32;\n    pub safe static errno: i32;\n}\n') }, "2024"),
    findings: [],
  },
  // A module compiled into two units (the library and the binary) is one place in the code: reported once.
  {
    name: "a module shared by the library and the binary is reported once",
    rule: "std_macro",
    files: hostCrate({
      "src/main.rs": `${HOST_MAIN}#[path = "shared.rs"]\nmod shared;\n`,
      "src/lib.rs": '#![no_std]\n#[path = "shared.rs"]\nmod shared;\n',
      "src/shared.rs": 'pub fn f() {\n    println!("x");\n}\n',
    }),
    findings: [["src/shared.rs", "println!"]],
  },
  {
    name: "a std path in a module shared by two units is reported once",
    rule: "std_path",
    files: hostCrate({
      "src/main.rs": `${HOST_MAIN}#[path = "shared.rs"]\nmod shared;\n`,
      "src/lib.rs": '#![no_std]\n#[path = "shared.rs"]\nmod shared;\n',
      "src/shared.rs": "pub fn f() -> std::fmt::Result {\n    Ok(())\n}\n",
    }),
    findings: [["src/shared.rs", "std"]],
  },
  // std_macro
  { name: "println! in a no_std crate", rule: "std_macro", files: hostCrate({ "src/main.rs": HOST_MAIN.replace("    loop {}\n}\n\n#[panic", '    println!("hi");\n    loop {}\n}\n\n#[panic') }), findings: [["src/main.rs", "println!"]] },
  { name: "a crate's own println! macro", rule: "std_macro", files: hostCrate({ "src/main.rs": HOST_MAIN.replace("    loop {}\n}\n\n#[panic", '    println!("hi");\n    loop {}\n}\n\nmacro_rules! println { ($($t:tt)*) => {} }\n\n#[panic') }), findings: [] },
  { name: "println! in a #[cfg(test)] module", rule: "std_macro", files: hostCrate({ "src/main.rs": `${HOST_MAIN}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { println!("x"); }\n}\n` }), findings: [] },
  {
    name: "format! becomes alloc::format! when alloc is declared",
    rule: "std_macro",
    files: hostCrate({ "src/main.rs": `${HOST_MAIN}extern crate alloc;\npub fn f() -> alloc::string::String { format!("{}", 1) }\n` }),
    findings: [["src/main.rs", "format!"]],
    output: { "src/main.rs": `${HOST_MAIN}extern crate alloc;\npub fn f() -> alloc::string::String { alloc::format!("{}", 1) }\n` },
  },
  // std_path
  {
    name: "use std::fmt::Write becomes core",
    rule: "std_path",
    files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\n\n#[allow(unused_imports)]\nuse std::fmt::Write;\n") }),
    findings: [["src/main.rs", "std"]],
    output: { "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\n\n#[allow(unused_imports)]\nuse core::fmt::Write;\n") },
    builds: true,
  },
  {
    name: "std::vec::Vec without alloc is reported without a fix; HashMap has no equivalent",
    rule: "std_path",
    files: hostCrate({ "src/main.rs": `${HOST_MAIN}use std::vec::Vec;\nuse std::collections::HashMap;\n` }),
    findings: [["src/main.rs", "std"], ["src/main.rs", "std"]],
    output: { "src/main.rs": `${HOST_MAIN}use std::vec::Vec;\nuse std::collections::HashMap;\n` },
  },
  {
    name: "with extern crate alloc, std::vec::Vec becomes alloc; a use list of core items becomes core",
    rule: "std_path",
    files: hostCrate({ "src/main.rs": `${HOST_MAIN}extern crate alloc;\npub fn v() -> std::vec::Vec<u8> { todo!() }\nuse std::{mem, ptr};\n` }),
    findings: [["src/main.rs", "std"], ["src/main.rs", "std"]],
    output: { "src/main.rs": `${HOST_MAIN}extern crate alloc;\npub fn v() -> alloc::vec::Vec<u8> { todo!() }\nuse core::{mem, ptr};\n` },
  },
  { name: "std paths under cfg(test) and cfg(feature = \"std\") are fine", rule: "std_path", files: hostCrate({ "src/main.rs": `${HOST_MAIN}#[cfg(test)]\nmod tests { use std::vec::Vec; }\n#[cfg(feature = "std")]\npub fn f() { let _ = std::time::Instant::now(); }\n#[cfg(test)]\nmod more;\n`, "src/more.rs": "use std::fs;\n" }), findings: [] },
  { name: "a path that merely has a segment called std", rule: "std_path", files: hostCrate({ "src/main.rs": `${HOST_MAIN}mod x { pub mod std { pub fn f() {} } }\npub fn g() { x::std::f(); }\n// std::fmt in a comment\npub const S: &str = "std::fmt";\n` }), findings: [] },
  // alloc_without_global_allocator
  { name: "extern crate alloc without a global allocator", rule: "alloc_without_global_allocator", files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\nextern crate alloc;\n") }), findings: [["src/main.rs", "extern crate alloc;"]] },
  {
    name: "a #[global_allocator] in a module",
    rule: "alloc_without_global_allocator",
    files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\nextern crate alloc;\nmod heap;\n"), "src/heap.rs": "#[global_allocator]\nstatic A: Bump = Bump;\n" }),
    findings: [],
  },
  { name: "an allocator crate among the dependencies", rule: "alloc_without_global_allocator", files: hostCrate({ "Cargo.toml": HOST_MANIFEST("2021", '\n[dependencies]\nembedded-alloc = "0.6"\n'), "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\nextern crate alloc;\n") }), findings: [] },
  // alloc_not_declared
  {
    name: "`alloc::` without `extern crate alloc;` gets the declaration after the root's attributes",
    rule: "alloc_not_declared",
    // A library: a binary would also need a #[global_allocator] (another rule's business) to link.
    files: { "Cargo.toml": '[package]\nname = "l"\nversion = "0.1.0"\nedition = "2021"\n', "src/lib.rs": "//! A library.\n#![no_std]\n\nuse alloc::vec::Vec;\n\npub fn f() -> Vec<u8> {\n    Vec::new()\n}\n" },
    findings: [["src/lib.rs", "alloc"]],
    output: { "src/lib.rs": "//! A library.\n#![no_std]\n\nextern crate alloc;\n\nuse alloc::vec::Vec;\n\npub fn f() -> Vec<u8> {\n    Vec::new()\n}\n" },
    builds: true,
  },
  { name: "`extern crate alloc;` declared: fine", rule: "alloc_not_declared", files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\nextern crate alloc;\nuse alloc::vec::Vec;\n") }), findings: [] },
  { name: "`core::{alloc::Layout}` is core's alloc module", rule: "alloc_not_declared", files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\n#[allow(unused_imports)]\nuse core::{alloc::Layout, mem};\n") }), findings: [] },
  { name: "a declaration inside a macro (cfg_if!) may be the one", rule: "alloc_not_declared", files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\nmacro_rules! declare { () => { extern crate alloc; } }\ndeclare!();\nuse alloc::vec::Vec;\n") }), findings: [] },
  { name: "a module of its own named alloc is not the crate", rule: "alloc_not_declared", files: hostCrate({ "src/main.rs": `${HOST_MAIN}mod alloc {\n    pub fn f() {}\n}\nfn g() {\n    alloc::f();\n}\n` }), findings: [] },
  // unsafe_extern_block
  {
    name: "an edition-2024 extern block gets `unsafe`",
    rule: "unsafe_extern_block",
    files: hostCrate({ "Cargo.toml": HOST_MANIFEST("2024"), "src/main.rs": `${HOST_MAIN}\n#[allow(dead_code)]\nextern "C" {\n    fn helper();\n}\n` }, "2024"),
    findings: [["src/main.rs", 'extern "C" ']],
    output: { "src/main.rs": `${HOST_MAIN}\n#[allow(dead_code)]\nunsafe extern "C" {\n    fn helper();\n}\n` },
    builds: true,
  },
  { name: "an extern block in edition 2021 is fine", rule: "unsafe_extern_block", files: hostCrate({ "src/main.rs": `${HOST_MAIN}\nextern "C" {\n    fn helper();\n}\n` }), findings: [] },
  // unstable_feature_on_stable
  {
    name: "a stabilised feature is removed with its line (on stable any #![feature] is E0554: an error)",
    rule: "unstable_feature_on_stable",
    files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\n#![feature(asm)]\n") }),
    findings: [["src/main.rs", "asm", "error"]],
    output: { "src/main.rs": HOST_MAIN },
    builds: true,
  },
  {
    name: "-Z flags in the rustflags are refused by stable rustc",
    rule: "unstable_feature_on_stable",
    files: hostCrate({ ".cargo/config.toml": '[target.x86_64-unknown-linux-gnu]\nrustflags = ["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static", "-C", "relocation-model=static", "-Zunstable-options"]\n' }),
    findings: [[".cargo/config.toml", 'rustflags = ["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static", "-C", "relocation-model=static", "-Zunstable-options"]', "error"]],
  },
  {
    name: "a stabilised feature on nightly is only rustc's own `stable_features` warning",
    rule: "unstable_feature_on_stable",
    toolchain: stableToolchain([1, 97, 0], "nightly"),
    files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\n#![feature(asm)]\n") }),
    findings: [["src/main.rs", "asm", "warning"]],
  },
  {
    name: "alloc_error_handler is obsolete; lang_items is refused on stable",
    rule: "unstable_feature_on_stable",
    files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\n#![feature(alloc_error_handler, lang_items)]\n") }),
    findings: [["src/main.rs", "alloc_error_handler", "error"], ["src/main.rs", "lang_items", "error"]],
    output: { "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\n#![feature(lang_items)]\n") },
  },
  { name: "unstable features on nightly", rule: "unstable_feature_on_stable", toolchain: stableToolchain([1, 97, 0], "nightly"), files: hostCrate({ "src/main.rs": HOST_MAIN.replace("#![no_main]\n", "#![no_main]\n#![feature(lang_items)]\n") }), findings: [] },
  // target_not_configured
  {
    name: "a cortex-m-rt crate without a target gets build.target",
    rule: "target_not_configured",
    files: { "Cargo.toml": HOST_MANIFEST("2021", '\n[dependencies]\ncortex-m-rt = "0.7"\n'), "src/main.rs": HOST_MAIN },
    findings: [["Cargo.toml", null]],
    output: { ".cargo/config.toml": '[build]\ntarget = "thumbv7m-none-eabi"\n' },
  },
  { name: "a target on the command line", rule: "target_not_configured", target: "thumbv7m-none-eabi", files: { "Cargo.toml": HOST_MANIFEST("2021", '\n[dependencies]\ncortex-m-rt = "0.7"\n'), "src/main.rs": HOST_MAIN }, findings: [] },
  // target_not_installed
  {
    name: "a --sysroot without the target's core",
    rule: "target_not_installed",
    files: hostCrate({ ".cargo/config.toml": '[build]\ntarget = "thumbv6m-none-eabi"\n\n[target.thumbv6m-none-eabi]\nrustflags = ["--sysroot", "/nonexistent/sysroot"]\n' }),
    findings: [["Cargo.toml", null]],
  },
  // host_link_args_missing
  {
    name: "the host flags are written to a new .cargo/config.toml",
    rule: "host_link_args_missing",
    files: { "Cargo.toml": HOST_MANIFEST(), "src/main.rs": HOST_MAIN },
    findings: [["Cargo.toml", null, "error"]],
    output: { ".cargo/config.toml": '[target.x86_64-unknown-linux-gnu]\nrustflags = ["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static", "-C", "relocation-model=static"]\n' },
    builds: true,
  },
  {
    name: "missing flags are appended to an existing multi-line array",
    rule: "host_link_args_missing",
    files: { "Cargo.toml": HOST_MANIFEST(), "src/main.rs": HOST_MAIN, ".cargo/config.toml": '# mine\n[target.x86_64-unknown-linux-gnu]\nrustflags = [\n    "-C", "link-arg=-nostartfiles",\n    "-C", "link-arg=-nostdlib",\n]\n' },
    findings: [["Cargo.toml", null, "warning"]],
    output: { ".cargo/config.toml": '# mine\n[target.x86_64-unknown-linux-gnu]\nrustflags = [\n    "-C", "link-arg=-nostartfiles",\n    "-C", "link-arg=-nostdlib",\n    "-C",\n    "link-arg=-static",\n    "-C",\n    "relocation-model=static",\n]\n' },
    builds: true,
  },
  { name: "link args from build.rs count", rule: "host_link_args_missing", files: { "Cargo.toml": HOST_MANIFEST(), "src/main.rs": HOST_MAIN, "build.rs": 'fn main() {\n    println!("cargo:rustc-link-arg=-nostartfiles");\n    println!("cargo:rustc-link-arg=-nostdlib");\n    println!("cargo:rustc-link-arg=-static");\n}\n', ".cargo/config.toml": '[build]\nrustflags = ["-C", "relocation-model=static"]\n' }, findings: [] },
  // target_table_ignored (cargo reads a dotted triple's table unquoted: rust-lang/cargo#15901)
  {
    name: "a quoted triple with a dot: never read by cargo; the fix writes it unquoted",
    rule: "target_table_ignored",
    files: { "Cargo.toml": HOST_MANIFEST(), "src/main.rs": HOST_MAIN, ".cargo/config.toml": '[build]\ntarget = "thumbv8m.main-none-eabihf"\n\n[target."thumbv8m.main-none-eabihf"] # mine\nrustflags = ["-C", "link-arg=-Tlink.x"]\n' },
    findings: [[".cargo/config.toml", '"thumbv8m.main-none-eabihf"']],
    output: { ".cargo/config.toml": '[build]\ntarget = "thumbv8m.main-none-eabihf"\n\n[target.thumbv8m.main-none-eabihf] # mine\nrustflags = ["-C", "link-arg=-Tlink.x"]\n' },
  },
  {
    name: "a dotted key and an inline table inside [target]: both quoted, both said",
    rule: "target_table_ignored",
    files: { "Cargo.toml": HOST_MANIFEST(), "src/main.rs": HOST_MAIN, ".cargo/config.toml": `[target]\n"thumbv8m.main-none-eabi".runner = "probe-rs run"\n'thumbv8m.base-none-eabi' = { linker = "rust-lld" }\n` },
    findings: [
      [".cargo/config.toml", '"thumbv8m.main-none-eabi"'],
      [".cargo/config.toml", "'thumbv8m.base-none-eabi'"],
    ],
    output: { ".cargo/config.toml": `[target]\nthumbv8m.main-none-eabi.runner = "probe-rs run"\nthumbv8m.base-none-eabi = { linker = "rust-lld" }\n` },
  },
  {
    name: "unquoted dotted triples, cfg() keys and triples without dots are what cargo reads",
    rule: "target_table_ignored",
    files: { "Cargo.toml": HOST_MANIFEST(), "src/main.rs": HOST_MAIN, ".cargo/config.toml": `[target.thumbv8m.main-none-eabihf]\nrustflags = ["-C", "link-arg=-Tlink.x"]\n\n[target.'cfg(target_os = "none")']\nrunner = "x"\n\n[target."thumbv7m-none-eabi"]\nrunner = "y"\n` },
    findings: [],
  },
  // missing_linker_script
  { name: "a Cortex-M binary without -T", rule: "missing_linker_script", target: "thumbv7m-none-eabi", files: { "Cargo.toml": HOST_MANIFEST(), "src/main.rs": HOST_MAIN }, findings: [["Cargo.toml", null]] },
  { name: "-Tlink.x in the table of a triple with a dot, written as cargo reads it", rule: "missing_linker_script", files: { "Cargo.toml": HOST_MANIFEST(), "src/main.rs": HOST_MAIN, ".cargo/config.toml": '[build]\ntarget = "thumbv8m.main-none-eabihf"\n\n[target.thumbv8m.main-none-eabihf]\nrustflags = ["-C", "link-arg=-Tlink.x"]\n' }, findings: [] },
  { name: "-Tlink.x in a quoted table of a triple with a dot, which cargo never reads", rule: "missing_linker_script", files: { "Cargo.toml": HOST_MANIFEST(), "src/main.rs": HOST_MAIN, ".cargo/config.toml": '[build]\ntarget = "thumbv8m.main-none-eabihf"\n\n[target."thumbv8m.main-none-eabihf"]\nrustflags = ["-C", "link-arg=-Tlink.x"]\n' }, findings: [["Cargo.toml", null]] },
  { name: "-Tlink.x in the rustflags", rule: "missing_linker_script", files: { "Cargo.toml": HOST_MANIFEST(), "src/main.rs": HOST_MAIN, ".cargo/config.toml": '[build]\ntarget = "thumbv7m-none-eabi"\n\n[target.thumbv7m-none-eabi]\nrustflags = ["-C", "link-arg=-Tlink.x"]\n' }, findings: [] },
  { name: "cortex-m-rt only puts link.x in the search path: the program must still pass it", rule: "missing_linker_script", target: "thumbv7m-none-eabi", files: { "Cargo.toml": HOST_MANIFEST("2021", '\n[dependencies]\ncortex-m-rt = "0.7"\n'), "src/main.rs": HOST_MAIN }, findings: [["Cargo.toml", null]] },
  { name: "-Tlink.x from build.rs", rule: "missing_linker_script", target: "thumbv7m-none-eabi", files: { "Cargo.toml": HOST_MANIFEST("2021", '\n[dependencies]\ncortex-m-rt = "0.7"\n'), "src/main.rs": HOST_MAIN, "build.rs": 'fn main() {\n    println!("cargo:rustc-link-arg-bins=-Tlink.x");\n}\n' }, findings: [] },
  { name: "a build script with a helper crate that is not on this machine: a note", rule: "missing_linker_script", target: "thumbv7m-none-eabi", files: { "Cargo.toml": HOST_MANIFEST("2021", '\n[build-dependencies]\nlinker-helper = "1"\n'), "src/main.rs": HOST_MAIN, "build.rs": "fn main() {\n    linker_helper::emit();\n}\n" }, findings: [["Cargo.toml", null, "info"]] },
  { name: "a path helper of the build script that prints -T passes the script", rule: "missing_linker_script", target: "thumbv7m-none-eabi", files: { "Cargo.toml": HOST_MANIFEST("2021", '\n[build-dependencies]\nlinker-helper = { path = "helper" }\n'), "src/main.rs": HOST_MAIN, "build.rs": "fn main() {\n    linker_helper::emit();\n}\n", "helper/Cargo.toml": '[package]\nname = "linker-helper"\nversion = "0.1.0"\nedition = "2021"\n', "helper/src/lib.rs": 'pub fn emit() {\n    println!("cargo:rustc-link-arg=-T{}", "layout.ld");\n}\n' }, findings: [] },
  { name: "a path helper that prints no link argument is read and shown not to", rule: "missing_linker_script", target: "thumbv7m-none-eabi", files: { "Cargo.toml": HOST_MANIFEST("2021", '\n[build-dependencies]\nlinker-helper = { path = "helper" }\n'), "src/main.rs": HOST_MAIN, "build.rs": "fn main() {\n    linker_helper::emit();\n}\n", "helper/Cargo.toml": '[package]\nname = "linker-helper"\nversion = "0.1.0"\nedition = "2021"\n', "helper/src/lib.rs": "pub fn emit() {}\n" }, findings: [["Cargo.toml", null]] },
  // test_harness_enabled
  {
    name: "an implicit binary gets a [[bin]] section",
    rule: "test_harness_enabled",
    files: hostCrate({ "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[profile.dev]\npanic = "abort"\n\n[profile.release]\npanic = "abort"\n' }),
    findings: [["Cargo.toml", null, "warning"]],
    output: { "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[profile.dev]\npanic = "abort"\n\n[profile.release]\npanic = "abort"\n\n[[bin]]\nname = "demo"\npath = "src/main.rs"\ntest = false\nbench = false\n' },
    builds: true,
  },
  {
    name: "keys added to a [[bin]] whose last line has a trailing comment keep the comment on its line",
    rule: "test_harness_enabled",
    files: hostCrate({ "Cargo.toml": HOST_MANIFEST().replace('path = "src/main.rs"\ntest = false\nbench = false\n', 'path = "src/main.rs" # the entry\n') }),
    findings: [["Cargo.toml", null, "warning"]],
    output: { "Cargo.toml": HOST_MANIFEST().replace('path = "src/main.rs"\ntest = false\nbench = false\n', 'path = "src/main.rs" # the entry\ntest = false\nbench = false\n') },
  },
  {
    name: "a declared [[bin]] gets the missing key",
    rule: "test_harness_enabled",
    files: hostCrate({ "Cargo.toml": HOST_MANIFEST().replace("test = false\n", "") }),
    findings: [["Cargo.toml", null, "warning"]],
    output: { "Cargo.toml": HOST_MANIFEST().replace("test = false\nbench = false\n", "bench = false\ntest = false\n") },
    builds: true,
  },
  // editor_target_unset
  {
    name: "a target given only on the command line, VS Code settings without it: the keys are added, the file's own text kept",
    rule: "editor_target_unset",
    target: "x86_64-unknown-none",
    files: hostCrate({ ".vscode/settings.json": '{\n  // mine\n  "editor.tabSize": 4,\n}\n' }),
    findings: [[".vscode/settings.json", null, "info"]],
    output: { ".vscode/settings.json": '{\n  "rust-analyzer.cargo.target": "x86_64-unknown-none",\n  "rust-analyzer.check.allTargets": false,\n  // mine\n  "editor.tabSize": 4,\n}\n' },
  },
  {
    name: "a .vscode folder without settings.json: the file is created",
    rule: "editor_target_unset",
    target: "x86_64-unknown-none",
    files: hostCrate({ ".vscode/extensions.json": '{ "recommendations": ["rust-lang.rust-analyzer"] }\n' }),
    findings: [[".vscode/settings.json", null, "info"]],
    output: { ".vscode/settings.json": vscodeSettings("x86_64-unknown-none") },
  },
  {
    name: "an empty settings object gets the keys",
    rule: "editor_target_unset",
    target: "x86_64-unknown-none",
    files: hostCrate({ ".vscode/settings.json": "{}\n" }),
    findings: [[".vscode/settings.json", null, "info"]],
    output: { ".vscode/settings.json": '{\n  "rust-analyzer.cargo.target": "x86_64-unknown-none",\n  "rust-analyzer.check.allTargets": false\n}\n' },
  },
  { name: "settings that name the target", rule: "editor_target_unset", target: "x86_64-unknown-none", files: hostCrate({ ".vscode/settings.json": '{ "rust-analyzer.cargo.target": "x86_64-unknown-none" }\n' }), findings: [] },
  { name: "rust-analyzer.toml that names the target", rule: "editor_target_unset", target: "x86_64-unknown-none", files: hostCrate({ ".vscode/settings.json": "{}\n", "rust-analyzer.toml": '[cargo]\ntarget = "x86_64-unknown-none"\n' }), findings: [] },
  { name: "a target from .cargo/config.toml, which rust-analyzer reads", rule: "editor_target_unset", files: hostCrate({ ".vscode/settings.json": "{}\n", ".cargo/config.toml": '[build]\ntarget = "x86_64-unknown-none"\n' }), findings: [] },
  { name: "no VS Code folder", rule: "editor_target_unset", target: "x86_64-unknown-none", files: hostCrate({}), findings: [] },
  { name: "settings.json that is not JSON: a note, no edit", rule: "editor_target_unset", target: "x86_64-unknown-none", files: hostCrate({ ".vscode/settings.json": '{ "a": \n' }), findings: [[".vscode/settings.json", null, "info"]] },
];

const canBuild = hasCargo();

for (const c of cases) {
  test(`${c.rule}: ${c.name}`, async (t) => {
    const dir = writeCrate(c.files);
    try {
      const opts = { only: [c.rule], target: c.target, toolchain: c.toolchain ?? stableToolchain(), env: cleanEnv() };
      const result = await check(dir, opts);
      const found = result.diagnostics.map((d) => {
        const text = d.span ? Buffer.from(result.sources.get(d.file!)!, "utf8").subarray(d.span.start, d.span.end).toString("utf8") : null;
        return [path.relative(dir, d.file ?? ""), text, d.severity];
      });
      const expected = c.findings.map(([f, text, sev]) => [f, text, sev ?? found.find((x) => x[0] === f && x[1] === text)?.[2] ?? "(missing)"]);
      assert.deepEqual(found, expected);
      assert.ok(result.diagnostics.every((d) => d.code === c.rule));
      if (!c.output) return;
      const before = readCrate(dir);
      const first = await fix(dir, opts);
      const after = readCrate(dir);
      for (const [file, text] of Object.entries(c.output)) assert.equal(after[file], text, `${file} after --fix`);
      // Only the listed files change.
      for (const file of Object.keys(before)) if (!(file in c.output)) assert.equal(after[file], before[file], `${file} must not change`);
      const wasFixable = result.diagnostics.some((d) => d.fix);
      if (wasFixable) assert.ok(first.fixed.length > 0);
      // Idempotent: the second run finds nothing to fix and changes nothing.
      const second = await fix(dir, opts);
      assert.equal(second.fixed.length, 0);
      assert.deepEqual(readCrate(dir), after);
      if (c.builds) {
        if (!canBuild) return t.skip("cargo is not installed");
        const b = cargoBuild(dir);
        assert.ok(b.ok, `the fixed crate must build:\n${b.stderr}`);
      }
    } finally {
      removeCrate(dir);
    }
  });

  if (!c.output) continue;
  // The same fix on files written with CRLF line breaks: byte-exact, each file keeps its line breaks. A second
  // variant adds a byte-order mark and drops the final line break of the first changed file.
  for (const variant of ["CRLF", "CRLF with a BOM and no final newline"] as const) {
    test(`${c.rule}: ${c.name} — ${variant} kept`, async () => {
      const crlf = (t: string) => t.replace(/\r?\n/g, "\r\n");
      const files: Files = {};
      for (const [f, text] of Object.entries(c.files)) files[f] = crlf(text);
      const changed = Object.keys(c.output!).filter((f) => f in c.files && c.files[f] !== "");
      const bomFile = variant === "CRLF" ? undefined : changed[0];
      if (bomFile) files[bomFile] = `\uFEFF${files[bomFile]!.replace(/\r\n$/, "")}`;
      const dir = writeCrate(files);
      try {
        const opts = { only: [c.rule], target: c.target, toolchain: c.toolchain ?? stableToolchain(), env: cleanEnv() };
        await fix(dir, opts);
        for (const [file, text] of Object.entries(c.output!)) {
          const raw = readFileSync(path.join(dir, file), "utf8");
          if (file === bomFile) {
            assert.ok(raw.startsWith("\uFEFF"), `${file} keeps its byte-order mark`);
            assert.doesNotMatch(raw, /(^|[^\r])\n/, `${file} has only CRLF line breaks`);
          } else if (file in c.files) assert.equal(raw, crlf(text), `${file} after --fix`);
        }
      } finally {
        removeCrate(dir);
      }
    });
  }
}

test("every rule of the catalogue has at least one valid and one invalid case", () => {
  const rules = new Set(cases.map((c) => c.rule));
  for (const r of rules) {
    assert.ok(cases.some((c) => c.rule === r && c.findings.length > 0), `${r} has an invalid case`);
  }
  assert.equal(rules.size, 24);
});

test("a target's core in a --sysroot of the crate's own satisfies target_not_installed", async () => {
  const dir = writeCrate(hostCrate({ ".cargo/config.toml": '[build]\ntarget = "thumbv6m-none-eabi"\n\n[target.thumbv6m-none-eabi]\nrustflags = ["--sysroot", "SYSROOT"]\n' }));
  try {
    const sysroot = path.join(dir, "sysroot");
    mkdirSync(path.join(sysroot, "lib/rustlib/thumbv6m-none-eabi/lib"), { recursive: true });
    writeFileSync(path.join(sysroot, "lib/rustlib/thumbv6m-none-eabi/lib/libcore-0123abcd.rlib"), "");
    const cfg = path.join(dir, ".cargo/config.toml");
    const { readFileSync } = await import("node:fs");
    writeFileSync(cfg, readFileSync(cfg, "utf8").replace("SYSROOT", sysroot));
    const r = await check(dir, { only: ["target_not_installed"], toolchain: stableToolchain(), env: cleanEnv() });
    assert.deepEqual(r.diagnostics, []);
  } finally {
    removeCrate(dir);
  }
});
