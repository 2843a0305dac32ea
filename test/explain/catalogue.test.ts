/**
 * Every catalogue entry against real compiler and linker output provoked on this machine
 * (test/fixtures/explain/provoke.sh): the recognised cause, and the span or symbol extracted, from both cargo's JSON
 * messages and its plain text.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import os from "node:os";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { CATALOGUE, explainCargoMessages, explainText, parseJsonLines, type ExplainResult } from "../../src/explain/index.js";
import { RULES } from "../../src/rules/index.js";
import { check } from "../../src/check/index.js";
import { cleanEnv } from "../check/harness.js";
import { PACKAGE_ROOT } from "../../src/version.js";

const FIXTURES = path.join(PACKAGE_ROOT, "test/fixtures/explain");
/** provoke.sh builds each crate in this scratch directory (one per compiler); the fixtures' paths point there. */
const SCRATCH = "/tmp/freestand-explain-provoke/work";
/** The compilers provoke.sh runs each case with: rustup's stable and nightly, Debian's rustc-web. */
const COMPILERS = ["stable", "nightly", "rustc-web"] as const;
type Compiler = (typeof COMPILERS)[number];
/** rustup's compilers link for the host with their bundled lld; Debian's through `cc`, with GNU ld. */
const LINKER: Record<Compiler, string> = { stable: "lld", nightly: "lld", "rustc-web": "gnu" };

interface Expect {
  code: string;
  /** Source location the explanation points at (file relative to the crate). */
  at?: { file: string; line: number; column?: number };
  /** The source text the byte span covers (checked against the committed crate). */
  spanText?: string;
  symbol?: string;
  symbols?: string[];
  data?: Record<string, unknown>;
  /** The check rule the explanation names; null: it must name none. */
  rule?: string | null;
  severity?: "error" | "warning" | "info";
}

interface Case {
  /** The case of provoke.sh: test/fixtures/explain/<compiler>/<fixture>.{txt,jsonl}, for each compiler that has it. */
  fixture: string;
  /** The crate under test/fixtures/explain/crates the fixture was built from. */
  crate: string;
  errors: number;
  warnings?: number;
  /** Explanations per message, in order; `null` for a message that must stay unexplained. */
  explained: (Expect[] | null)[];
  /** Expectations that differ in the JSON form (JSON spans are richer). */
  json?: (Expect[] | null)[] | "none";
}

const follow = (rootCause: RegExp): Expect => ({ code: "explain_follow_on", severity: "info", data: { _message: rootCause } });

const STD_MACROS: (Expect[] | null)[] = [
  [{ code: "explain_std_macro", rule: "std_macro", at: { file: "src/main.rs", line: 10, column: 13 }, spanText: "vec", data: { macro: "vec" } }],
  [{ code: "explain_std_macro", at: { file: "src/main.rs", line: 9, column: 13 }, spanText: "format", data: { macro: "format" } }],
  [{ code: "explain_std_macro", at: { file: "src/main.rs", line: 8, column: 5 }, spanText: "eprintln", data: { macro: "eprintln" } }],
  [{ code: "explain_std_macro", at: { file: "src/main.rs", line: 7, column: 5 }, spanText: "print", data: { macro: "print" } }],
  [{ code: "explain_std_macro", at: { file: "src/main.rs", line: 6, column: 5 }, spanText: "println", data: { macro: "println" } }],
];

