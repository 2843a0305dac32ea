/**
 * Runs one test binary's tests where its target runs (directly, or booted in QEMU), each failure apart: the
 * binary is booted with a plan (plan.ts) that says which tests to run from which one on; when a test panics,
 * faults or hangs, that boot ends and the next boot starts at the test after it. So one test never hides the
 * others, and a failing test costs one boot.
 */
import { promises as fsp } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FreestandError } from "../errors.js";
import { runElf } from "../run/index.js";
import type { TargetInfo } from "../targets/types.js";
import { LineSplitter } from "../util/lines.js";
import { STACK_MARKER, type StackRegion } from "../run/stack.js";
import { planOffset, writePlannedCopy, type Plan } from "./plan.js";
import { parseEvent, type HarnessEvent } from "./protocol.js";
import { selectTests, type TestCase, type TestSelection } from "./select.js";

export type TestOutcome =
  | { kind: "ok" }
  | { kind: "ignored"; reason: string }
  /** `why`: a short reason (the panic, the fault, the timeout), `output`: what the test printed. */
  | { kind: "failed"; why: string; output: string };

export interface TestResult {
  test: TestCase;
  outcome: TestOutcome;
  /** Wall time from the test's start to its outcome, in milliseconds (0 for ignored tests). */
  durationMs: number;
  /** `--stack`: the bytes of the stack region in use at the test's deepest point, of the region's size. */
  stack?: { used: number; size: number };
}

export interface SessionOptions extends TestSelection {
  /** Milliseconds a test may run when it sets no `#[timeout]` of its own. */
  defaultTimeoutMs?: number;
  /** Each test's result as it is known (for output as the run goes). */
  onResult?: (r: TestResult) => void;
  /** Called once the tests to run are known, before the first runs. */
  onPlan?: (p: { run: number; ignored: number; filteredOut: number }) => void;
  signal?: AbortSignal;
  /** `test --stack`: fill this region before each boot; the harness reports each test's depth. */
  stackRegion?: StackRegion;
}

