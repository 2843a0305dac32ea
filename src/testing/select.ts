/** Which tests run, with libtest's rules: name filters (substrings, or whole names with `--exact`), `--skip`, and `--ignored` / `--include-ignored`. */
export interface TestCase {
  /** Position in the harness's order (by name). */
  position: number;
  /** `module::name`, as libtest shows it. */
  name: string;
  /** `#[ignore]`'s reason ("" without one); undefined when not ignored. */
  ignore?: string;
  /** `#[should_panic]`'s expected text ("" without one); undefined when the test should not panic. */
  shouldPanic?: string;
  /** `#[timeout(ms = …)]`; 0: the run's default. */
  timeoutMs: number;
}

export interface TestSelection {
  filters?: string[];
  exact?: boolean;
  skip?: string[];
  /** default: ignored tests are listed as ignored; only: only they run (`--ignored`); include: all run. */
  ignored?: "default" | "only" | "include";
}

export interface Selected {
  run: TestCase[];
  /** Matched, but not run because they are ignored. */
  ignored: TestCase[];
  /** Left out by the filters and `--skip`. */
  filteredOut: number;
}

export function selectTests(tests: readonly TestCase[], sel: TestSelection): Selected {
  const matches = (name: string, pattern: string) => (sel.exact ? name === pattern : name.includes(pattern));
  const filters = sel.filters ?? [];
  const chosen = tests.filter((t) => (filters.length === 0 || filters.some((f) => matches(t.name, f))) && !(sel.skip ?? []).some((s) => matches(t.name, s)));
  const mode = sel.ignored ?? "default";
  const isIgnored = (t: TestCase) => t.ignore !== undefined;
  return {
    run: chosen.filter((t) => (mode === "include" ? true : mode === "only" ? isIgnored(t) : !isIgnored(t))),
    // With --ignored, the tests that are not ignored are neither run nor reported (as libtest).
    ignored: mode === "default" ? chosen.filter(isIgnored) : [],
    filteredOut: tests.length - chosen.length + (mode === "only" ? chosen.filter((t) => !isIgnored(t)).length : 0),
  };
}