const CASES: Case[] = [
  {
    fixture: "e0463-std-self",
    crate: "e0463-std-self",
    errors: 3,
    explained: [
      [{ code: "explain_e0463_std", rule: "missing_no_std", data: { crate: "e0463_std_self", origin: "this crate", target: "thumbv7m-none-eabi" } }],
      [follow(/missing `std`/)],
      [follow(/missing `std`/)],
    ],
  },
  {
    fixture: "e0463-std-dep",
    crate: "e0463-std-dep",
    errors: 2,
    explained: [
      [{ code: "explain_e0463_std", rule: "dependency_requires_std", data: { crate: "helper", origin: "a dependency", target: "thumbv7m-none-eabi" } }],
      [follow(/missing `std`/)],
    ],
    json: [
      [
        {
          code: "explain_e0463_std",
          rule: "dependency_requires_std",
          at: { file: "helper/src/lib.rs", line: 1, column: 1 },
          data: { crate: "helper", origin: "a dependency" },
        },
      ],
      [follow(/missing `std`/)],
    ],
  },
  {
    fixture: "e0463-core",
    crate: "e0463-core",
    errors: 1,
    explained: [[{ code: "explain_e0463_core", rule: "target_not_installed", data: { crate: "core", target: "thumbv7m-none-eabi" } }]],
  },
  {
    fixture: "e0152-panic-impl",
    crate: "e0152-panic-impl",
    errors: 1,
    explained: [
      [
        {
          code: "explain_e0152_panic_impl",
          rule: "dependency_requires_std",
          at: { file: "src/main.rs", line: 11, column: 1 },
          data: { via: "helper", origin: "a dependency" },
        },
      ],
    ],
  },
  {
    fixture: "panic-handler-missing",
    crate: "panic-handler-missing",
    errors: 1,
    explained: [[{ code: "explain_panic_handler_missing", rule: "missing_panic_handler" }]],
  },
  {
    fixture: "panic-handler-wrong-type",
    crate: "panic-handler-wrong-type",
    errors: 1,
    explained: [
      [
        {
          code: "explain_panic_handler_wrong_type",
          rule: "panic_handler_signature",
          at: { file: "src/main.rs", line: 10, column: 41 },
          data: { found: "for<'a, 'b> fn(&'a PanicInfo<'b>) -> ()" },
        },
      ],
    ],
  },
  {
    fixture: "unwinding-without-std",
    crate: "unwinding-without-std",
    errors: 1,
    explained: [[{ code: "explain_unwinding_without_std", rule: "panic_strategy_unwind" }]],
  },
  {
    fixture: "no-global-allocator",
    crate: "no-global-allocator",
    errors: 1,
    explained: [[{ code: "explain_no_global_allocator", rule: "alloc_without_global_allocator" }]],
  },
  {
    fixture: "alloc-not-in-scope",
    crate: "alloc-not-in-scope",
    errors: 1,
    explained: [[{ code: "explain_alloc_not_in_scope", rule: "alloc_not_declared", at: { file: "src/main.rs", line: 5, column: 5 }, spanText: "alloc" }]],
  },
  {
    fixture: "std-path",
    crate: "std-path",
    errors: 1,
    explained: [[{ code: "explain_std_path", rule: "std_path", at: { file: "src/main.rs", line: 5, column: 5 }, spanText: "std" }]],
  },
  {
    fixture: "e0580-main-type",
    crate: "e0580-main-type",
    errors: 1,
    explained: [[{ code: "explain_e0580_no_main", rule: "missing_no_main" }]],
  },
  {
    fixture: "macro-use-missing",
    crate: "macro-use-missing",
    errors: 1,
    warnings: 1,
    // The crate has its own println!: the cause is scope (#[macro_use]), which no check rule claims.
    explained: [[{ code: "explain_std_macro", rule: null, at: { file: "src/main.rs", line: 9, column: 5 }, data: { macro: "println", _message: /defines `println!` \(print\.rs\)/ } }], null],
  },
  {
    fixture: "std-macros",
    crate: "std-macros",
    errors: 5,
    explained: STD_MACROS,
  },
  // The same errors with cargo's colours on (--color=always): escape codes must not change what is recognised.
  { fixture: "std-macros-color", crate: "std-macros", errors: 5, explained: STD_MACROS },
  {
    fixture: "unsafe-attribute",
    crate: "unsafe-attribute",
    errors: 1,
    explained: [
      [
        {
          code: "explain_unsafe_attribute",
          rule: "unsafe_attribute",
          at: { file: "src/main.rs", line: 4, column: 3 },
          spanText: "no_mangle",
          data: { attribute: "no_mangle" },
        },
      ],
    ],
  },
  {
    fixture: "e0554-feature",
    crate: "e0554-feature",
    errors: 1,
    explained: [
      [
        {
          code: "explain_feature_on_stable",
          rule: "unstable_feature_on_stable",
          at: { file: "src/main.rs", line: 3, column: 1 },
          data: { feature: "alloc_error_handler", _message: /not needed.*1\.68/ },
        },
      ],
    ],
  },
  {
    fixture: "e0601-no-main",
    crate: "e0601-no-main",
    errors: 1,
    explained: [[{ code: "explain_e0601_no_main", rule: "missing_no_main", at: { file: "src/main.rs", line: 11, column: 2 } }]],
  },
  {
    fixture: "z-flag-cargo",
    crate: "e0463-core",
    errors: 1,
    // Typed on cargo's command line: nothing check reads.
    explained: [[{ code: "explain_z_flag_on_stable", rule: null, data: { tool: "cargo" } }]],
    json: "none",
  },
  {
    fixture: "z-flag-rustc",
    crate: "e0463-core",
    errors: 1,
    explained: [[{ code: "explain_z_flag_on_stable", rule: "unstable_feature_on_stable", data: { tool: "rustc" } }]],
    json: "none",
  },
  {
    fixture: "e0514-incompatible",
    crate: "e0463-core",
    errors: 5,
    explained: [
      [{ code: "explain_e0514_incompatible_rustc", rule: "target_not_installed", data: { crate: "core", _builtBy: /^rustc 1\.96\.0/, _compiler: /^rustc 1\.9[57]\.0/ } }],
      [follow(/incompatible `core`/)],
      [{ code: "explain_e0514_incompatible_rustc", at: { file: "src/main.rs", line: 5, column: 18 }, spanText: "core", data: { crate: "core" } }],
      [{ code: "explain_e0514_incompatible_rustc", data: { crate: "compiler_builtins" } }],
      [follow(/incompatible `core`/)],
    ],
  },
  {
    fixture: "duplicate-start",
    crate: "duplicate-start",
    errors: 1,
    explained: [
      [
        {
          code: "explain_duplicate_start",
          rule: "host_link_args_missing",
          symbol: "_start",
          at: { file: "src/main.rs", line: 7 },
          data: { linker: "$linker", _message: /Scrt1\.o/ },
        },
      ],
    ],
  },

  {
    fixture: "undefined-mem",
    crate: "undefined-mem",
    errors: 1,
    explained: [
      [
        {
          code: "explain_undefined_mem_functions",
          symbols: ["memcmp", "memset", "memcpy", "memmove"],
          at: { file: "src/main.rs", line: 9 },
          data: { linker: "$linker", target: "x86_64-unknown-linux-gnu", _message: /without libc/ },
        },
        // The profiles already abort: the precompiled `core` is the cause, which no check rule sees.
        { code: "explain_undefined_unwind_symbols", symbols: ["rust_eh_personality"], rule: null, data: { _message: /precompiled `core`/ } },
      ],
    ],
  },

  {
    fixture: "eh-personality",
    crate: "eh-personality",
    errors: 1,
    explained: [[{ code: "explain_undefined_unwind_symbols", rule: null, symbols: ["rust_eh_personality"], data: { linker: "$linker" } }]],
  },

  {
    fixture: "unwind-resume",
    crate: "unwind-resume",
    errors: 1,
    explained: [[{ code: "explain_undefined_unwind_symbols", symbols: ["_Unwind_Resume"] }]],
  },
  {
    fixture: "linker-script-symbols",
    crate: "linker-script-symbols",
    errors: 1,
    explained: [
      [
        {
          code: "explain_undefined_linker_script_symbol",
          // The script is passed; it does not define them: not what missing_linker_script is about.
          rule: null,
          symbols: ["_sbss", "_ebss"],
          at: { file: "src/main.rs", line: 13 },
          spanText: "let mut p = &raw mut _sbss;",
        },
      ],
    ],
  },
  {
    fixture: "rust-lld-not-found",
    crate: "e0463-core",
    errors: 1,
    explained: [[{ code: "explain_rust_lld_not_found", data: { linker: "rust-lld" } }]],
  },
  {
    fixture: "entry-symbol",
    crate: "entry-symbol",
    errors: 0,
    warnings: 1,
    // On the x86_64 host the advice is the trampoline, not an exported Rust `_start`.
    explained: [[{ code: "explain_missing_entry_symbol", rule: "entry_point_stack_alignment", severity: "warning", symbol: "_start", data: { linker: "$linker" } }]],
  },
  {
    fixture: "entry-no-script",
    crate: "entry-no-script",
    errors: 0,
    warnings: 1,
    // `Reset` exists; the script that names it in ENTRY() is not passed.
    explained: [[{ code: "explain_missing_entry_symbol", rule: "missing_linker_script", severity: "warning", symbol: "_start", data: { _message: /no linker script is passed/ } }]],
  },

  {
    fixture: "clean-build",
    crate: "clean-build",
    errors: 0,
    warnings: 1,
    explained: [null],
  },
];

