/**
 * Every catalogue entry against real compiler and linker output provoked on this machine
 * (test/fixtures/explain/provoke.sh): the recognised cause, and the span or symbol extracted, from both cargo's JSON
 * messages and its plain text.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { CATALOGUE, explainCargoMessages, explainText, parseJsonLines, type ExplainResult } from "../../src/explain/index.js";
import { PACKAGE_ROOT } from "../../src/version.js";

const FIXTURES = path.join(PACKAGE_ROOT, "test/fixtures/explain");
/** provoke.sh builds each crate in this scratch directory; the fixtures' paths point there. */
const SCRATCH = "/tmp/freestand-explain-provoke/work";

interface Expect {
  code: string;
  /** Source location the explanation points at (file relative to the crate). */
  at?: { file: string; line: number; column?: number };
  /** The source text the byte span covers (checked against the committed crate). */
  spanText?: string;
  symbol?: string;
  symbols?: string[];
  data?: Record<string, unknown>;
  rule?: string;
  severity?: "error" | "warning" | "info";
}

interface Case {
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
    explained: [[{ code: "explain_alloc_not_in_scope", at: { file: "src/main.rs", line: 5, column: 5 }, spanText: "alloc" }]],
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
    explained: [[{ code: "explain_z_flag_on_stable", rule: "unstable_feature_on_stable", data: { tool: "cargo" } }]],
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
      [{ code: "explain_e0514_incompatible_rustc", rule: "target_not_installed", data: { crate: "core", _builtBy: /^rustc 1\.96\.0/, _compiler: /^rustc 1\.95\.0/ } }],
      [follow(/incompatible `core`/)],
      [{ code: "explain_e0514_incompatible_rustc", at: { file: "src/main.rs", line: 5, column: 18 }, spanText: "core", data: { crate: "core" } }],
      [{ code: "explain_e0514_incompatible_rustc", data: { crate: "compiler_builtins" } }],
      [follow(/incompatible `core`/)],
    ],
  },
  {
    fixture: "duplicate-start-lld",
    crate: "duplicate-start",
    errors: 1,
    explained: [
      [
        {
          code: "explain_duplicate_start",
          rule: "host_link_args_missing",
          symbol: "_start",
          at: { file: "src/main.rs", line: 7 },
          data: { linker: "lld", _message: /Scrt1\.o/ },
        },
      ],
    ],
  },
  {
    fixture: "duplicate-start-gnu",
    crate: "duplicate-start",
    errors: 1,
    explained: [[{ code: "explain_duplicate_start", symbol: "_start", at: { file: "src/main.rs", line: 7 }, data: { linker: "gnu", _message: /Scrt1\.o/ } }]],
  },
  {
    fixture: "undefined-mem-lld",
    crate: "undefined-mem",
    errors: 1,
    explained: [
      [
        {
          code: "explain_undefined_mem_functions",
          symbols: ["memcmp", "memset", "memcpy", "memmove"],
          at: { file: "src/main.rs", line: 9 },
          spanText: "let mut a = [0u8; 4096];",
          data: { linker: "lld" },
        },
        { code: "explain_undefined_unwind_symbols", symbols: ["rust_eh_personality"], rule: "panic_strategy_unwind" },
      ],
    ],
  },
  {
    fixture: "undefined-mem-gnu",
    crate: "undefined-mem",
    errors: 1,
    explained: [
      [
        {
          code: "explain_undefined_mem_functions",
          symbols: ["memset", "memcpy", "memmove", "memcmp"],
          at: { file: "src/main.rs", line: 9 },
          data: { linker: "gnu" },
        },
        { code: "explain_undefined_unwind_symbols", symbols: ["rust_eh_personality"] },
      ],
    ],
  },
  {
    fixture: "eh-personality-lld",
    crate: "eh-personality",
    errors: 1,
    explained: [[{ code: "explain_undefined_unwind_symbols", symbols: ["rust_eh_personality"], data: { linker: "lld" } }]],
  },
  {
    fixture: "eh-personality-gnu",
    crate: "eh-personality",
    errors: 1,
    explained: [[{ code: "explain_undefined_unwind_symbols", symbols: ["rust_eh_personality"], data: { linker: "gnu" } }]],
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
          rule: "missing_linker_script",
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
    fixture: "entry-symbol-lld",
    crate: "entry-symbol",
    errors: 0,
    warnings: 1,
    explained: [[{ code: "explain_missing_entry_symbol", rule: "entry_point_mangled", severity: "warning", symbol: "_start", data: { linker: "lld" } }]],
  },
  {
    fixture: "entry-symbol-gnu",
    crate: "entry-symbol",
    errors: 0,
    warnings: 1,
    explained: [[{ code: "explain_missing_entry_symbol", severity: "warning", symbol: "_start", data: { linker: "gnu" } }]],
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
function optionsFor(c: Case) {
  const scratch = path.join(SCRATCH, c.fixture);
  const crateDir = path.join(FIXTURES, "crates", c.crate);
  return {
    root: scratch,
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

function checkResult(c: Case, result: ExplainResult, expected: (Expect[] | null)[], form: string): void {
  const o = optionsFor(c);
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
        else assert.deepEqual(d.data?.[k], v, `${where}: data.${k}`);
      }
    });
  });
}

