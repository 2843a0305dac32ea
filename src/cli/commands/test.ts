import { InvalidArgumentError, Option, type Command } from "commander";
import path from "node:path";
import pc from "picocolors";
import { FreestandError } from "../../errors.js";
import { action, collect, passThrough, useColor, write } from "../io.js";
import { addCargoFlags, colorWanted, selectionFrom, type CargoFlagValues } from "../cargo-flags.js";
import { buildWithProgress } from "./build.js";
import type { TestSelection } from "../../testing/select.js";
import type { JunitSuite } from "../../testing/report.js";

interface TestFlags extends CargoFlagValues {
  exact?: boolean;
  skip?: string[];
  list?: boolean;
  ignored?: boolean;
  includeIgnored?: boolean;
  format?: "human" | "json";
  junit?: string;
  testTimeout?: number;
  directory?: string;
  stack?: boolean;
}

/** libtest's own arguments after `--` (`-- --exact name`), read into the same flags as freestand's options. */
function readHarnessArgs(args: readonly string[], flags: TestFlags): string[] {
  const filters: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new FreestandError(`${a} needs a value.`);
      return v;
    };
    if (a === "--exact") flags.exact = true;
    else if (a === "--list") flags.list = true;
    else if (a === "--ignored") flags.ignored = true;
    else if (a === "--include-ignored") flags.includeIgnored = true;
    else if (a === "--skip") flags.skip = [...(flags.skip ?? []), value()];
    else if (a.startsWith("--skip=")) flags.skip = [...(flags.skip ?? []), a.slice(7)];
    else if (a === "--format" || a.startsWith("--format=")) {
      const f = a === "--format" ? value() : a.slice(9);
      if (f !== "json" && f !== "pretty" && f !== "human") throw new FreestandError(`--format ${f} is not one freestand test writes: pretty (or human) and json.`);
      flags.format = f === "json" ? "json" : "human";
    } else if (a === "--nocapture" || a === "--show-output" || a === "--quiet" || a === "-q" || /^--test-threads(=|$)/.test(a)) {
      // Accepted for scripts written for libtest; tests run one at a time and their output is shown on failure.
      if (a === "--test-threads") value();
    } else if (a.startsWith("-")) throw new FreestandError(`\`${a}\` is not a test-harness option freestand test knows (see \`freestand test --help\`).`);
    else filters.push(a);
  }
  return filters;
}

function parseMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("Must be a whole number of milliseconds.");
  return n;
}

export function registerTest(program: Command): void {
  const cmd = program
    .command("test")
    .summary("Build the crate's tests and run them on its target: on Linux, or booted in QEMU")
    .description(
      "Build the test binaries (`cargo test --no-run`) and run their tests where the crate runs: directly for the host, booted in QEMU for a bare-metal target. A test that panics, faults or hangs ends its boot and the next boot goes on from the test after it, so one failure never hides the others. Exits 0 when every test passed, 101 otherwise (as cargo test).",
    )
    .usage("[OPTIONS] [TESTNAME] [-- <ARGS>...]")
    .argument("[TESTNAME]", "Run only the tests whose name contains this (after `--`: several, libtest's way)");
  addCargoFlags(cmd, "build");
  cmd
    .addOption(new Option("-C, --directory <DIR>", "Run in DIR, as `cd DIR && cargo test` (cargo reads DIR's .cargo/config.toml)"))
    .addOption(new Option("--exact", "Match TESTNAME (and --skip) against whole names"))
    .addOption(new Option("--skip <NAME>", "Leave out the tests whose name contains NAME (repeatable)").argParser(collect))
    .addOption(new Option("--list", "List the tests instead of running them"))
    .addOption(new Option("--ignored", "Run only the #[ignore] tests"))
    .addOption(new Option("--include-ignored", "Run the #[ignore] tests too"))
    .addOption(new Option("--format <FMT>", "Output: libtest's lines or its JSON events, one per line").choices(["human", "json"]))
    .addOption(new Option("--junit <FILE>", "Also write a JUnit XML report to FILE"))
    .addOption(new Option("--stack", "Measure each test's stack: QEMU fills the stack region, the harness refills it before each test and reports how deep the test went"))
    .addOption(new Option("--test-timeout <MS>", "How long a test may run without its own #[timeout] [default: 60000]").argParser(parseMs))
    .addHelpText(
      "after",
      `
Tests are written in the crate inside \`tests! { ... }\`, each marked #[test] (with #[should_panic],
#[ignore], #[timeout(ms = ...)]); docs/testing.md says how. After \`--\`, libtest's own arguments work too:
filters, --exact, --skip, --list, --ignored, --include-ignored, --format json.

Examples:
  freestand test
  freestand test checksum --release
  freestand test -C firmware --list
  freestand test -- --include-ignored --format json
  freestand test --junit target/junit.xml
  freestand test --stack --release`,
    )
    .action(action(async (name: string | undefined, flags: TestFlags) => runTests(name, flags)));
}

