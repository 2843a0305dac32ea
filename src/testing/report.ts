/**
 * What `freestand test` prints, in the shapes CI systems and people already read: libtest's human lines, libtest's
 * JSON events (one per line), and JUnit XML. Formatting only: the session decides the results.
 */
import type { TestCase } from "./select.js";
import type { SessionResult, TestResult } from "./session.js";

export interface Counts {
  passed: number;
  failed: number;
  ignored: number;
  filteredOut: number;
}

export function countsOf(s: Pick<SessionResult, "results" | "filteredOut">): Counts {
  const by = (k: string) => s.results.filter((r) => r.outcome.kind === k).length;
  return { passed: by("ok"), failed: by("failed"), ignored: by("ignored"), filteredOut: s.filteredOut };
}

/** `running 3 tests`, as libtest starts. */
export function runningLine(count: number): string {
  return `\nrunning ${count} test${count === 1 ? "" : "s"}`;
}

/** `test tests::adds ... ok`, one per result as it comes. */
export function resultLine(r: TestResult, color: Colors): string {
  const name = `test ${r.test.name}${r.test.shouldPanic !== undefined ? " - should panic" : ""} ... `;
  switch (r.outcome.kind) {
    case "ok":
      return `${name}${color.green("ok")}`;
    case "ignored":
      return `${name}${color.yellow("ignored")}${r.outcome.reason ? `, ${r.outcome.reason}` : ""}`;
    case "failed":
      return `${name}${color.red("FAILED")}`;
  }
}

/** The end of a run: each failure's output and reason, their names, and the `test result:` line. */
export function summary(s: Pick<SessionResult, "results" | "filteredOut" | "durationMs">, color: Colors): string {
  const failed = s.results.filter((r) => r.outcome.kind === "failed");
  const c = countsOf(s);
  const out: string[] = [""];
  if (failed.length > 0) {
    out.push("failures:", "");
    for (const r of failed) {
      if (r.outcome.kind !== "failed") continue;
      out.push(`---- ${r.test.name} stdout ----`);
      if (r.outcome.output) out.push(r.outcome.output);
      out.push(r.outcome.why, "");
    }
    out.push("", "failures:", ...failed.map((r) => `    ${r.test.name}`), "");
  }
  const verdict = c.failed === 0 ? color.green("ok") : color.red("FAILED");
  out.push(`test result: ${verdict}. ${c.passed} passed; ${c.failed} failed; ${c.ignored} ignored; 0 measured; ${c.filteredOut} filtered out; finished in ${(s.durationMs / 1000).toFixed(2)}s`, "");
  return out.join("\n");
}

/**
 * `--stack`: each test's depth, deepest first, against the region — or why none was reported (a library's
 * harness has no src/stack.rs to report with).
 */
export function stackLines(s: Pick<SessionResult, "results">, color: Colors): string {
  const measured = s.results.filter((r) => r.stack).sort((a, b) => b.stack!.used - a.stack!.used || a.test.name.localeCompare(b.test.name));
  if (measured.length === 0) return `${color.cyan("note")}: no test reported its stack: \`--stack\` measures the tests of a program (its src/stack.rs reports them), not of a library.\n`;
  const size = measured[0]!.stack!.size;
  const width = measured[0]!.stack!.used.toLocaleString("en-US").length;
  const lines = measured.map((r) => `  ${r.stack!.used.toLocaleString("en-US").padStart(width)}  ${r.test.name} (${((r.stack!.used / size) * 100).toFixed(0)}%)`);
  return `stack by test, deepest first (bytes of the ${size.toLocaleString("en-US")}-byte region in use at its deepest point, the harness's own frames included):\n${lines.join("\n")}\n`;
}

/** `--list`: libtest's `name: test` lines and the count. */
export function listText(tests: readonly TestCase[]): string {
  return `${tests.map((t) => `${t.name}: test\n`).join("")}\n${tests.length} test${tests.length === 1 ? "" : "s"}, 0 benchmarks\n`;
}

/** libtest's JSON events (`--format json`): suite started, each test started and finished, suite finished. */
export function jsonEvents(s: SessionResult, run: number): string[] {
  const c = countsOf(s);
  const events: object[] = [{ type: "suite", event: "started", test_count: run }];
  for (const r of s.results) {
    if (r.outcome.kind !== "ignored") events.push({ type: "test", event: "started", name: r.test.name });
    const time = r.durationMs / 1000;
    const stack = r.stack ? { stack: r.stack } : {};
    if (r.outcome.kind === "ok") events.push({ type: "test", name: r.test.name, event: "ok", exec_time: time, ...stack });
    else if (r.outcome.kind === "ignored") events.push({ type: "test", name: r.test.name, event: "ignored", ...(r.outcome.reason ? { message: r.outcome.reason } : {}) });
    else events.push({ type: "test", name: r.test.name, event: "failed", exec_time: time, stdout: [r.outcome.output, r.outcome.why].filter(Boolean).join("\n"), ...stack });
  }
  events.push({ type: "suite", event: c.failed === 0 ? "ok" : "failed", passed: c.passed, failed: c.failed, ignored: c.ignored, measured: 0, filtered_out: c.filteredOut, exec_time: s.durationMs / 1000 });
  return events.map((e) => JSON.stringify(e));
}

export interface JunitSuite {
  /** The test binary's name, e.g. `hello (src/main.rs)`. */
  name: string;
  session: SessionResult;
}

/** JUnit XML (the schema CI systems read: testsuites > testsuite > testcase with failure / skipped). */
export function junitXml(suites: readonly JunitSuite[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = suites.map((s) => ({ ...s, c: countsOf(s.session) }));
  const total = (k: "failed" | "ignored") => all.reduce((n, s) => n + s.c[k], 0);
  const tests = all.reduce((n, s) => n + s.session.results.length, 0);
  lines.push(`<testsuites tests="${tests}" failures="${total("failed")}" skipped="${total("ignored")}" errors="0">`);
  for (const s of all) {
    const time = (s.session.durationMs / 1000).toFixed(3);
    lines.push(`  <testsuite name="${xml(s.name)}" tests="${s.session.results.length}" failures="${s.c.failed}" skipped="${s.c.ignored}" errors="0" time="${time}">`);
    for (const r of s.session.results) {
      const cut = r.test.name.lastIndexOf("::");
      const classname = cut < 0 ? s.name : r.test.name.slice(0, cut);
      const name = cut < 0 ? r.test.name : r.test.name.slice(cut + 2);
      const open = `    <testcase classname="${xml(classname)}" name="${xml(name)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      if (r.outcome.kind === "ok") lines.push(`${open}/>`);
      else if (r.outcome.kind === "ignored") lines.push(`${open}>`, `      <skipped${r.outcome.reason ? ` message="${xml(r.outcome.reason)}"` : ""}/>`, "    </testcase>");
      else {
        const firstLine = r.outcome.why.split("\n").find((l) => l.trim() && !/^panicked at /.test(l)) ?? r.outcome.why;
        lines.push(`${open}>`, `      <failure message="${xml(firstLine)}">${xml(r.outcome.why)}</failure>`);
        if (r.outcome.output) lines.push(`      <system-out>${xml(r.outcome.output)}</system-out>`);
        lines.push("    </testcase>");
      }
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>", "");
  return lines.join("\n");
}

/** Text for XML content and attributes; characters XML 1.0 cannot hold at all (control bytes) become U+FFFD. */
function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;");
}

interface Colors {
  green: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
}
