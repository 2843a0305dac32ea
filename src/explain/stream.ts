/**
 * `freestand explain -` on input of any size: lines are read, explained and written as they arrive, so memory holds
 * one message and at most MAX_KEPT_DIAGNOSTICS explanations (for JSON and SARIF), never the whole input.
 */
import { LineSplitter } from "../util/lines.js";
import { FreestandError } from "../errors.js";
import type { ReportOptions } from "../diagnostics/reporters/context.js";
import { Explainer } from "./explainer.js";
import { renderMessage, TextAnnotator } from "./report.js";
import type { ExplainOptions, ExplainResult } from "./types.js";
import { pushAll } from "../util/arrays.js";

/** A line longer than this is cut (the rest is counted, not kept): no compiler message needs more. */
export const MAX_LINE = 16 << 20;
/** JSON and SARIF reports list at most this many explanations; the rest are counted as `omitted`. */
export const MAX_KEPT_DIAGNOSTICS = 10_000;
/** How much input is looked at before deciding that it holds no compiler output. */
const SNIFF_CHARS = 1 << 20;

const COMPILER_LINE = /^\s*(?:error|warning)(?:\[\w+\])?:|^\s*(?:Compiling|Checking|Finished|Fresh|Building|Running|Blocking|Updating|Locking|Downloaded)\s|^\s*\{"(?:reason|\$message_type|message)"/;
const JSON_LINE = /^\s*\{"(?:reason|\$message_type|message)"/;

/** The lines of a byte stream, a batch per chunk read; a line over `maxLine` characters ends in a note of the cut. */
export async function* readLines(input: AsyncIterable<Buffer | string>, maxLine = MAX_LINE): AsyncGenerator<string[]> {
  let batch: string[] = [];
  const splitter = new LineSplitter((line, dropped) => batch.push(dropped > 0 ? `${line} [freestand: ${dropped} more characters of this line not read]` : line), maxLine);
  for await (const chunk of input) {
    splitter.push(chunk);
    if (batch.length) {
      yield batch;
      batch = [];
    }
  }
  splitter.end();
  if (batch.length) yield batch;
}

export interface StreamExplainOptions extends ExplainOptions {
  /** Human output is written as it is made; JSON and SARIF only collect (the caller formats the result). */
  human: boolean;
  report: ReportOptions;
  /** Where output goes; awaited, so a slow reader slows the reading (back-pressure). */
  write: (text: string) => Promise<void>;
  /** Says what the input was, for the error when it holds no compiler output ("stdin", or the file). */
  noCompilerOutput: () => FreestandError;
}

/**
 * Explains cargo's text or its JSON messages (told apart by the first line that a compiler prints) from a stream.
 * Throws `noCompilerOutput()` before writing anything when the first MiB holds no compiler line.
 */
export async function explainStream(input: AsyncIterable<Buffer | string>, opts: StreamExplainOptions): Promise<ExplainResult & { json: boolean }> {
  const ex = new Explainer({ ...opts, keepMessages: false, maxDiagnostics: opts.human ? 0 : MAX_KEPT_DIAGNOSTICS });
  const lines = readLines(input);
  // Held until the input shows a compiler line, so that nothing is printed for input that is not compiler output.
  const sniffed: string[] = [];
  let sniffedChars = 0;
  let firstCompilerLine: string | undefined;
  // Read by hand: leaving a `for await` would close the generator, and the rest of the input is still to come.
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const batch = next.value;
    pushAll(sniffed, batch);
    for (const l of batch) sniffedChars += l.length + 1;
    firstCompilerLine = batch.find((l) => COMPILER_LINE.test(l));
    if (firstCompilerLine !== undefined || sniffedChars >= SNIFF_CHARS) break;
  }
  if (firstCompilerLine === undefined) firstCompilerLine = sniffed.find((l) => COMPILER_LINE.test(l));
  if (firstCompilerLine === undefined) throw opts.noCompilerOutput();

  const json = JSON_LINE.test(firstCompilerLine);
  const feed = json ? jsonFeeder(ex, opts) : textFeeder(ex, opts);
  await flush(opts, feed.lines(sniffed));
  for (let next = await lines.next(); !next.done; next = await lines.next()) await flush(opts, feed.lines(next.value));
  await flush(opts, feed.end());
  return { ...ex.result(), json };
}

interface Feeder {
  lines(batch: readonly string[]): string[];
  end(): string[];
}

function textFeeder(ex: Explainer, opts: StreamExplainOptions): Feeder {
  const annotator = new TextAnnotator(ex.textReader(), (block) => ex.textBlock(block), opts.report);
  return {
    lines: (batch) => {
      const out: string[] = [];
      for (const l of batch) {
        const released = annotator.line(l);
        if (opts.human) pushAll(out, released);
      }
      return out;
    },
    end: () => (opts.human ? annotator.end() : (annotator.end(), [])),
  };
}

function jsonFeeder(ex: Explainer, opts: StreamExplainOptions): Feeder {
  return {
    lines: (batch) => {
      const out: string[] = [];
      for (const l of batch) {
        const trimmed = l.trim();
        if (!trimmed.startsWith("{")) continue;
        let raw: unknown;
        try {
          raw = JSON.parse(trimmed);
        } catch {
          continue; // cargo prints only JSON on stdout; anything else is noise
        }
        const m = ex.cargoMessage(raw);
        if (m && opts.human) out.push(renderMessage(m, opts.report).replace(/\n$/, ""));
      }
      return out;
    },
    end: () => [],
  };
}

async function flush(opts: StreamExplainOptions, out: string[]): Promise<void> {
  if (out.length > 0 && opts.human) await opts.write(`${out.join("\n")}\n`);
}