async function runTests(name: string | undefined, flags: TestFlags): Promise<number> {
  const color = colorWanted(flags, process.stdout, useColor);
  const c = pc.createColors(color);
  const filters = [...(name ? [name] : []), ...readHarnessArgs(passThrough(), flags)];
  if (flags.ignored && flags.includeIgnored) throw new FreestandError("--ignored and --include-ignored ask for different tests; give one.");
  const selection: TestSelection = {
    filters,
    exact: Boolean(flags.exact),
    skip: flags.skip ?? [],
    ignored: flags.ignored ? "only" : flags.includeIgnored ? "include" : "default",
  };
  const { loadProject, buildTarget } = await import("../../build/index.js");
  const { machineFor } = await import("../../targets/boards.js");
  const { runPrerequisiteMissing } = await import("../../run/index.js");
  const cargoSelection = selectionFrom(flags, flags.directory);
  const project = await loadProject(cargoSelection);
  const triple = await buildTarget(cargoSelection);
  const target = machineFor(triple ?? "host", project.selected);
  if (!target) {
    throw new FreestandError(`freestand cannot run programs for ${triple}, so it cannot run their tests; \`freestand targets\` lists the targets it runs (a library's tests can run on the host: --target host).`);
  }
  const missing = await runPrerequisiteMissing(target);
  if (missing) throw new FreestandError(missing);
  if (flags.stack && target.flavour !== "qemu") throw new FreestandError("`test --stack` measures tests QEMU boots (the kernel gives a host program its stack).");

  const built = await buildWithProgress({ selection: cargoSelection, flags: { ...flags, format: "human" }, project, tests: true });
  if (!built.success) {
    await write(`${c.red(c.bold("error"))}: the tests did not build.\n`, process.stderr);
    return 101;
  }
  const binaries = built.artifacts.filter((a) => a.test);
  if (binaries.length === 0) throw new FreestandError("the build produced no test binary: every selected target has `test = false` in Cargo.toml.");

  const { runTestBinary, listTests } = await import("../../testing/session.js");
  const { selectTests } = await import("../../testing/select.js");
  const report = await import("../../testing/report.js");
  const json = flags.format === "json";
  const out = (text: string) => write(`${text}\n`);
  const suites: JunitSuite[] = [];
  let failed = false;
  for (const bin of binaries) {
    const source = path.relative(path.dirname(project.manifestPath), bin.test!.source);
    const shown = path.relative(process.cwd(), bin.path);
    await write(`     ${c.green(c.bold("Running"))} unittests ${source} (${shown})\n`, process.stderr);
    if (flags.list) {
      const picked = selectTests(await listTests(bin.path, target), selection);
      const listed = [...picked.run, ...picked.ignored].sort((a, b) => a.position - b.position);
      await write(report.listText(listed));
      continue;
    }
    const pending: Promise<void>[] = [];
    const { stackRegion } = await import("../../run/stack.js");
    const region = flags.stack ? await stackRegion(bin.path) : undefined;
    const session = await runTestBinary(bin.path, target, {
      ...selection,
      ...(region ? { stackRegion: region } : {}),
      ...(flags.testTimeout ? { defaultTimeoutMs: flags.testTimeout } : {}),
      onPlan: (p) => {
        if (!json) pending.push(out(report.runningLine(p.run + p.ignored)));
      },
      onResult: (r) => {
        if (!json) pending.push(out(report.resultLine(r, c)));
      },
    });
    await Promise.all(pending);
    const counts = report.countsOf(session);
    if (json) for (const line of report.jsonEvents(session, counts.passed + counts.failed)) await out(line);
    else await write(report.summary(session, c));
    if (region && !json) await write(report.stackLines(session, c));
    if (counts.failed > 0) failed = true;
    suites.push({ name: `${bin.name} (${source})`, session });
  }
  if (flags.junit && !flags.list) {
    const { writeFileAtomic } = await import("../../util/fs.js");
    await writeFileAtomic(path.resolve(flags.junit), report.junitXml(suites));
  }
  return failed ? 101 : 0;
}
