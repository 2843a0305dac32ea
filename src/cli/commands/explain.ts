import { Option, type Command } from "commander";
import { action, useColor, write, formatOption } from "../io.js";
import type { OutputFormat } from "../../diagnostics/index.js";
import { OUTPUT_FORMATS } from "../../diagnostics/formats.js";

/**
 * `freestand explain <code>`: the page of any code freestand reports — a rule (the same text as
 * docs/rules/<rule>.md), a verify check (docs/verify/), an explanation of a compiler error. Undefined when `code` is
 * none of them, so that a file of that name can be tried.
 */
export async function explainCode(code: string): Promise<number | undefined> {
  const { describeCode } = await import("../../codes/index.js");
  const { codePage } = await import("../../codes/docs.js");
  const d = describeCode(code);
  if (!d) return undefined;
  await writePage(codePage(d));
  return 0;
}

/** A page: rendered for a terminal (headings, emphasis, code), Markdown as it is when piped. */
async function writePage(markdown: string): Promise<void> {
  const { renderMarkdown } = await import("../markdown.js");
  await write(renderMarkdown(markdown, useColor()));
}

/** `freestand explain E0463`: the pages of every explanation of that rustc error code. */
async function explainCompilerCode(code: string): Promise<number | undefined> {
  if (!/^E\d{4}$/i.test(code)) return undefined;
  const { CATALOGUE } = await import("../../explain/catalogue.js");
  const entries = CATALOGUE.filter((e) => e.compilerCodes?.includes(code.toUpperCase()));
  if (entries.length === 0) {
    const { FreestandError } = await import("../../errors.js");
    throw new FreestandError(`freestand has no explanation of ${code.toUpperCase()}; \`rustc --explain ${code.toUpperCase()}\` has rustc's, and \`freestand explain --list\` lists freestand's.`);
  }
  await writePage(entries.map((e) => `# ${e.code}\n\n${e.summary}.\n\n${e.explanation.trimEnd()}\n`).join("\n"));
  return 0;
}

/** `freestand explain --list`: every code a user can meet, with its one-line summary. */
async function listCodes(): Promise<number> {
  const { RULES } = await import("../../rules/index.js");
  const { CATALOGUE } = await import("../../explain/catalogue.js");
  const { VERIFY_CODES } = await import("../../elf/verify/codes/index.js");
  const section = (title: string, rows: { code: string; summary: string }[]) => {
    const width = Math.max(...rows.map((r) => r.code.length));
    return [`${title}:`, ...rows.map((r) => `    ${r.code.padEnd(width)}  ${r.summary}`)].join("\n");
  };
  await write(
    [
      section("check rules", RULES.map((r) => ({ code: r.id, summary: r.summary }))),
      section("verify checks", VERIFY_CODES.map((v) => ({ code: v.code, summary: v.summary }))),
      section("compiler and linker errors", CATALOGUE.map((e) => ({ code: e.code, summary: `${e.summary}${e.compilerCodes ? ` (${e.compilerCodes.join(", ")})` : ""}` }))),
    ].join("\n\n") + "\n",
  );
  return 0;
}

/**
 * The target the explained build was for: `--target`, else what cargo would choose in the crate at `--root` (or
 * the current directory, when it holds one); undefined when there is no crate to ask.
 */
async function explainTarget(flags: { target?: string; root?: string }): Promise<string | undefined> {
  if (flags.target) return flags.target;
  const path = await import("node:path");
  const { pathExists } = await import("../../util/fs.js");
  const dir = path.resolve(flags.root ?? ".");
  if (!(await pathExists(path.join(dir, "Cargo.toml")))) return undefined;
  const { loadCargoConfig, configuredTarget } = await import("../../cargo/config.js");
  try {
    const c = configuredTarget(await loadCargoConfig(dir));
    if (c) return c.value;
    const { findRustc } = await import("../../toolchain/rustc.js");
    return (await findRustc({ cwd: dir })).host;
  } catch {
    return undefined;
  }
}

/**
 * `freestand explain -` / `freestand explain <file>`: compiler output (cargo's text or its JSON messages), annotated
 * as it is read, so a log of any size costs the same memory.
 */