/** Options that resolve the fixture's scratch paths and read the sources from the committed crate instead. */
function optionsFor(c: Case, compiler: Compiler) {
  const scratch = path.join(SCRATCH, compiler, c.fixture);
  const crateDir = path.join(FIXTURES, "crates", c.crate);
  return {
    root: scratch,
    target: provokeSettings(c.fixture).target ?? "x86_64-unknown-linux-gnu",
    readSource: (file: string) => {
      if (!file.startsWith(scratch + "/")) return undefined;
      try {
        return readFileSync(path.join(crateDir, file.slice(scratch.length + 1)), "utf8");
      } catch {
        return undefined;
      }
    },
    crateDir,
    scratch,
  };
}

function checkResult(c: Case, compiler: Compiler, result: ExplainResult, expected: (Expect[] | null)[], form: string): void {
  const o = optionsFor(c, compiler);
  assert.equal(result.counts.errors, c.errors, `${form}: errors`);
  assert.equal(result.counts.warnings, c.warnings ?? 0, `${form}: warnings`);
  assert.equal(result.messages.length, expected.length, `${form}: messages`);
  const explainedErrors = expected.filter((e, i) => e && result.messages[i]?.level === "error").length;
  assert.equal(result.counts.errorsExplained, explainedErrors, `${form}: errors explained`);
  expected.forEach((exp, i) => {
    const m = result.messages[i]!;
    assert.ok(m.rendered.length > 0, `${form}: message ${i} keeps cargo's text`);
    if (exp === null) {
      assert.deepEqual(m.diagnostics, [], `${form}: message ${i} must stay unexplained`);
      return;
    }
    assert.deepEqual(
      m.diagnostics.map((d) => d.code),
      exp.map((e) => e.code),
      `${form}: message ${i} (${m.message.slice(0, 60)})`,
    );
    exp.forEach((e, j) => {
      const d = m.diagnostics[j]!;
      const where = `${form}: ${e.code} on message ${i}`;
      assert.equal(d.severity, e.severity ?? m.level, `${where}: severity`);
      assert.ok(d.message.length > 10 && !d.message.includes("undefined"), `${where}: a real sentence: ${d.message}`);
      if (e.code !== "explain_follow_on") assert.ok(d.help && d.help.length > 0, `${where}: says how to fix it`);
      if (e.rule) {
        assert.equal(d.data?.rule, e.rule, `${where}: rule`);
        assert.ok(d.notes?.some((n) => n.includes(e.rule!)), `${where}: the note names the rule`);
      } else if (e.rule === null) {
        assert.equal(d.data?.rule, undefined, `${where}: names no rule`);
        assert.ok(!d.notes?.some((n) => /freestand check/.test(n)), `${where}: says nothing about check`);
      }
      if (e.symbol) assert.equal(d.data?.symbol, e.symbol, `${where}: symbol`);
      // The linker lists undefined symbols in an order that varies between runs (parallel codegen units).
      if (e.symbols) assert.deepEqual([...(d.data?.symbols as string[])].sort(), [...e.symbols].sort(), `${where}: symbols`);
      if (e.at) {
        assert.equal(d.file, path.join(o.scratch, e.at.file), `${where}: file`);
        assert.equal(d.data?.line, e.at.line, `${where}: line`);
        if (e.at.column !== undefined) assert.equal(d.data?.column, e.at.column, `${where}: column`);
      }
      if (e.spanText !== undefined) {
        assert.ok(d.span, `${where}: has a byte span`);
        const src = Buffer.from(readFileSync(path.join(o.crateDir, e.at!.file), "utf8"));
        assert.equal(src.subarray(d.span.start, d.span.end).toString(), e.spanText, `${where}: span text`);
      }
      for (const [k, v] of Object.entries(e.data ?? {})) {
        if (k === "_message") assert.match(d.message, v as RegExp, `${where}: message`);
        else if (k.startsWith("_")) assert.match(String(d.data?.[k.slice(1)]), v as RegExp, `${where}: data.${k.slice(1)}`);
        else assert.deepEqual(d.data?.[k], v === "$linker" ? LINKER[compiler] : v, `${where}: data.${k}`);
      }
    });
  });
}

