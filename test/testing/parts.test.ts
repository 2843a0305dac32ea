import { test } from "node:test";
import assert from "node:assert/strict";
import { parse as parseJunit } from "junit2json";
import { encodePlan, MAX_TESTS } from "../../src/testing/plan.js";
import { MARK, parseEvent, unescapeRustString } from "../../src/testing/protocol.js";
import { selectTests, type TestCase } from "../../src/testing/select.js";
import { jsonEvents, junitXml, listText, summary } from "../../src/testing/report.js";
import type { SessionResult } from "../../src/testing/session.js";

// The parts of `freestand test` that do not need a target: the plan's bytes, the harness's lines, libtest's
// selection rules and the report formats. test/testing/targets.test.ts runs the whole on every target.

const CASES: TestCase[] = [
  { position: 0, name: "kinds::a_passes", timeoutMs: 0 },
  { position: 1, name: "kinds::b_fails", timeoutMs: 0 },
  { position: 2, name: "kinds::g_ignored", timeoutMs: 0, ignore: "not today" },
  { position: 3, name: "tests::a_passes_too", timeoutMs: 500 },
];

test("the plan's bytes: magic, mode, start position, one bit per selected test", () => {
  const run = encodePlan({ mode: "run", start: 3, selected: new Set([3, 9, 2047]) });
  assert.equal(run.length, 16 + MAX_TESTS / 8);
  assert.equal(run.subarray(0, 8).toString("latin1"), "FSTPLAN1");
  assert.equal(run[8], 2);
  assert.equal(run.readUInt32LE(12), 3);
  assert.equal(run[16], 0b0000_1000);
  assert.equal(run[17], 0b0000_0010);
  assert.equal(run[16 + 255], 0b1000_0000);
  assert.equal(encodePlan({ mode: "list" })[8], 1);
  assert.throws(() => encodePlan({ mode: "run", start: 0, selected: new Set([MAX_TESTS]) }), /at most 2048 tests/);
});

test("the harness's marked lines are read; anything else is the tests' own output", () => {
  assert.deepEqual(parseEvent(`${MARK}test 4 500 kinds::h_hangs`), { event: "test", position: 4, timeoutMs: 500, name: "kinds::h_hangs" });
  assert.deepEqual(parseEvent(`${MARK}should-panic 3 "it said \\"no\\"\\n\\u{e9}"`), { event: "should-panic", position: 3, expected: 'it said "no"\né' });
  assert.deepEqual(parseEvent(`${MARK}ignore 2 "a reason with spaces"`), { event: "ignore", position: 2, reason: "a reason with spaces" });
  assert.deepEqual(parseEvent(`${MARK}start 7`), { event: "start", position: 7 });
  assert.deepEqual(parseEvent(`${MARK}done`), { event: "done" });
  assert.equal(parseEvent("freestand-test start 7"), undefined, "an unmarked line is output");
  assert.equal(parseEvent(`${MARK}start seven`), undefined, "a mangled mark is output too");
  assert.equal(unescapeRustString('"tab\\there\\\\"'), "tab\there\\");
});

test("selection follows libtest: substring filters, --exact, --skip, --ignored, --include-ignored", () => {
  const names = (s: ReturnType<typeof selectTests>) => ({ run: s.run.map((t) => t.name), ignored: s.ignored.map((t) => t.name), filteredOut: s.filteredOut });
  assert.deepEqual(names(selectTests(CASES, {})), { run: ["kinds::a_passes", "kinds::b_fails", "tests::a_passes_too"], ignored: ["kinds::g_ignored"], filteredOut: 0 });
  assert.deepEqual(names(selectTests(CASES, { filters: ["a_passes"] })), { run: ["kinds::a_passes", "tests::a_passes_too"], ignored: [], filteredOut: 2 });
  assert.deepEqual(names(selectTests(CASES, { filters: ["a_passes"], exact: true })), { run: [], ignored: [], filteredOut: 4 });
  assert.deepEqual(names(selectTests(CASES, { filters: ["kinds::a_passes"], exact: true })), { run: ["kinds::a_passes"], ignored: [], filteredOut: 3 });
  assert.deepEqual(names(selectTests(CASES, { skip: ["kinds"] })), { run: ["tests::a_passes_too"], ignored: [], filteredOut: 3 });
  assert.deepEqual(names(selectTests(CASES, { ignored: "only" })), { run: ["kinds::g_ignored"], ignored: [], filteredOut: 3 });
  assert.deepEqual(names(selectTests(CASES, { ignored: "include" })).run, ["kinds::a_passes", "kinds::b_fails", "kinds::g_ignored", "tests::a_passes_too"]);
  // Several filters: a test matching any of them runs.
  assert.deepEqual(names(selectTests(CASES, { filters: ["b_fails", "too"] })).run, ["kinds::b_fails", "tests::a_passes_too"]);
});

