import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { demangle } from "../../src/elf/demangle.js";
import { readElf } from "../../src/elf/reader.js";
import { buildDemangleRef, missing, vendoredRustcDemangle } from "./build-helpers.js";

/** Every symbol name of an ELF, through our own reader (symtab and dynsym). */
function symbolNames(file: string): string[] {
  const elf = readElf(file);
  try {
    const names = new Set<string>();
    for (const kind of ["symtab", "dynsym"] as const) for (const s of elf.symbols(kind)) if (s.name) names.add(s.name);
    return [...names];
  } finally {
    elf.close();
  }
}

/** The shared library of the rustup stable toolchain: ~20 000 v0 symbols of the compiler itself. */
function rustcDriver(): string | undefined {
  const toolchains = path.join(os.homedir(), ".rustup", "toolchains");
  try {
    for (const tc of readdirSync(toolchains).filter((t) => t.startsWith("stable-"))) {
      const lib = path.join(toolchains, tc, "lib");
      const so = readdirSync(lib).find((f) => f.startsWith("librustc_driver-") && f.endsWith(".so"));
      if (so) return path.join(lib, so);
    }
  } catch {
    // no rustup toolchains: the caller skips that corpus
  }
  return undefined;
}

const skipRef = missing("cargo") ?? (vendoredRustcDemangle() ? undefined : "needs the rustc-demangle sources of Debian's rust-web-src (scripts/ensure-env.sh)");

test("demangle agrees with rustc-demangle on every symbol of real Rust binaries (legacy and v0)", { skip: skipRef, timeout: 600_000 }, () => {
  const legacyExe = buildDemangleRef("legacy");
  const v0Exe = buildDemangleRef("v0");
  const corpus = new Set<string>([...symbolNames(legacyExe), ...symbolNames(v0Exe)]);
  const driver = rustcDriver();
  if (driver) for (const s of symbolNames(driver)) corpus.add(s);
  // C++ symbols must come back unchanged (the reference leaves them alone too).
  const libstdcxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
  try {
    for (const s of symbolNames(libstdcxx)) corpus.add(s);
  } catch {
    // not installed: the Rust corpora are the point of this test
  }
  const symbols = [...corpus].filter((s) => !s.includes("\n"));
  const expected = runWithInput(v0Exe, symbols.join("\n") + "\n").split("\n");
  let legacy = 0, v0 = 0, raw = 0;
  const mismatches: string[] = [];
  symbols.forEach((s, i) => {
    const ours = demangle(s);
    if (ours !== expected[i]) mismatches.push(`${s}\n  ours: ${ours}\n  ref:  ${expected[i]}`);
    if (s.startsWith("_ZN") && ours !== s) legacy++;
    else if (s.startsWith("_R") && ours !== s) v0++;
    else raw++;
  });
  console.log(`demangle: compared ${symbols.length} symbols with rustc-demangle (${legacy} legacy, ${v0} v0, ${raw} left raw)`);
  assert.deepEqual(mismatches.slice(0, 10), []);
  assert.ok(legacy > 20, `expected legacy symbols in the corpus, got ${legacy}`);
  assert.ok(v0 > 200, `expected v0 symbols in the corpus, got ${v0}`);

  // Names we wrote ourselves in test/fixtures/elf/demangle-ref/src/main.rs, as v0 symbols.
  const ownV0 = symbolNames(v0Exe).map((s) => demangle(s));
  for (const name of [
    "demangle_ref::grüße::<alloc::vec::Vec<i64>>",
    "demangle_ref::grüße::<(u8, char, &str)>",
    "<demangle_ref::Square<3> as demangle_ref::Shape>::area",
    "<demangle_ref::Square<7> as demangle_ref::Shape>::area",
    "demangle_ref::total",
  ]) {
    assert.ok(ownV0.includes(name), `${name} not among the demangled v0 symbols`);
  }
  // And as legacy symbols: hashes gone, the path readable.
  const ownLegacy = symbolNames(legacyExe).map((s) => demangle(s));
  for (const name of ["demangle_ref::total", "demangle_ref::grüße", "<demangle_ref::Square<_> as demangle_ref::Shape>::area"]) {
    assert.ok(ownLegacy.includes(name), `legacy ${name} not found`);
  }
});

/** Runs a filter program over stdin (the reference demangler reads one symbol per line). */
function runWithInput(cmd: string, input: string): string {
  const r = spawnSync(cmd, [], { input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return r.stdout;
}

test("demangle agrees with llvm-cxxfilt on the v0 symbols of the Rust compiler's own library", { skip: missing("llvm-cxxfilt") ?? (rustcDriver() ? undefined : "needs a rustup stable toolchain (librustc_driver)") }, () => {
  // LLVM 14 leaves symbols with `.cold`-style suffixes raw where rustc-demangle keeps the suffix: compare the rest.
  const v0 = symbolNames(rustcDriver()!).filter((s) => s.startsWith("_R") && !s.includes("."));
  const expected = runWithInput("llvm-cxxfilt", v0.join("\n") + "\n").split("\n");
  const mismatches = v0.filter((s, i) => demangle(s) !== expected[i]);
  console.log(`demangle: compared ${v0.length} v0 symbols with llvm-cxxfilt, ${mismatches.length} differ`);
  assert.deepEqual(mismatches.slice(0, 5), []);
  assert.ok(v0.length > 1000);
});

test("names that are not Rust symbols come back unchanged", () => {
  for (const s of ["main", "_start", "memcpy", "_ZN3foo3barEv", "_ZNSt6vectorIiSaIiEE9push_backERKi", "_ZN4test", "_RNvC", "_R", "R", "_Rx", "__libc_start_main", ""]) {
    assert.equal(demangle(s), s);
  }
});

test("legacy escapes, hashes and suffixes", () => {
  assert.equal(demangle("_ZN4core3fmt5write17h0123456789abcdefE"), "core::fmt::write");
  assert.equal(demangle("_ZN35Bar$LT$$u5b$u32$u3b$$u20$4$u5d$$GT$E"), "Bar<[u32; 4]>");
  assert.equal(demangle("_ZN4core3ptr42drop_in_place$LT$alloc..string..String$GT$17h1f2e3d4c5b6a7988E.llvm.123ABC"), "core::ptr::drop_in_place<alloc::string::String>");
  assert.equal(demangle("_ZN3foo3bar17h0123456789abcdefE.cold"), "foo::bar.cold");
});

test("corrupt v0 symbols are bounded: recursion and size limits, never a crash", () => {
  // 1000 nested references: past the 500-level limit, so the symbol is not accepted and comes back raw.
  const deep = "_R" + "RR".repeat(1000) + "NvC1a1b";
  assert.equal(demangle(deep), deep);
  // A back-reference to itself must not loop.
  const selfRef = "_RB_";
  assert.equal(demangle(selfRef), selfRef);
});