/** The compilers that provoked this case (provoke.sh knows which can). */
function compilersOf(c: Case): Compiler[] {
  return COMPILERS.filter((k) => existsSync(path.join(FIXTURES, k, `${c.fixture}.txt`)));
}

for (const c of CASES) {
  test(`explain ${c.fixture}: some compiler provoked it`, () => assert.ok(compilersOf(c).length > 0, "run test/fixtures/explain/provoke.sh"));
  for (const compiler of compilersOf(c)) {
    test(`explain ${c.fixture} (${compiler}): plain text`, () => {
      const text = readFileSync(path.join(FIXTURES, compiler, `${c.fixture}.txt`), "utf8");
      checkResult(c, compiler, explainText(text, optionsFor(c, compiler)), c.explained, "text");
    });
    test(`explain ${c.fixture} (${compiler}): cargo JSON`, () => {
      const lines = parseJsonLines(readFileSync(path.join(FIXTURES, compiler, `${c.fixture}.jsonl`), "utf8"));
      const result = explainCargoMessages(lines, optionsFor(c, compiler));
      if (c.json === "none") {
        // Cargo failed before running rustc: its error is on stderr only (text), stdout has no message.
        assert.equal(result.messages.length, 0);
        return;
      }
      checkResult(c, compiler, result, c.json ?? c.explained, "json");
    });
  }
}

