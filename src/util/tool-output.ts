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