async function explainOutput(source: string, flags: { format: OutputFormat; root?: string; target?: string }): Promise<number> {
  const ex = await import("../../explain/index.js");
  const { explainStream } = await import("../../explain/stream.js");
  const { formatDiagnostics } = await import("../../diagnostics/index.js");
  const { packageVersion } = await import("../../version.js");
  const { FreestandError } = await import("../../errors.js");
  const { openRegular } = await import("../../util/fs.js");
  const { describeError } = await import("../../errors.js");
  let input: AsyncIterable<Buffer>;
  let close = async () => {};
  if (source === "-") input = process.stdin;
  else {
    // A regular file only: a FIFO would block before anything is said, a device would never end.
    const opened = await openRegular(source).catch((err: unknown) => {
      throw err instanceof FreestandError ? err : new FreestandError(describeError(err));
    });
    input = opened.handle.createReadStream({ autoClose: false });
    close = () => opened.handle.close();
  }
  const { describeCode } = await import("../../codes/index.js");
  const report = { cwd: process.cwd(), color: useColor(), describe: describeCode, toolVersion: packageVersion() };
  const human = flags.format === "human";
  let result;
  try {
    result = await explainStream(input, {
      root: flags.root,
      target: await explainTarget(flags),
      human,
      report,
      write: (text) => write(text),
      // Nothing a compiler prints: most often `cargo build | freestand explain -`, where cargo's messages went to stderr.
      noCompilerOutput: () =>
        new FreestandError(
          source === "-"
            ? "there is no compiler output on stdin: cargo writes its messages to stderr, so pipe both streams (`cargo build 2>&1 | freestand explain -`)."
            : `${source} holds no compiler output (no \`error:\`, \`warning:\` or \`Compiling\` line); save it with \`cargo build 2> ${source}\` (or \`&>\`).`,
        ),
    });
  } finally {
    await close();
  }
  if (human) {
    const summary = ex.formatExplainSummary(result.counts);
    // After text, a blank line as rustc leaves one; JSON messages' renderings already end in one.
    if (summary) await write(result.json ? `${summary}\n` : `\n${summary}\n`);
  } else {
    const extra = { command: "explain", input: result.counts, ...(result.omitted > 0 ? { omitted: result.omitted } : {}) };
    await write(formatDiagnostics(result.diagnostics, flags.format, report, extra));
  }
  // The input's errors decide the exit code: explained or not, a build with errors failed.
  return result.counts.errors > 0 ? 1 : 0;
}

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .summary("Explain a rule or an error code, or annotate compiler output")
    .description(
      "Explain a rule (`freestand explain missing_no_std`), a rustc error code (E0463) or a verify check, or annotate saved compiler output with causes and fixes (`cargo build 2>&1 | freestand explain -`).",
    )
    .usage("[OPTIONS] [CODE|FILE|-]")
    .argument("[CODE|FILE|-]", "A rule id, a rustc error code, an explanation code (explain_*), a verify check (verify_*), a file of compiler output, or - for stdin")
    .addOption(new Option("--list", "List every rule, verify check and explanation code with its summary"))
    .addOption(new Option("--root <DIR>", "The directory cargo ran in (paths in the output are relative to it; default: the current one)"))
    .addOption(new Option("--target <TRIPLE>", "The target the build was for [default: what cargo would choose in --root]"))
    .addOption(formatOption(OUTPUT_FORMATS, "Output format for compiler output"))
    .addHelpText(
      "after",
      `
Examples:
  freestand explain missing_panic_handler
  freestand explain E0463
  cargo build 2>&1 | freestand explain -`,
    )
    .action(
      action(async (what: string | undefined, flags: { format: OutputFormat; root?: string; target?: string; list?: boolean }) => {
        if (flags.list) return listCodes();
        if (what === undefined) {
          const { FreestandError } = await import("../../errors.js");
          throw new FreestandError("name a rule, an error code or a file (`freestand explain missing_no_std`, `freestand explain E0463`, `cargo build 2>&1 | freestand explain -`), or list them all with `--list`.");
        }
        if (what === "-") return explainOutput(what, flags);
        const done = (await explainCode(what)) ?? (await explainCompilerCode(what));
        if (done !== undefined) return done;
        const { pathExists } = await import("../../util/fs.js");
        if (await pathExists(what)) return explainOutput(what, flags);
        const { RULES } = await import("../../rules/index.js");
        const { FreestandError } = await import("../../errors.js");
        throw new FreestandError(
          `\`${what}\` is not a rule, an explanation code or a file; the rules are: ${RULES.map((r) => r.id).join(", ")} (see also \`freestand explain explain_e0463_std\` and \`freestand explain verify_entry_point\`).`,
        );
      }),
    );
}
