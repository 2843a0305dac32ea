import { stripVTControlCharacters } from "node:util";

/** Lines of a tool's stderr that are not the message: backtrace frames and their source lines, progress lines. */
function isNoise(line: string): boolean {
  return (
    line === "" ||
    line === "Stack backtrace:" ||
    /^\d+: /.test(line) ||
    /^at \S/.test(line) ||
    /^(info|Locking|Adding|Updating|Downloaded|Downloading|Blocking|Compiling|Checking)\b/.test(line)
  );
}

/**
 * The first line of a tool's error output that says what went wrong, without its `error:` prefix: the line
 * starting with `error` if there is one, else the first line that is not noise. rustup prints an anyhow
 * backtrace under RUST_BACKTRACE=1; its frames are never the message.
 */
export function firstMeaningfulLine(stderr: string): string | undefined {
  const lines = stripVTControlCharacters(stderr)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => !isNoise(l));
  const line = lines.find((l) => /^error(\[\w+\])?:/.test(l)) ?? lines.find((l) => !/^(warning|note|help):/.test(l));
  return line?.replace(/^error(\[\w+\])?:\s*/, "");
}

/**
 * cargo's error with its most specific cause: `failed to parse manifest at …: the cargo feature … requires a
 * nightly version of Cargo` (cargo prints the chain under `Caused by:`, the innermost last).
 */
export function cargoProblem(stderr: string): string | undefined {
  const first = firstMeaningfulLine(stderr);
  const lines = stripVTControlCharacters(stderr).split("\n");
  const at = lines.findIndex((l) => l.trim() === "Caused by:");
  if (!first || at < 0) return first;
  const causes = lines.slice(at + 1).map((l) => l.trim()).filter((l) => l && !/^(See|Caused by:|note:|help:)/.test(l));
  const cause = causes[causes.length - 1]?.replace(/^\d+:\s*/, "");
  return cause && cause !== first ? `${first.replace(/\.$/, "")}: ${cause}` : first;
}
