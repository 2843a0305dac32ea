import { InvalidArgumentError, Option } from "commander";
import { describeError, FreestandError } from "../errors.js";
import type { OutputFormat } from "../diagnostics/formats.js";

/** Colour only on a TTY, and never when NO_COLOR is set (https://no-color.org); FORCE_COLOR forces it. */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if ("NO_COLOR" in process.env && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY);
}

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && process.env.CI !== "true";
}

/** Writes and waits until the data is handed to the OS, so that process.exit() never truncates output. */
export function write(text: string, stream: NodeJS.WriteStream = process.stdout): Promise<void> {
  return new Promise((resolve) => {
    if (text === "") return resolve();
    stream.write(text, () => resolve());
  });
}

/**
 * Runs a command's action: its result is the exit code. A FreestandError (bad input, missing tool) becomes one
 * sentence on stderr and exit 2; anything else is a bug, reported in one line (FREESTAND_DEBUG=1 shows the stack).
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = (await fn(...args)) ?? 0;
    } catch (err) {
      if (process.env.FREESTAND_DEBUG) console.error(err);
      const prefix = err instanceof FreestandError ? "error" : "internal error";
      await write(`${prefix}: ${describeError(err)}\n`, process.stderr);
      code = err instanceof FreestandError ? err.exitCode : 2;
    }
    process.exitCode = code;
  };
}

/**
 * `--format <FORMAT>`: commander checks the choice and lists it in the help. Commands that print diagnostics take
 * `human|json|sarif`; those that print data (doctor, targets, sysroot, size) `human|json`.
 */
export function formatOption(choices: readonly OutputFormat[], description = "Output format"): Option {
  return new Option("--format <FORMAT>", description).choices([...choices]).default("human");
}

/** For repeatable options (`--rule a --rule b`): each value is appended. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--deny warnings`, the one value `--deny` takes (repeatable, as cargo's lint flags are). */
export function parseDeny(value: string, previous: string[] = []): string[] {
  if (value !== "warnings") throw new InvalidArgumentError("Only `warnings` can be denied.");
  return [...previous, value];
}

export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("Must be a positive number.");
  return n;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("Must be a positive whole number.");
  return n;
}

let passedThrough: string[] = [];

/** Splits the command line at the first `--`: what follows goes to cargo (`build`) or the program (`run`). */
export function splitPassThrough(args: readonly string[]): string[] {
  const at = args.indexOf("--");
  if (at < 0) {
    passedThrough = [];
    return [...args];
  }
  passedThrough = args.slice(at + 1);
  return args.slice(0, at);
}

/** The arguments after `--` on the command line. */
export function passThrough(): string[] {
  return passedThrough;
}