test("every catalogue entry has real fixtures, and each fixture exercises it", () => {
  const covered = new Set<string>();
  for (const c of CASES) for (const exps of c.explained) for (const e of exps ?? []) covered.add(e.code);
  for (const entry of CATALOGUE) {
    assert.ok(entry.fixtures.length > 0, `${entry.code} names its fixtures`);
    assert.ok(covered.has(entry.code), `${entry.code} is asserted by a case`);
    for (const f of entry.fixtures) {
      assert.ok(COMPILERS.some((k) => existsSync(path.join(FIXTURES, k, `${f}.txt`))), `${entry.code}: fixture ${f}.txt exists for some compiler`);
      const c = CASES.find((k) => k.fixture === f);
      assert.ok(c, `${entry.code}: fixture ${f} has a case`);
      assert.ok(c.explained.some((exps) => exps?.some((e) => e.code === entry.code)), `${entry.code}: fixture ${f} asserts it`);
    }
  }
  const provoke = readFileSync(path.join(FIXTURES, "provoke.sh"), "utf8");
  const all = /^ALL=\(([^)]*)\)/m.exec(provoke)?.[1] ?? "";
  for (const c of CASES) assert.match(all, new RegExp(`(^|\\s)${c.fixture}(\\s|$)`), `provoke.sh regenerates ${c.fixture}`);
});