for (const c of CASES) {
  test(`explain ${c.fixture}: plain text`, () => {
    const text = readFileSync(path.join(FIXTURES, `${c.fixture}.txt`), "utf8");
    checkResult(c, explainText(text, optionsFor(c)), c.explained, "text");
  });
  test(`explain ${c.fixture}: cargo JSON`, () => {
    const lines = parseJsonLines(readFileSync(path.join(FIXTURES, `${c.fixture}.jsonl`), "utf8"));
    const result = explainCargoMessages(lines, optionsFor(c));
    if (c.json === "none") {
      // Cargo failed before running rustc: its error is on stderr only (text), stdout has no message.
      assert.equal(result.messages.length, 0);
      return;
    }
    checkResult(c, result, c.json ?? c.explained, "json");
  });
}

test("every catalogue entry has real fixtures, and each fixture exercises it", () => {
  const covered = new Set<string>();
  for (const c of CASES) for (const exps of c.explained) for (const e of exps ?? []) covered.add(e.code);
  for (const entry of CATALOGUE) {
    assert.ok(entry.fixtures.length > 0, `${entry.code} names its fixtures`);
    assert.ok(covered.has(entry.code), `${entry.code} is asserted by a case`);
    for (const f of entry.fixtures) {
      assert.ok(existsSync(path.join(FIXTURES, `${f}.txt`)), `${entry.code}: fixture ${f}.txt exists`);
      const c = CASES.find((k) => k.fixture === f);
      assert.ok(c, `${entry.code}: fixture ${f} has a case`);
      assert.ok(c.explained.some((exps) => exps?.some((e) => e.code === entry.code)), `${entry.code}: fixture ${f} asserts it`);
    }
  }
  const provoke = readFileSync(path.join(FIXTURES, "provoke.sh"), "utf8");
  for (const c of CASES) assert.match(provoke, new RegExp(`\\b${c.fixture}\\)`), `provoke.sh regenerates ${c.fixture}`);
});

test("every entry names the check rule that catches it, or the command that does", () => {
  const rules = new Set([
    "missing_no_std", "missing_no_main", "missing_panic_handler", "duplicate_panic_handler", "panic_handler_signature",
    "panic_strategy_unwind", "entry_point_mangled", "entry_point_abi", "entry_point_returns", "unsafe_attribute",
    "std_macro", "std_path", "alloc_without_global_allocator", "unstable_feature_on_stable", "target_not_configured",
    "target_not_installed", "host_link_args_missing", "missing_linker_script", "test_harness_enabled",
    "dependency_requires_std",
  ]);
  for (const e of CATALOGUE) {
    assert.match(e.code, /^explain_[a-z0-9_]+$/);
    if (e.rule) assert.ok(rules.has(e.rule), `${e.code}: ${e.rule} is a rule of DESIGN.md section 4`);
    else if (e.caughtBy) assert.match(e.caughtBy, /^freestand [a-z]+$/);
    // Without a rule or a command, the page must say plainly that nothing catches it before linking.
    else if (e.code !== "explain_follow_on") assert.match(e.explanation, /No `check` rule catches this/, e.code);
    assert.ok(e.explanation.length > 100, `${e.code} has a long explanation`);
  }
});