export interface SessionResult {
  tests: TestCase[];
  results: TestResult[];
  filteredOut: number;
  boots: number;
  durationMs: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
/** How long listing the tests may take (a boot that prints a few lines). */
const LIST_TIMEOUT_MS = 60_000;

/** The tests a binary has, by booting it once in list mode (`offset`: where its plan is, when already known). */
export async function listTests(elf: string, target: TargetInfo, signal?: AbortSignal, offset?: number): Promise<TestCase[]> {
  const at = offset ?? (await planOffset(elf));
  return withCopy(elf, async (copy) => {
    await writePlannedCopy(elf, at, { mode: "list" }, copy);
    const tests = new Map<number, TestCase>();
    let listed: number | undefined;
    const output: string[] = [];
    const r = await bootLines(copy, target, LIST_TIMEOUT_MS, signal, (line) => {
      const e = parseEvent(line);
      if (!e) return void output.push(line);
      if (e.event === "test") tests.set(e.position, { position: e.position, name: e.name, timeoutMs: e.timeoutMs });
      else if (e.event === "ignore" && tests.has(e.position)) tests.get(e.position)!.ignore = e.reason;
      else if (e.event === "should-panic" && tests.has(e.position)) tests.get(e.position)!.shouldPanic = e.expected;
      else if (e.event === "listed") listed = e.count;
    });
    if (r.interrupted) throw new FreestandError("interrupted.", 130);
    if (listed === undefined || listed !== tests.size) {
      const said = output.filter((l) => l.trim()).slice(-5).join("\n  ");
      throw new FreestandError(`${elf} did not list its tests (${describeEnd(r)})${said ? `; it printed:\n  ${said}` : "."}`);
    }
    return [...tests.values()].sort((a, b) => a.position - b.position);
  });
}

/** Lists, selects and runs the tests of one binary. */
export async function runTestBinary(elf: string, target: TargetInfo, opts: SessionOptions = {}): Promise<SessionResult> {
  const started = Date.now();
  const offset = await planOffset(elf);
  const tests = await listTests(elf, target, opts.signal, offset);
  const selected = selectTests(tests, opts);
  opts.onPlan?.({ run: selected.run.length, ignored: selected.ignored.length, filteredOut: selected.filteredOut });
  const results: TestResult[] = [];
  const report = (r: TestResult) => {
    results.push(r);
    opts.onResult?.(r);
  };
  // Ignored tests take their place in name order, as libtest lists them.
  const ignoredAt = new Map(selected.ignored.map((t) => [t.position, t]));
  const flushIgnored = (before: number) => {
    for (const [p, t] of [...ignoredAt].sort(([a], [b]) => a - b)) {
      if (p >= before) break;
      ignoredAt.delete(p);
      report({ test: t, outcome: { kind: "ignored", reason: t.ignore ?? "" }, durationMs: 0 });
    }
  };
  let remaining = selected.run.map((t) => t.position).sort((a, b) => a - b);
  const byPosition = new Map(tests.map((t) => [t.position, t]));
  let boots = 1;
  await withCopy(elf, async (copy) => {
    while (remaining.length > 0) {
      const plan: Plan = { mode: "run", start: remaining[0]!, selected: new Set(remaining) };
      await writePlannedCopy(elf, offset, plan, copy);
      boots++;
      const done = await bootOnce(copy, target, byPosition, byPosition.get(remaining[0]!)!, opts, (r) => {
        flushIgnored(r.test.position);
        report(r);
      });
      const finished = new Set(results.map((r) => r.test.position));
      // Progress is certain: a boot that ran nothing marks its first test failed (bootOnce does).
      remaining = done ? [] : remaining.filter((p) => !finished.has(p));
    }
  });
  flushIgnored(Number.POSITIVE_INFINITY);
  return { tests, results, filteredOut: selected.filteredOut, boots, durationMs: Date.now() - started };
}

/**
 * One boot: runs the planned tests until the binary says `done` (returns true), or until a test ends the boot by
 * panicking, faulting or hanging (that test's result is reported; returns false).
 */
async function bootOnce(
  elf: string,
  target: TargetInfo,
  tests: ReadonlyMap<number, TestCase>,
  first: TestCase,
  opts: SessionOptions,
  report: (r: TestResult) => void,
): Promise<boolean> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener("abort", onAbort);
  let current: { test: TestCase; since: number; output: string[]; timer: NodeJS.Timeout; stack?: { used: number; size: number } } | undefined;
  let panic: string[] | undefined;
  let done = false;
  let timedOut: TestCase | undefined;
  let ranAny = false;
  const before: string[] = [];
  const finish = (outcome: TestOutcome) => {
    if (!current) return;
    clearTimeout(current.timer);
    report({ test: current.test, outcome, durationMs: Date.now() - current.since, ...(current.stack ? { stack: current.stack } : {}) });
    current = undefined;
  };
  const onEvent = (e: HarnessEvent) => {
    if (e.event === "start") {
      const test = tests.get(e.position);
      if (!test) return;
      ranAny = true;
      const limit = test.timeoutMs || opts.defaultTimeoutMs || DEFAULT_TIMEOUT_MS;
      const timer = setTimeout(() => {
        timedOut = test;
        stop.abort();
      }, limit);
      current = { test, since: Date.now(), output: [], timer };
    } else if (e.event === "ok" && current) {
      const t = current.test;
      finish(t.shouldPanic === undefined ? { kind: "ok" } : { kind: "failed", why: "test did not panic as expected", output: current.output.join("\n") });
    } else if (e.event === "panic") {
      panic = [];
    } else if (e.event === "end" && current && panic) {
      const t = current.test;
      const message = panic.join("\n");
      const output = current.output.join("\n");
      if (t.shouldPanic === undefined) finish({ kind: "failed", why: message, output });
      else if (message.includes(t.shouldPanic)) finish({ kind: "ok" });
      else finish({ kind: "failed", why: `${message}\nnote: panic did not contain expected string\n      panic message: ${JSON.stringify(panicMessage(message))},\n expected substring: ${JSON.stringify(t.shouldPanic)}`, output });
      panic = undefined;
    } else if (e.event === "done") {
      done = true;
    }
  };
  const onLine = (line: string) => {
    const e = parseEvent(line);
    if (e) return onEvent(e);
    const depth = stackLine(line);
    if (depth) return void (current && (current.stack = depth));
    if (panic) panic.push(line);
    else if (current) current.output.push(line);
    else before.push(line);
  };
  const r = await bootLines(elf, target, 0, stop.signal, onLine, opts.stackRegion);
  opts.signal?.removeEventListener("abort", onAbort);
  if (r.interrupted || opts.signal?.aborted) {
    if (current) clearTimeout(current.timer);
    throw new FreestandError("interrupted.", 130);
  }
  if (current) {
    const test: TestCase = current.test;
    const output = current.output;
    if (timedOut === test) finish({ kind: "failed", why: `test timed out after ${formatMs(test.timeoutMs || opts.defaultTimeoutMs || DEFAULT_TIMEOUT_MS)}`, output: output.join("\n") });
    else {
      // The machine's own report of the fault (its last line) becomes the reason, not shown twice.
      const at = output.findLastIndex((l) => l.trim());
      const report = r.signal || at < 0 ? undefined : output.splice(at, 1)[0]!.trim();
      finish({ kind: "failed", why: faultDescription(r, report, target), output: output.join("\n") });
    }
  } else if (!done && !ranAny) {
    // Nothing started: the binary stopped before the first planned test, which is blamed so that the next boot
    // moves on (and every test is still reported).
    const said = before.filter((l) => l.trim()).slice(-5).join("\n");
    report({ test: first, outcome: { kind: "failed", why: `the test binary stopped before this test started (${describeEnd(r)})`, output: said }, durationMs: 0 });
  }
  return done;
}