const SESSION: SessionResult = {
  tests: CASES,
  results: [
    { test: CASES[0]!, outcome: { kind: "ok" }, durationMs: 2 },
    { test: CASES[1]!, outcome: { kind: "failed", why: "panicked at src/kinds.rs:25:9:\nassertion `left == right` failed\n  left: 1\n right: 2", output: "said <this> & \u0001 that" }, durationMs: 3 },
    { test: CASES[2]!, outcome: { kind: "ignored", reason: "not today" }, durationMs: 0 },
    { test: CASES[3]!, outcome: { kind: "ok" }, durationMs: 1 },
  ],
  filteredOut: 0,
  boots: 3,
  durationMs: 420,
};
const PLAIN = { green: (s: string) => s, red: (s: string) => s, yellow: (s: string) => s, cyan: (s: string) => s };

test("the human summary is libtest's: failures with their output, their names, the result line", () => {
  const text = summary(SESSION, PLAIN);
  assert.match(text, /^failures:\n\n---- kinds::b_fails stdout ----\nsaid <this> & \u0001 that\npanicked at src\/kinds\.rs:25:9:\nassertion `left == right` failed\n {2}left: 1\n right: 2\n\n\nfailures:\n {4}kinds::b_fails\n$/m);
  assert.match(text, /^test result: FAILED\. 2 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0\.42s$/m);
  assert.equal(listText(CASES), "kinds::a_passes: test\nkinds::b_fails: test\nkinds::g_ignored: test\ntests::a_passes_too: test\n\n4 tests, 0 benchmarks\n");
});

test("--format json: libtest's events, one JSON object per line", () => {
  const events = jsonEvents(SESSION, 3).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(events[0], { type: "suite", event: "started", test_count: 3 });
  assert.deepEqual(events.at(-1), { type: "suite", event: "failed", passed: 2, failed: 1, ignored: 1, measured: 0, filtered_out: 0, exec_time: 0.42 });
  const failed = events.find((e) => e.event === "failed" && e.type === "test")!;
  assert.equal(failed.name, "kinds::b_fails");
  assert.match(String(failed.stdout), /left: 1\n right: 2/);
  assert.deepEqual(events.find((e) => e.event === "ignored"), { type: "test", name: "kinds::g_ignored", event: "ignored", message: "not today" });
  // Every test that ran has a `started` event before its result.
  assert.equal(events.filter((e) => e.event === "started" && e.type === "test").length, 3);
});

test("--junit: XML a JUnit reader takes, with failures, skips and the output kept", async () => {
  const xml = junitXml([{ name: "demo (src/main.rs)", session: SESSION }]);
  const doc = (await parseJunit(xml)) as unknown as {
    tests: number;
    failures: number;
    skipped: number;
    testsuite: { name: string; tests: number; failures: number; skipped: number; testcase: { classname: string; name: string; failure?: { message: string; inner: string }[]; skipped?: unknown[]; "system-out"?: string[] }[] }[];
  };
  assert.equal(doc.tests, 4);
  assert.equal(doc.failures, 1);
  assert.equal(doc.skipped, 1);
  const suite = doc.testsuite[0]!;
  assert.equal(suite.name, "demo (src/main.rs)");
  assert.deepEqual(suite.testcase.map((c) => `${c.classname}.${c.name}`), ["kinds.a_passes", "kinds.b_fails", "kinds.g_ignored", "tests.a_passes_too"]);
  const failed = suite.testcase[1]!;
  assert.equal(failed.failure?.[0]?.message, "assertion `left == right` failed");
  assert.match(failed.failure![0]!.inner, /left: 1\n right: 2/);
  // The control byte XML cannot hold is replaced; the markup characters are kept as text.
  assert.equal(failed["system-out"]?.[0], "said <this> & \ufffd that");
  assert.ok(suite.testcase[2]!.skipped);
});
