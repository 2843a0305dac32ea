/**
 * Input the explainer cannot trust: empty, garbage, malformed JSON messages, Windows line ends, and very large
 * input (tens of megabytes, one enormous line, one enormous message). It must never throw, and must still find
 * the real errors inside. (Speed is measured in bench/explain.ts, not asserted here.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { explainCargoMessages, explainText, parseJsonLines, parseLinkerOutput } from "../../src/explain/index.js";
import { PACKAGE_ROOT } from "../../src/version.js";

const FIXTURES = path.join(PACKAGE_ROOT, "test/fixtures/explain");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");

/** Deterministic pseudo-random bytes (xorshift), so a failure can be reproduced. */
function garbage(size: number, seed = 0x2545f491): string {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out.toString("latin1");
}

test("empty input explains nothing", () => {
  for (const text of ["", "\n", "\r\n", "   \n\n"]) {
    const r = explainText(text);
    assert.deepEqual(r.messages, []);
    assert.deepEqual(r.counts, { errors: 0, errorsExplained: 0, warnings: 0, warningsExplained: 0 });
  }
  assert.deepEqual(explainCargoMessages([]).messages, []);
  assert.deepEqual(parseJsonLines(""), []);
});

test("random bytes are read without a crash and without inventing errors", () => {
  const r = explainText(garbage(2_000_000));
  assert.equal(r.counts.errorsExplained, 0);
  // Random bytes can contain "error: " at a line start only by a tiny chance; none with this seed.
  assert.equal(r.counts.errors, 0);
  assert.deepEqual(parseJsonLines(garbage(100_000, 7)), []);
});

test("real errors are still found inside garbage", () => {
  const text = `${garbage(50_000, 3)}\n${fixture("stable/e0463-core.txt")}\n${garbage(50_000, 4)}\n`;
  const r = explainText(text);
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ["explain_e0463_core"],
  );
});

test("malformed cargo JSON messages are skipped, never thrown on", () => {
  const nested: Record<string, unknown> = { level: "note", message: "deep", children: [] };
  let cur = nested;
  for (let i = 0; i < 10_000; i++) {
    const next = { level: "note", message: `n${i}`, children: [] as unknown[] };
    (cur.children as unknown[]).push(next);
    cur = next;
  }
  const junk: unknown[] = [
    null,
    undefined,
    42,
    "error: can't find crate for `core`",
    [],
    {},
    { reason: "compiler-message" },
    { reason: "compiler-message", message: null },
    { reason: "compiler-message", message: { level: "error", message: 5, spans: "x", children: {} } },
    { reason: "compiler-message", message: { level: "error", message: "x", spans: [null, 1, { is_primary: true, file_name: 3 }], children: [null, 1] } },
    { reason: "compiler-message", message: { level: "error", message: "linking with `cc` failed", code: { code: 7 }, children: [nested] } },
    { reason: "compiler-message", message: { level: "error", message: "can't find crate for `core`", code: { code: "E0463" }, spans: [{ is_primary: true, file_name: "src/main.rs", line_start: -1, byte_start: 10, byte_end: 2 }] } },
    { reason: "build-finished", success: false },
    { level: "error", message: "`#[panic_handler]` function required, but not found", spans: [], children: [] },
  ];
  const r = explainCargoMessages(junk, { root: "/nonexistent" });
  assert.equal(r.counts.errors, 5);
  assert.deepEqual(
    r.messages.map((m) => m.diagnostics.map((d) => d.code)),
    // The last one has no package: it shares the compilation of the bare E0463 before it, so it is a follow-on error.
    [[], [], [], ["explain_e0463_core"], ["explain_follow_on"]],
  );
  // A reversed byte range is not a span.
  assert.equal(r.messages[3]!.diagnostics[0]!.span, undefined);
});

test("Windows line ends give the same explanations", () => {
  const unix = explainText(fixture("stable/undefined-mem.txt"));
  const dos = explainText(fixture("stable/undefined-mem.txt").replace(/\n/g, "\r\n"));
  assert.deepEqual(
    dos.diagnostics.map((d) => [d.code, d.data?.symbols]),
    unix.diagnostics.map((d) => [d.code, d.data?.symbols]),
  );
  assert.equal(dos.counts.errorsExplained, 1);
});

test("50 MB of real build output: every error is counted and explained", () => {
  const one = fixture("stable/undefined-mem.txt") + fixture("stable/std-macros.txt") + fixture("stable/clean-build.txt");
  const copies = Math.ceil((50 * 1024 * 1024) / one.length);
  const big = one.repeat(copies);
  assert.ok(big.length >= 50 * 1024 * 1024);
  const r = explainText(big);
  assert.equal(r.counts.errors, copies * 6);
  assert.equal(r.counts.errorsExplained, copies * 6);
  assert.equal(r.counts.warnings, copies);
  assert.equal(r.counts.warningsExplained, 0);
});

test("one 50 MB line and one 50 MB message do not break the reader", () => {
  const line = "x".repeat(50 * 1024 * 1024);
  assert.equal(explainText(line).counts.errors, 0);
  assert.equal(explainText(`error: ${line}`).counts.errors, 1);
  // A linker failure whose notes are enormous: the symbols at its start are still recognised.
  const head = "error: linking with `cc` failed: exit status: 1\n  |\n  = note: rust-lld: error: undefined symbol: memcpy\n";
  const filler = "          >>> referenced by main.rs:9 (src/main.rs:9)\n".repeat(1_000_000);
  const r = explainText(head + filler);
  assert.equal(r.counts.errorsExplained, 1);
  assert.deepEqual(r.diagnostics[0]!.data?.symbols, ["memcpy"]);
});

test("pathological linker lines parse in linear time patterns (no catastrophic backtracking)", () => {
  const evil = [
    ":".repeat(200_000),
    `/usr/bin/ld: ${"a:".repeat(100_000)} undefined reference to \`x'`,
    `${"rust-lld".repeat(50_000)}: error: undefined symbol: y`,
    `>>> referenced by ${"(".repeat(100_000)}`,
  ].join("\n");
  const report = parseLinkerOutput(evil);
  assert.ok(report.undefined.has("x"));
  assert.ok(report.undefined.has("y"));
});