/** `--stack`: the harness's report of the running test's depth (src/stack.rs), or undefined for any other line. */
function stackLine(line: string): { used: number; size: number } | undefined {
  const m = line.startsWith(STACK_MARKER) ? /^(\d+) (\d+)$/.exec(line.slice(STACK_MARKER.length)) : null;
  return m ? { used: Number(m[1]), size: Number(m[2]) } : undefined;
}

/** The panic's message without rustc's `panicked at file:line:col:` line. */
function panicMessage(text: string): string {
  return text.replace(/^panicked at [^\n]*:\n/, "");
}

/**
 * What ended a boot in the middle of a test: a signal on the host (the kind of fault it means), or, in QEMU,
 * the machine's own report (the templates' exception handlers print one line and exit 1).
 */
function faultDescription(r: BootEnd, report: string | undefined, target: TargetInfo): string {
  if (r.signal) return `the test was killed by ${r.signal}${SIGNAL_MEANING[r.signal] ? ` (${SIGNAL_MEANING[r.signal]})` : ""}`;
  const where = target.flavour === "host" ? "the test program" : "the machine";
  return `${where} stopped during the test (exit ${r.exitCode ?? "?"})${report ? `: ${report}` : ""}`;
}

const SIGNAL_MEANING: Partial<Record<NodeJS.Signals, string>> = {
  SIGSEGV: "a bad memory access",
  SIGBUS: "a bus error: a misaligned or unmapped access",
  SIGILL: "an illegal instruction",
  SIGFPE: "an arithmetic fault",
  SIGTRAP: "a breakpoint or trap instruction",
  SIGABRT: "an abort",
};

interface BootEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  interrupted: boolean;
  stderr: string[];
}

function describeEnd(r: BootEnd): string {
  return r.signal ? `killed by ${r.signal}` : r.exitCode === null ? "stopped" : `exit ${r.exitCode}`;
}

/** Boots `elf` and hands each line of its output (stdout and stderr) to `onLine`. */
async function bootLines(elf: string, target: TargetInfo, timeoutMs: number, signal: AbortSignal | undefined, onLine: (line: string) => void, stackRegion?: StackRegion): Promise<BootEnd> {
  const stdout = new LineSplitter(onLine, 64 * 1024);
  const stderr: string[] = [];
  const stderrLines = new LineSplitter((line) => {
    stderr.push(line);
    onLine(line);
  }, 64 * 1024);
  const r = await runElf(elf, target, {
    timeoutMs,
    onStdout: (c) => stdout.push(c),
    onStderr: (c) => stderrLines.push(c),
    ...(signal ? { signal } : {}),
    ...(stackRegion ? { stackRegion, keepStackLines: true } : {}),
  });
  stdout.end();
  stderrLines.end();
  return { exitCode: r.exitCode, signal: r.signal, interrupted: r.interrupted, stderr };
}

/** Runs `fn` with a path for the planned copy of `elf`, removed afterwards. */
async function withCopy<T>(elf: string, fn: (copy: string) => Promise<T>): Promise<T> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "freestand-test-"));
  try {
    return await fn(path.join(dir, path.basename(elf)));
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
