/**
 * The catalogue: each entry recognises one cause in compiler or linker output, says what caused it and how to fix
 * it in plain words, and names the `freestand check` rule that would have caught it before compiling.
 * Patterns match rustc's and the linkers' wording as produced here (fixtures in test/fixtures/explain/, regenerated
 * by provoke.sh); they anchor on stable parts (error codes, quoted names) rather than on whole sentences.
 */
import type { ExplainEntry, Finding, MatchContext } from "./entry.js";
import { userReference, type SymbolReference } from "./linker.js";
import type { CompilerLocation } from "./types.js";
import path from "node:path";
import { findTarget } from "../targets/catalog.js";

const PANIC_ABORT_PROFILES = '[profile.dev]\npanic = "abort"\n\n[profile.release]\npanic = "abort"';

function quoted(text: string, re: RegExp): string | undefined {
  return re.exec(text)?.[1];
}

function targetOf(ctx: MatchContext): string | undefined {
  return quoted(ctx.text, /the `([^`]+)` target may not/);
}

/** Locates a linker symbol at its first reference in the user's code (the lld and GNU ld formats both give one). */
function referenceLocation(refs: readonly SymbolReference[]): CompilerLocation | undefined {
  const r = userReference(refs);
  return r?.file && r.line ? { file: r.file, line: r.line } : undefined;
}

function referencesData(refs: readonly SymbolReference[]): { file?: string; line?: number; object?: string }[] {
  return refs.slice(0, 20).map((r) => ({ ...r }));
}

const MEM_FUNCTIONS = new Set(["memcpy", "memmove", "memset", "memcmp", "bcmp", "strlen"]);
const UNWIND_SYMBOL = /^(?:rust_eh_personality|_Unwind_[A-Za-z_]+|__gcc_personality_v0)$/;
/**
 * Names linker scripts conventionally define: section bounds (`_sbss`, `__bss_start__`, `_sidata`), the stack
 * (`_stack_top`, `_estack`) and heap bounds. An undefined one means the script that should define it is missing or
 * does not define it.
 */
const LINKER_SCRIPT_SYMBOL =
  /^_{1,2}(?:s|e|si)(?:bss|data|text|rodata|stack|heap|uninit)$|^_{1,2}(?:bss|data|text|rodata|stack|heap)_(?:start|end|top|bottom|size)_{0,2}$|^_{1,2}(?:stack|heap)(?:_start|_end|_top|_bottom|_size)?$|^_?_?(?:end|etext|edata|estack)$|^__(?:sbss|ebss|sdata|edata|sidata|exidx_start|exidx_end|init_array_start|init_array_end)$|^_stext$|^__?(?:RESET_)?[Vv]ector_?[Tt]able$/;

export const CATALOGUE: readonly ExplainEntry[] = [
  {
    code: "explain_e0463_std",
    compilerCodes: ["E0463"],
    title: "E0463: can't find crate for `std`",
    summary: "a crate needs `std`, which the target does not have",
    defaultSeverity: "error",
    rule: "missing_no_std",
    fixtures: ["e0463-std-self", "e0463-std-dep"],
    explanation: `Bare-metal targets (\`*-none*\`) ship \`core\` (and \`alloc\`), never \`std\`: there is no operating system
under them. Every crate that does not say \`#![no_std]\` links \`std\` implicitly, so a single such crate — yours or a
dependency — fails the build with \`error[E0463]: can't find crate for \`std\`\`. rustc's note
"\`std\` is required by \`X\` because it does not declare \`#![no_std]\`" names the culprit.

- If \`X\` is your crate: add \`#![no_std]\` (and \`#![no_main]\` for a binary) at the top of the crate root.
- If \`X\` is a dependency: depend on it with \`default-features = false\` (most crates gate \`std\` behind a default
  feature), or pick a \`no_std\` alternative.

Caught before compiling by \`freestand check\`: \`missing_no_std\` (your crate) and \`dependency_requires_std\`
(a dependency, with the chain that pulls it in).`,
    match(ctx) {
      if (ctx.msg.code !== "E0463" || !/can't find crate for `std`/.test(ctx.msg.message)) return undefined;
      const crate = quoted(ctx.text, /`std` is required by `([^`]+)` because/);
      const target = targetOf(ctx);
      const origin = crate ? ctx.origin(crate) : undefined;
      const who = crate ? `crate \`${crate}\`${origin ? ` (${origin})` : ""}` : "a crate in the build";
      const notes = origin === "this crate or one of its dependencies" ? ["this output was read away from the directory cargo ran in: `Compiling` lines say where each package is (under `~/.cargo/registry` it is a dependency); or rerun with `--root <dir>`"] : [];
      const help: string[] = [];
      if (origin !== "a dependency") help.push(`add \`#![no_std]\` at the top of ${crate && origin ? `\`${crate}\`'s` : "the"} crate root (and \`#![no_main]\` for a binary)`);
      if (origin !== "this crate")
        help.push(`${crate ? `if \`${crate}\` is a dependency` : "if it is a dependency"}, depend on it with \`default-features = false\` or use a \`no_std\` alternative`);
      // The host has std: then the sysroot rustc reads lacks it (a `--sysroot` that holds only `core`).
      if (target && findTarget(target)?.flavour === "host") {
        return {
          message: `${who} needs \`std\`, and the sysroot rustc reads has no \`std\` for \`${target}\`, which normally has one`,
          help: ["a `--sysroot` in the rustflags (or RUSTFLAGS) points at a sysroot built with `core` only: remove it for host builds"],
          notes,
          data: { crate, origin: origin ?? null, target },
          rootCause: "the missing `std`",
          rule: null,
        };
      }
      return {
        message: `${who} needs \`std\`, which ${target ? `the \`${target}\` target` : "this target"} does not have: it does not declare \`#![no_std]\``,
        help,
        notes,
        data: { crate, origin: origin ?? null, target },
        rootCause: "the missing `std`",
        rule: origin === "a dependency" ? "dependency_requires_std" : origin === "this crate" ? "missing_no_std" : null,
      };
    },
  },
  {
    code: "explain_e0463_core",
    compilerCodes: ["E0463"],
    title: "E0463: can't find crate for `core`",
    summary: "the target's `core` is not installed",
    defaultSeverity: "error",
    rule: "target_not_installed",
    fixtures: ["e0463-core"],
    explanation: `Even a \`#![no_std]\` crate needs the target's precompiled \`core\` (and \`compiler_builtins\`, \`alloc\`) in the
compiler's sysroot, \`<sysroot>/lib/rustlib/<target>/lib/\`. They are missing until the target is installed.

- With rustup and a network: \`rustup target add <target>\`.
- Without rustup (a distribution's rustc) or offline: \`freestand sysroot --target <target>\` builds \`core\` and
  \`alloc\` from the library sources of the same compiler version; \`freestand build\` and \`freestand run\` then use it.

Caught before compiling by \`freestand check\` (\`target_not_installed\`) and \`freestand doctor\`.`,
    match(ctx) {
      const crate = quoted(ctx.msg.message, /can't find crate for `(core|alloc|compiler_builtins)`/);
      if (ctx.msg.code !== "E0463" || !crate) return undefined;
      const target = targetOf(ctx);
      return {
        message: `the ${target ? `\`${target}\`` : "target's"} \`${crate}\` is not installed in the compiler's sysroot`,
        help: [
          `install it with \`rustup target add ${target ?? "<target>"}\``,
          `without rustup or offline, build it from the compiler's library sources with \`freestand sysroot --target ${target ?? "<target>"}\`, then build with \`freestand build\``,
        ],
        data: { crate, target },
        rootCause: `the missing \`${crate}\``,
      };
    },
  },
  {
    code: "explain_e0152_panic_impl",
    compilerCodes: ["E0152"],
    title: "E0152: duplicate lang item `panic_impl`",
    summary: "`std` was linked in next to your `#[panic_handler]`",
    defaultSeverity: "error",
    rule: "dependency_requires_std",
    fixtures: ["e0152-panic-impl"],
    explanation: `On a host target \`std\` exists, so a crate that forgets \`#![no_std]\` builds — and brings \`std\`'s own panic
handler (the \`panic_impl\` lang item) along. Your \`#[panic_handler]\` is then the second one:
\`error[E0152]: found duplicate lang item \`panic_impl\`\`. rustc's note says which crate pulled \`std\` in
("which \`X\` depends on").

Make that crate \`no_std\`: add \`#![no_std]\` if it is yours, or depend on it with \`default-features = false\`.

Caught before compiling by \`freestand check\`: \`dependency_requires_std\` (a dependency) or \`missing_no_std\`.`,
    match(ctx) {
      if (ctx.msg.code !== "E0152" || !/duplicate lang item `panic_impl`/.test(ctx.msg.message)) return undefined;
      const via = quoted(ctx.text, /first defined in crate `std` \(which `([^`]+)` depends on\)/);
      const origin = via ? ctx.origin(via) : undefined;
      return {
        message: via
          ? `\`std\` is linked in through \`${via}\`${origin ? ` (${origin})` : ""}, and \`std\` brings its own panic handler next to yours`
          : "`std` is linked into this `no_std` build, and it brings its own panic handler next to yours",
        help: [
          via
            ? `make \`${via}\` \`no_std\`: add \`#![no_std]\` if it is yours, or depend on it with \`default-features = false\``
            : "find the crate without `#![no_std]` (`cargo tree` lists them) and make it `no_std`",
        ],
        data: { via: via ?? null, origin: origin ?? null },
        rule: via && origin !== "this crate" ? "dependency_requires_std" : "missing_no_std",
      };
    },
  },
  {
    code: "explain_follow_on",
    title: "Follow-on errors",
    summary: "an error caused by an earlier error in the same compilation",
    defaultSeverity: "info",
    fixtures: ["e0463-std-self", "e0463-std-dep", "e0514-incompatible"],
    explanation: `When \`std\` or \`core\` cannot be loaded, rustc goes on and reports what it then misses:
"cannot resolve a prelude import", "requires \`sized\` lang_item", "\`#[panic_handler]\` function required". These are
not separate problems; fix the first error of the compilation and they disappear.`,
    match(ctx) {
      if (!ctx.rootCause || ctx.msg.level !== "error") return undefined;
      const m = ctx.msg.message;
      if (!/^cannot resolve a prelude import|^requires `[^`]+` lang_item|^`#\[panic_handler\]` function required|^unwinding panics are not supported without std/.test(m))
        return undefined;
      return {
        message: `this follows from ${ctx.rootCause} reported above; fix that first`,
        severity: "info",
      };
    },
  },
  {
    code: "explain_panic_handler_missing",
    title: "`#[panic_handler]` function required, but not found",
    summary: "a `no_std` binary has no panic handler",
    defaultSeverity: "error",
    rule: "missing_panic_handler",
    fixtures: ["panic-handler-missing"],
    explanation: `Without \`std\`, nothing decides what a panic does: a \`no_std\` binary must define exactly one function
\`#[panic_handler] fn panic(info: &core::panic::PanicInfo) -> !\`, or depend on a crate that does (\`panic-halt\`,
\`panic-probe\`, …, pulled in with \`use panic_halt as _;\`).

\`\`\`rust
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    // print \`info\` on your serial port, then stop
    loop {}
}
\`\`\`

Caught before compiling by \`freestand check\` (\`missing_panic_handler\`).`,
    match(ctx) {
      if (!/^`#\[panic_handler\]` function required, but not found/.test(ctx.msg.message)) return undefined;
      return {
        message: "this `no_std` binary defines no `#[panic_handler]`, and no dependency provides one",
        help: [
          "add `#[panic_handler] fn panic(info: &core::panic::PanicInfo) -> ! { loop {} }` to the crate root, or depend on a panic crate such as `panic-halt` and write `use panic_halt as _;`",
        ],
      };
    },
  },
  {
    code: "explain_panic_handler_wrong_type",
    title: "`#[panic_handler]` function has wrong type",
    summary: "the panic handler's signature is not `fn(&PanicInfo) -> !`",
    defaultSeverity: "error",
    rule: "panic_handler_signature",
    fixtures: ["panic-handler-wrong-type"],
    explanation: `The panic handler must take exactly one \`&core::panic::PanicInfo\` and never return (\`-> !\`): after a
panic there is nothing sensible to return to. Typical mistakes are a missing \`-> !\` or taking \`PanicInfo\` by value.

Caught before compiling by \`freestand check\` (\`panic_handler_signature\`).`,
    match(ctx) {
      if (!/`#\[panic_handler\]` function has wrong type/.test(ctx.msg.message)) return undefined;
      const found = quoted(ctx.text, /found signature `([^`]+)`/);
      return {
        message: "the `#[panic_handler]` must have the signature `fn(&core::panic::PanicInfo) -> !`",
        help: ["take `&PanicInfo` and end with `-> !` (loop forever, reset or exit instead of returning)"],
        data: { found: found ?? null },
      };
    },
  },
  {
    code: "explain_unwinding_without_std",
    title: "unwinding panics are not supported without std",
    summary: "the panic strategy is unwind in a `no_std` binary",
    defaultSeverity: "error",
    rule: "panic_strategy_unwind",
    fixtures: ["unwinding-without-std"],
    explanation: `Host targets default to \`panic = "unwind"\`, and unwinding needs \`std\`'s runtime. A freestanding binary
for such a target must abort on panic, in every profile it is built with:

\`\`\`toml
${PANIC_ABORT_PROFILES}
\`\`\`

Bare-metal targets already default to abort. Caught before compiling by \`freestand check\` (\`panic_strategy_unwind\`).`,
    match(ctx) {
      if (!/^unwinding panics are not supported without std/.test(ctx.msg.message)) return undefined;
      return {
        message: 'the target\'s panic strategy is "unwind", which needs `std`; a freestanding binary must abort on panic',
        help: [`add to Cargo.toml:\n${PANIC_ABORT_PROFILES}`],
      };
    },
  },
  {
    code: "explain_no_global_allocator",
    title: "no global memory allocator found",
    summary: "`alloc` is used but no `#[global_allocator]` exists",
    defaultSeverity: "error",
    rule: "alloc_without_global_allocator",
    fixtures: ["no-global-allocator"],
    explanation: `\`Box\`, \`Vec\`, \`String\` and \`format!\` allocate through the global allocator, which \`std\` provides and
\`no_std\` does not. Declare one: a \`static\` implementing \`core::alloc::GlobalAlloc\` marked \`#[global_allocator]\`,
yours or from a crate (\`embedded-alloc\`, \`linked_list_allocator\`, \`talc\`), over a memory region you reserve.

Caught before compiling by \`freestand check\` (\`alloc_without_global_allocator\`).`,
    match(ctx) {
      if (!/^no global memory allocator found/.test(ctx.msg.message)) return undefined;
      return {
        message: "`alloc` is used, but nothing declares a `#[global_allocator]` (without `std` there is none by default)",
        help: [
          "add a `#[global_allocator] static ALLOCATOR: ... ` implementing `core::alloc::GlobalAlloc` (for example from `embedded-alloc` or `linked_list_allocator`), or stop using `alloc`",
        ],
      };
    },
  },
  {
    code: "explain_alloc_not_in_scope",
    compilerCodes: ["E0433"],
    title: "E0433: `alloc` not in scope",
    summary: "`alloc::` is used without `extern crate alloc;`",
    defaultSeverity: "error",
    rule: "alloc_not_declared",
    fixtures: ["alloc-not-in-scope"],
    explanation: `\`alloc\` is not in the extern prelude the way \`core\` and \`std\` are: a \`no_std\` crate must say
\`extern crate alloc;\` once, at the crate root, before \`alloc::vec::Vec\` and friends resolve.

Caught before compiling by \`freestand check\` (\`alloc_not_declared\`, which adds the declaration).`,
    match(ctx) {
      if (ctx.msg.code !== "E0433" || !/`alloc`/.test(ctx.msg.message)) return undefined;
      return {
        message: "the `alloc` crate is not linked: a `no_std` crate must declare it before using `alloc::` paths",
        help: ["add `extern crate alloc;` at the crate root (and a `#[global_allocator]` in the binary)"],
      };
    },
  },
  {
    code: "explain_std_path",
    compilerCodes: ["E0433"],
    title: "E0433: cannot find module or crate `std`",
    summary: "a `std::` path in a `no_std` crate",
    defaultSeverity: "error",
    rule: "std_path",
    fixtures: ["std-path"],
    explanation: `A \`#![no_std]\` crate has no \`std\` in scope: \`use std::fmt::Write;\` stops with
\`error[E0433]: cannot find module or crate \`std\` in this scope\` (rustc 1.95 and later; before, "failed to resolve:
use of unresolved module or unlinked crate \`std\`"). Most of \`std\` re-exports \`core\` (\`fmt\`, \`mem\`, \`ptr\`,
atomics) or \`alloc\` (\`Vec\`, \`String\`, \`Box\`): write the path of the crate that really has the item.

Caught before compiling by \`freestand check\` (\`std_path\`, which rewrites paths whose equivalent is known).`,
    match(ctx) {
      if (ctx.msg.code !== "E0433" || !/`std`/.test(ctx.msg.message) || /`alloc`/.test(ctx.msg.message)) return undefined;
      return {
        message: "`std` is not linked into this `no_std` crate, so `std::` paths do not resolve",
        help: ["use the `core::` path of the item (`core::fmt::Write`, `core::mem`), or `alloc::` for collections (with `extern crate alloc;`)"],
      };
    },
  },
  {
    code: "explain_e0580_no_main",
    compilerCodes: ["E0580"],
    title: "E0580: `main` function has wrong type",
    summary: "a `no_std` binary defines a C-style `main` but lacks `#![no_main]`",
    defaultSeverity: "error",
    rule: "missing_no_main",
    fixtures: ["e0580-main-type"],
    explanation: `Without \`#![no_main]\`, rustc treats \`fn main\` as the Rust entry point, which must be \`fn main()\` with no
arguments. A freestanding program that defines the C runtime's \`main(argc, argv)\` (or any other entry) is not
Rust's \`main\`: say so with \`#![no_main]\` at the top of the crate root, and export the C function with
\`#[unsafe(no_mangle)]\`. A \`no_std\` binary is linked without libc, so a \`main\` meant for the C runtime
also needs it linked: \`#[link(name = "c")] unsafe extern "C" {}\` (without it, \`__libc_start_main\` is undefined).

Caught before compiling by \`freestand check\` (\`missing_no_main\`).`,
    match(ctx) {
      if (ctx.msg.code !== "E0580") return undefined;
      return {
        message: "without `#![no_main]`, rustc takes this `main` for Rust's entry point, which must be `fn main()`",
        help: [
          "add `#![no_main]` at the top of the crate root: the program's entry is then whatever it exports (`main` for the C runtime, `_start` without it)",
          'a `main` for the C runtime needs libc, which a `no_std` binary does not link by itself: add `#[link(name = "c")] unsafe extern "C" {}`',
        ],
      };
    },
  },
  {
    code: "explain_std_macro",
    title: "cannot find macro `println` (print, eprintln, dbg, format, vec)",
    summary: "a `std` macro is used in a `no_std` crate",
    defaultSeverity: "error",
    rule: "std_macro",
    fixtures: ["std-macros"],
    explanation: `\`println!\`, \`print!\`, \`eprintln!\`, \`eprint!\` and \`dbg!\` write to the process's standard streams, which only
exist with an operating system; \`format!\` and \`vec!\` live in \`alloc\`, which a \`no_std\` crate must link explicitly.

- Console output: write a small serial (or semihosting) writer implementing \`core::fmt::Write\` and your own
  \`print!\`/\`println!\` macros over it; \`freestand new\` generates one for each target.
- \`format!\`/\`vec!\`: \`extern crate alloc;\`, then \`alloc::format!\` / \`alloc::vec!\` (with a \`#[global_allocator]\`).

Caught before compiling by \`freestand check\` (\`std_macro\`).`,
    match(ctx) {
      const name = quoted(ctx.msg.message, /^cannot find macro `(println|print|eprintln|eprint|dbg|format|vec)` in this scope/);
      if (!name) return undefined;
      const own = ctx.definesMacro(name);
      if (own) {
        // The crate has its own: it is defined where this use cannot see it.
        return {
          message: `this crate defines \`${name}!\` (${path.basename(own)}), but it is not in scope here`,
          help: [
            `put \`#[macro_use]\` on the \`mod\` that defines it and declare that module before the ones that use it, or export it with \`#[macro_export]\` and call it as \`crate::${name}!\``,
          ],
          data: { macro: name, definedIn: own },
          rule: null,
        };
      }
      const isAlloc = name === "format" || name === "vec";
      return {
        message: isAlloc
          ? `\`${name}!\` lives in \`alloc\`, which this \`no_std\` crate does not bring into scope`
          : `\`${name}!\` needs \`std\`'s standard streams, which a \`no_std\` crate does not have`,
        help: [
          isAlloc
            ? `add \`extern crate alloc;\` at the crate root and write \`alloc::${name}!\` (a \`#[global_allocator]\` is needed too)`
            : "print through a serial or semihosting writer that implements `core::fmt::Write`, with your own `print!`/`println!` macros over it",
        ],
        data: { macro: name },
      };
    },
  },
  {
    code: "explain_unsafe_attribute",
    title: "unsafe attribute used without unsafe",
    summary: "edition 2024 requires `#[unsafe(no_mangle)]`",
    defaultSeverity: "error",
    rule: "unsafe_attribute",
    fixtures: ["unsafe-attribute"],
    explanation: `Edition 2024 (the default of \`cargo new\` today) marks \`no_mangle\`, \`export_name\` and \`link_section\` as
unsafe attributes: they can clash with other symbols and break the program at link time. Write
\`#[unsafe(no_mangle)]\` — accepted since Rust 1.82 in every edition, so it is always the right spelling. Tutorials
written before 2025 still show \`#[no_mangle]\`.

Caught before compiling by \`freestand check\` (\`unsafe_attribute\`, with \`--fix\`).`,
    match(ctx) {
      if (!/^unsafe attribute used without unsafe/.test(ctx.msg.message)) return undefined;
      const attr = ctx.msg.sourceLines.map((l) => /#\[\s*(no_mangle|export_name|link_section)\b/.exec(l)?.[1]).find(Boolean) ?? "no_mangle";
      return {
        message: `edition 2024 requires \`#[${attr}]\` to be written \`#[unsafe(${attr}${attr === "no_mangle" ? "" : " = ..."})]\``,
        help: [`wrap it: \`#[unsafe(${attr}${attr === "no_mangle" ? "" : " = ..."})]\` (accepted since Rust 1.82 in every edition)`],
        data: { attribute: attr },
      };
    },
  },
  {
    code: "explain_feature_on_stable",
    compilerCodes: ["E0554"],
    title: "E0554: `#![feature]` on the stable channel",
    summary: "an unstable feature gate on a stable compiler",
    defaultSeverity: "error",
    rule: "unstable_feature_on_stable",
    fixtures: ["e0554-feature"],
    explanation: `\`#![feature(...)]\` only works on a nightly compiler. Many gates copied from older tutorials are not needed
any more: \`alloc_error_handler\` is obsolete since Rust 1.68 (an allocation failure now panics through your
\`#[panic_handler]\`), and features that have been stabilised can simply be removed. Otherwise use a nightly toolchain
(\`rust-toolchain.toml\`).

Caught before compiling by \`freestand check\` (\`unstable_feature_on_stable\`), which also says since when a feature is
stable.`,
    match(ctx) {
      if (ctx.msg.code !== "E0554") return undefined;
      const feature = ctx.msg.sourceLines.map((l) => /#!\[\s*feature\s*\(\s*([^)]*?)\s*\)/.exec(l)?.[1]).find(Boolean);
      if (feature && /\balloc_error_handler\b/.test(feature)) {
        return {
          message: "`#![feature(alloc_error_handler)]` is not available on stable, and it is not needed: the default handler panics since Rust 1.68",
          help: ["remove the `#![feature(alloc_error_handler)]` line and the `#[alloc_error_handler]` function"],
          data: { feature },
        };
      }
      return {
        message: `\`#![feature${feature ? `(${feature})` : ""}]\` only works on a nightly compiler`,
        help: ["remove the feature gate if the feature is stable by now, or build with a nightly toolchain (`rust-toolchain.toml`)"],
        data: { feature: feature ?? null },
      };
    },
  },
  {
    code: "explain_e0601_no_main",
    compilerCodes: ["E0601"],
    title: "E0601: `main` function not found",
    summary: "a freestanding binary lacks `#![no_main]`",
    defaultSeverity: "error",
    rule: "missing_no_main",
    fixtures: ["e0601-no-main"],
    explanation: `\`fn main\` is called by \`std\`'s runtime after the C runtime has started the process. A freestanding binary has
neither: its entry point is \`_start\` (or the reset handler a runtime crate defines), so it must tell rustc not to
expect a \`main\` with \`#![no_main]\` at the top of \`src/main.rs\`.

Caught before compiling by \`freestand check\` (\`missing_no_main\`).`,
    match(ctx) {
      if (ctx.msg.code !== "E0601") return undefined;
      return {
        message: "a freestanding binary has no `main`: its entry point is `_start` (or the runtime's reset handler), so rustc must be told not to expect one",
        help: ["add `#![no_main]` at the top of `src/main.rs`"],
      };
    },
  },
  {
    code: "explain_z_flag_on_stable",
    title: "-Z flags only on nightly",
    summary: "an unstable `-Z` flag passed to a stable cargo or rustc",
    defaultSeverity: "error",
    rule: "unstable_feature_on_stable",
    fixtures: ["z-flag-cargo", "z-flag-rustc"],
    explanation: `\`-Z\` flags (\`-Zbuild-std\`, \`-Zunstable-options\`, …) are unstable and refused by stable cargo and rustc.
\`-Zbuild-std\` is usually there to get \`core\` for a target that has no prebuilt one: \`freestand sysroot --target
<target>\` builds it once with the stable compiler you have (from its library sources), after which
\`freestand build\` uses it. Otherwise use a nightly toolchain, or remove the flag from \`RUSTFLAGS\` /
\`.cargo/config.toml\`.

Caught before compiling by \`freestand check\` (\`unstable_feature_on_stable\`) when the flag is in the rustflags cargo
reads; a \`-Z\` typed on cargo's command line is only seen by cargo.`,
    match(ctx) {
      const cargo = /the `-Z` flag is only accepted on the nightly channel of Cargo/.test(ctx.text);
      const rustc = /the option `Z` is only accepted on the nightly compiler/.test(ctx.text);
      if (!cargo && !rustc) return undefined;
      const buildStd = /build-std/.test(ctx.text);
      return {
        message: `${cargo ? "cargo" : "rustc"} on the stable channel refuses \`-Z\` flags${rustc ? " (they came through `RUSTFLAGS` or `.cargo/config.toml`)" : ""}`,
        help: [
          ...(buildStd ? [] : ["remove the `-Z` flag (check `RUSTFLAGS` and `.cargo/config.toml`), or use a nightly toolchain"]),
          // cargo does not say which flag it refused: the usual one gets its stable way too.
          "if it was `-Zbuild-std`, there to get `core` for a target without a prebuilt one: run `freestand sysroot --target <target>` once instead, then build with `freestand build`",
        ],
        data: { tool: cargo ? "cargo" : "rustc" },
        // rustc's refusal means the flag came through the rustflags, which check reads; cargo's, the command line.
        rule: rustc ? "unstable_feature_on_stable" : null,
      };
    },
  },
  {
    code: "explain_e0514_incompatible_rustc",
    compilerCodes: ["E0514"],
    title: "E0514: crate compiled by an incompatible rustc",
    summary: "the sysroot's `core` was built by another compiler version",
    defaultSeverity: "error",
    rule: "target_not_installed",
    fixtures: ["e0514-incompatible"],
    explanation: `Rust libraries (\`.rlib\`) only load into the exact compiler version that built them. This happens when a
sysroot built with one compiler (say Debian's \`rustc\` 1.96) is used with another (rustup's 1.95), or after a toolchain
update. Build with the compiler that made it (\`RUSTC=/path/to/that/rustc cargo build\`; \`freestand build\` does
this by itself with the sysroots it builds), or use a sysroot built for your compiler, which needs that
compiler's library sources (\`freestand sysroot --target <target> --rustc <path>\`).

Caught before compiling by \`freestand check\` (\`target_not_installed\`) and \`freestand doctor\`.`,
    match(ctx) {
      if (ctx.msg.code !== "E0514") return undefined;
      const crate = quoted(ctx.msg.message, /found crate `([^`]+)` compiled by/);
      const found = /compiled by (rustc \d[^:\n]*?): (\S+)/.exec(ctx.text);
      const current = quoted(ctx.text, /using this compiler \((rustc \d[^\n]*?)\)(?: \(consider|$)/m);
      return {
        message: `\`${crate ?? "a crate"}\` was built by ${found ? found[1] : "another compiler version"}, and rustc only loads libraries built by its own exact version${current ? ` (${current})` : ""}`,
        help: [
          found ? `build with the compiler that made it: \`RUSTC=<path of ${found[1]}> cargo build\`, or point \`--sysroot\` at a sysroot built for the compiler you use` : "build with the compiler that made the sysroot (`RUSTC=<its path> cargo build`), or point `--sysroot` at one built for the compiler you use",
        ],
        data: { crate: crate ?? null, builtBy: found?.[1] ?? null, path: found?.[2] ?? null, compiler: current ?? null },
        rootCause: `the incompatible \`${crate ?? "crate"}\``,
      };
    },
  },
  {
    code: "explain_rust_lld_not_found",
    title: "linker `rust-lld` not found",
    summary: "the linker rustc wants for this target is not installed",
    defaultSeverity: "error",
    caughtBy: "freestand doctor",
    fixtures: ["rust-lld-not-found"],
    explanation: `Bare-metal targets link with \`rust-lld\`, which rustup installs next to rustc but distributions' rustc packages
do not ship (Debian's \`rustc-web\` has none). Either install LLVM's lld (\`apt install lld\`) and link with it
(\`-C linker=ld.lld\` in the target's \`rustflags\`), or put a \`rust-lld\` into
\`<sysroot>/lib/rustlib/x86_64-unknown-linux-gnu/bin/\`, where rustc looks for it.

Caught before compiling by \`freestand doctor\`.`,
    match(ctx) {
      const linker = quoted(ctx.msg.message, /^linker `([^`]+)` not found/);
      if (!linker) return undefined;
      const isLld = /lld/.test(linker);
      return {
        message: `the linker \`${linker}\` is not installed${isLld ? " (distribution rustc packages do not ship rust-lld)" : ""}`,
        help: isLld
          ? ["install lld (`apt install lld`) and add `-C linker=ld.lld` to the target's rustflags, or install the target with rustup, which ships rust-lld"]
          : [`install \`${linker}\`, or set another linker with \`-C linker=...\``],
        data: { linker },
      };
    },
  },
  {
    code: "explain_duplicate_start",
    title: "duplicate symbol: `_start` (the C runtime's start files)",
    summary: "the C runtime's `crt1.o` was linked next to your `_start`",
    defaultSeverity: "error",
    rule: "host_link_args_missing",
    fixtures: ["duplicate-start"],
    explanation: `On a host target, \`cc\` links the C runtime's start files (\`crt1.o\`/\`Scrt1.o\`), which define \`_start\` and
call libc's \`main\`. A freestanding binary brings its own \`_start\`, so the linker sees two (lld: \`duplicate symbol:
_start\`; GNU ld: \`multiple definition of \`_start'\`, usually with \`undefined reference to \`main'\`). Link without
them:

\`\`\`toml
[target.x86_64-unknown-linux-gnu]
rustflags = ["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static", "-C", "relocation-model=static"]
\`\`\`

Caught before compiling by \`freestand check\` (\`host_link_args_missing\`).`,
    match(ctx) {
      const report = ctx.linker();
      const sym = [...report.duplicate.keys()].find((s) => s === "_start" || s === "start" || s === "__start");
      if (!sym) return undefined;
      const refs = report.duplicate.get(sym)!;
      const crt = refs.map((r) => r.object ?? r.file ?? "").find((p) => /crt\d?\.o|crt1|Scrt1|crt0/.test(p));
      return {
        message: `\`${sym}\` is defined twice: by your code and by the C runtime's start file${crt ? ` (${crt.split("/").pop()})` : ""}, which \`cc\` links by default`,
        help: ["link without the C runtime: add `-C link-arg=-nostartfiles` (with `-nostdlib -static`) to the target's rustflags in `.cargo/config.toml`"],
        data: { symbol: sym, definitions: referencesData(refs), linker: report.flavour ?? null },
        location: referenceLocation(refs),
      };
    },
  },
  {
    code: "explain_undefined_mem_functions",
    title: "undefined symbol: `memcpy` / `memset` / `memmove` / `memcmp` / `bcmp`",
    summary: "nothing provides the C memory functions the compiler calls",
    defaultSeverity: "error",
    fixtures: ["undefined-mem"],
    explanation: `rustc turns copies, fills and comparisons into calls to \`memcpy\`, \`memmove\`, \`memset\`, \`memcmp\` and \`bcmp\`,
even in \`no_std\` code. Bare-metal targets get them from \`compiler_builtins\` (its \`mem\` feature, which rustup's
prebuilt \`core\` and \`freestand sysroot\` both enable; with \`-Zbuild-std\` add
\`-Zbuild-std-features=compiler-builtins-mem\`). The host target's precompiled \`compiler_builtins\` leaves them to
libc — which \`-nostdlib\` removes — so a freestanding Linux program defines them itself.

Written as plain Rust loops they do not work: the optimiser recognises a byte-copy loop and turns it back into a
call to \`memcpy\` — the function being defined, which then calls itself forever. On x86_64 the string instructions
do the job and cannot be turned back; \`freestand new\` puts exactly these in \`src/rt.rs\`:

\`\`\`rust
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    unsafe { core::arch::asm!("rep movsb", inout("rcx") n => _, inout("rdi") dest => _, inout("rsi") src => _, options(nostack, preserves_flags)) };
    dest
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dest as usize).wrapping_sub(src as usize) >= n {
        unsafe { memcpy(dest, src, n) };
    } else {
        unsafe { core::arch::asm!("std", "rep movsb", "cld", inout("rcx") n => _, inout("rdi") dest.add(n - 1) => _, inout("rsi") src.add(n - 1) => _, options(nostack)) };
    }
    dest
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(dest: *mut u8, c: i32, n: usize) -> *mut u8 {
    unsafe { core::arch::asm!("rep stosb", inout("rcx") n => _, inout("rdi") dest => _, in("al") c as u8, options(nostack, preserves_flags)) };
    dest
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i < n {
        let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
        i += 1;
    }
    0
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    unsafe { memcmp(a, b, n) }
}
\`\`\`

(A comparison loop is safe from that rewrite: LLVM turns copy and fill loops into calls, not comparisons.)

No \`check\` rule catches this: it only shows at link time.`,
    match(ctx) {
      const report = ctx.linker();
      const syms = [...report.undefined.keys()].filter((s) => MEM_FUNCTIONS.has(s));
      if (syms.length === 0) return undefined;
      const refs = syms.flatMap((s) => report.undefined.get(s)!);
      const triple = ctx.target();
      const host = triple !== undefined && /-linux-/.test(triple);
      return {
        message: host
          ? `nothing provides ${syms.map((s) => `\`${s}\``).join(", ")}: rustc emits calls to them, and linking without libc (\`-nostdlib\`) removed their only provider`
          : `nothing provides ${syms.map((s) => `\`${s}\``).join(", ")}: rustc emits calls to them, and this \`compiler_builtins\` was built without its \`mem\` feature`,
        help: host
          ? ["define them with instructions the optimiser cannot turn back into calls (x86_64: `rep movsb`, `rep stosb`), as the `src/rt.rs` of `freestand new --target host` does; `freestand explain explain_undefined_mem_functions` shows the code"]
          : ["use a `core` whose `compiler_builtins` has the `mem` feature: rustup's prebuilt one, or `freestand sysroot --target <target>`; with `-Zbuild-std`, add `-Zbuild-std-features=compiler-builtins-mem`"],
        data: { symbol: syms[0], symbols: syms, references: referencesData(refs), linker: report.flavour ?? null, target: triple ?? null },
        location: referenceLocation(refs),
      };
    },
  },
  {
    code: "explain_undefined_unwind_symbols",
    title: "undefined symbol: `rust_eh_personality` / `_Unwind_Resume`",
    summary: "precompiled `core`/`alloc` refer to the unwinding runtime",
    defaultSeverity: "error",
    fixtures: ["eh-personality", "unwind-resume"],
    explanation: `The host target's \`core\` and \`alloc\` are precompiled for \`panic = "unwind"\`, so their code refers to
\`rust_eh_personality\` (and, in some builds, \`_Unwind_Resume\`) even when your crate sets \`panic = "abort"\`. With
\`-nostdlib\` nothing provides them. Your own profiles are not the cause (check that they say \`panic = "abort"\`):
the precompiled libraries are. Define stubs that are never called when panics abort:

\`\`\`rust
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}

#[unsafe(no_mangle)]
pub extern "C" fn _Unwind_Resume() -> ! {
    loop {}
}
\`\`\`

The host crates \`freestand new\` creates carry the first one in \`src/rt.rs\`. No \`check\` rule catches this: it only
shows at link time.`,
    match(ctx) {
      const report = ctx.linker();
      const syms = [...report.undefined.keys()].filter((s) => UNWIND_SYMBOL.test(s));
      if (syms.length === 0) return undefined;
      const refs = syms.flatMap((s) => report.undefined.get(s)!);
      const fromCore = refs.some((r) => /lib(core|alloc)-[0-9a-f]+\.rlib/.test(`${r.object ?? ""} ${r.file ?? ""}`)) || /lib(core|alloc)-[0-9a-f]+\.rlib/.test(ctx.text);
      return {
        message: `${syms.map((s) => `\`${s}\``).join(", ")} ${syms.length === 1 ? "is" : "are"} referenced by ${fromCore ? "the precompiled `core`/`alloc`, built for unwinding" : "code built for unwinding"}, and nothing provides ${syms.length === 1 ? "it" : "them"} without libc`,
        help: [`define ${syms.map((s) => `\`${s}\``).join(" and ")} as ${syms.length === 1 ? "a stub" : "stubs"} that are never called when panics abort (\`#[unsafe(no_mangle)] pub extern "C" fn rust_eh_personality() {}\`; see \`freestand explain explain_undefined_unwind_symbols\`)`],
        data: { symbol: syms[0], symbols: syms, references: referencesData(refs), linker: report.flavour ?? null },
        location: referenceLocation(refs),
      };
    },
  },
  {
    code: "explain_undefined_linker_script_symbol",
    title: "undefined linker-script symbols (`_sbss`, `_ebss`, `_stack_top`, …)",
    summary: "boot code uses symbols that no linker script defines",
    defaultSeverity: "error",
    rule: "missing_linker_script",
    fixtures: ["linker-script-symbols"],
    explanation: `Boot code finds the bounds of \`.bss\` and \`.data\` and the top of the stack through symbols that the linker
script defines (\`_sbss = ADDR(.bss);\`, \`_stack_top = ORIGIN(RAM) + LENGTH(RAM);\`). When the script is not passed
(\`-C link-arg=-Tlink.x\`) or does not define them, the linker reports them as undefined. Pass the script, define the
symbols in it, or use a runtime crate (\`cortex-m-rt\`, \`riscv-rt\`) whose \`link.x\` does.

Caught before compiling by \`freestand check\` (\`missing_linker_script\`).`,
    match(ctx) {
      const report = ctx.linker();
      const syms = [...report.undefined.keys()].filter((s) => LINKER_SCRIPT_SYMBOL.test(s));
      if (syms.length === 0) return undefined;
      const refs = syms.flatMap((s) => report.undefined.get(s)!);
      // A command line with `-T` passed a script that lacks the symbols: check's rule is about a missing script.
      const scriptPassed = /"-T[^"]*"|"--script[= ]/.test(ctx.text) || /\s-T\S/.test(ctx.text);
      return {
        rule: scriptPassed ? null : "missing_linker_script",
        message: scriptPassed
          ? `${syms.map((s) => `\`${s}\``).join(", ")} ${syms.length === 1 ? "is" : "are"} normally defined by the linker script, and the script given to the linker does not define ${syms.length === 1 ? "it" : "them"}`
          : `${syms.map((s) => `\`${s}\``).join(", ")} ${syms.length === 1 ? "is" : "are"} normally defined by the linker script, and no linker script is given to the linker`,
        help: [
          "pass your linker script (`-C link-arg=-Tlink.x` in the target's rustflags) and define the symbols there, for example `_sbss = ADDR(.bss); _ebss = ADDR(.bss) + SIZEOF(.bss);`",
        ],
        data: { symbol: syms[0], symbols: syms, references: referencesData(refs), linker: report.flavour ?? null },
        location: referenceLocation(refs),
      };
    },
  },
  {
    code: "explain_missing_entry_symbol",
    title: "cannot find entry symbol `_start`",
    summary: "the linker found no entry point: the binary would start at address 0",
    defaultSeverity: "warning",
    rule: "entry_point_mangled",
    fixtures: ["entry-symbol", "entry-no-script"],
    explanation: `The linker looks for the entry symbol (\`_start\`, or what \`ENTRY()\` in the linker script names). A Rust
function called \`_start\` without \`#[unsafe(no_mangle)]\` gets a mangled symbol name, so the linker does not find it —
and this is only a *warning*: the binary links, with entry address 0, and crashes at once. rustc shows linker
warnings only with \`-W linker-messages\` (freestand build passes it).

Mark the entry \`#[unsafe(no_mangle)] pub extern "C" fn _start() -> !\`, or fix the name in \`ENTRY()\`.
Caught before compiling by \`freestand check\` (\`entry_point_mangled\`); \`freestand verify\` checks the entry address.`,
    match(ctx) {
      const report = ctx.linker();
      if (!report.missingEntry) return undefined;
      const sym = report.missingEntry;
      const triple = ctx.target();
      const hostX86 = triple !== undefined && /^x86_64-.*-linux-/.test(triple);
      const noScript = triple !== undefined && /-none/.test(triple) && !/^x86_64/.test(triple) && !/"-T|"--script/.test(ctx.text);
      if (noScript) {
        // The entry function may well exist: the linker script that names it in ENTRY() was never passed.
        return {
          message: `the linker found no \`${sym}\`: no linker script is passed, so nothing tells it where the program starts (its \`ENTRY(...)\` would)`,
          help: ["pass your linker script: `\"-C\", \"link-arg=-Tlink.x\"` in the target's rustflags (`freestand check --fix` adds it when the script is beside Cargo.toml)"],
          data: { symbol: sym, linker: report.flavour ?? null },
          rule: "missing_linker_script",
        };
      }
      if (triple === undefined) {
        // Which advice fits depends on the target, which this output does not show.
        return {
          message: `the linker found no \`${sym}\`, so the binary has no entry point (it would start at address 0)`,
          help: [
            `on x86_64 Linux, define \`${sym}\` in assembly that aligns the stack and calls into Rust (\`freestand check --fix\` writes it); on a bare-metal target, export it as \`#[unsafe(no_mangle)] pub extern "C" fn ${sym}() -> !\`, or pass the linker script whose \`ENTRY(...)\` names the entry`,
            "give `--target` (or run from the crate, `--root`) for advice that fits the target",
          ],
          data: { symbol: sym, linker: report.flavour ?? null },
          rule: null,
        };
      }
      return {
        message: `the linker found no \`${sym}\`, so the binary has no entry point (it would start at address 0)`,
        help: [
          hostX86
            ? `define \`${sym}\` in assembly that aligns the stack and calls into Rust (\`global_asm!\`, as the crates \`freestand new\` creates do): a Rust \`_start\`, even exported, runs misaligned on x86_64 Linux; \`freestand check --fix\` writes it`
            : `mark the entry function \`#[unsafe(no_mangle)] pub extern "C" fn ${sym}() -> !\` (a mangled name is invisible to the linker), or fix \`ENTRY(...)\` in the linker script`,
        ],
        data: { symbol: sym, linker: report.flavour ?? null },
        rule: hostX86 ? "entry_point_stack_alignment" : "entry_point_mangled",
      };
    },
  },
];

const BY_CODE = new Map(CATALOGUE.map((e) => [e.code, e]));

export function findExplainEntry(code: string): ExplainEntry | undefined {
  return BY_CODE.get(code);
}

export type { ExplainEntry, Finding };