test("every entry names the check rule that catches it, or the command that does, or says that nothing does", () => {
  const rules = new Set(RULES.map((r) => r.id));
  for (const e of CATALOGUE) {
    assert.match(e.code, /^explain_[a-z0-9_]+$/);
    if (e.rule) assert.ok(rules.has(e.rule), `${e.code}: ${e.rule} is a rule`);
    else if (e.caughtBy) assert.match(e.caughtBy, /^freestand [a-z]+$/);
    // Without a rule or a command, the page must say plainly that nothing catches it before linking.
    else if (e.code !== "explain_follow_on") assert.match(e.explanation, /No `check` rule catches this/, e.code);
    assert.ok(e.explanation.length > 100, `${e.code} has a long explanation`);
  }
});

/** How provoke.sh built each case's crate, as `check` options (the target, the rustflags in the environment). */
function provokeSettings(fixture: string): { target?: string; rustflags?: string } {
  const bare = ["e0463-std-self", "e0463-std-dep", "e0463-core", "entry-no-script", "linker-script-symbols", "rust-lld-not-found", "e0514-incompatible"];
  if (fixture === "z-flag-rustc") return { rustflags: "-Zunstable-options" };
  if (fixture === "linker-script-symbols") return { target: "thumbv7m-none-eabi", rustflags: "-C link-arg=-Tlink.x" };
  return bare.includes(fixture) ? { target: "thumbv7m-none-eabi" } : {};
}

/** A sysroot built by Debian's rustc-web for thumbv7m (what provoke.sh gave rustup's compiler for E0514). */
async function rustcWebSysroot(): Promise<string | undefined> {
  const { cachedEntriesFor, defaultSysrootRoot } = await import("../../src/toolchain/cache.js");
  const entries = await cachedEntriesFor(defaultSysrootRoot(process.env), "thumbv7m-none-eabi");
  return entries.find((e) => /\b1\.96\./.test(e.manifest.rustc.verbose ?? ""))?.sysroot ?? entries[0]?.sysroot;
}

// "freestand check finds this before compiling (rule X)" must be true: check names rule X on the very crate that
// provoked the error, built the way provoke.sh built it.
for (const c of CASES) {
  test(`the rule an explanation of ${c.fixture} names fires on its crate`, async (t) => {
    const compiler = compilersOf(c)[0];
    if (!compiler) return t.skip("no fixture");
    const text = readFileSync(path.join(FIXTURES, compiler, `${c.fixture}.txt`), "utf8");
    const named = [...new Set(explainText(text, optionsFor(c, compiler)).diagnostics.map((d) => d.data?.rule).filter((r): r is string => typeof r === "string"))];
    if (named.length === 0) return;
    const dir = mkdtempSync(path.join(os.tmpdir(), `freestand-caught-${c.fixture}-`));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(path.join(FIXTURES, "crates", c.crate), dir, { recursive: true });
    const settings = provokeSettings(c.fixture);
    const env: NodeJS.ProcessEnv = { ...cleanEnv() };
    let rustflags = settings.rustflags;
    if (c.fixture === "e0514-incompatible") {
      const sysroot = await rustcWebSysroot();
      if (!sysroot) return t.skip("no rustc-web sysroot for thumbv7m (scripts/ensure-env.sh builds one)");
      rustflags = `--sysroot ${sysroot}`;
      // rustup's stable is the compiler that refuses it.
      env.RUSTUP_TOOLCHAIN = "stable";
    }
    if (rustflags) env.RUSTFLAGS = rustflags;
    const r = await check(dir, { env, ...(settings.target ? { target: settings.target } : {}) });
    const fired = new Set(r.diagnostics.map((d) => d.code));
    for (const rule of named) assert.ok(fired.has(rule), `check names ${rule} on ${c.crate}; it found: ${[...fired].join(", ") || "nothing"}`);
  });
}
