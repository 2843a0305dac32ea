/**
 * The lines the harness (templates/testing/src/testing.rs) prints for freestand among the tests' own output,
 * each starting with a marker no test prints: `\x01freestand-test <event> …`.
 */
export const MARK = "\u0001freestand-test ";

export type HarnessEvent =
  | { event: "test"; position: number; timeoutMs: number; name: string }
  | { event: "ignore"; position: number; reason: string }
  | { event: "should-panic"; position: number; expected: string }
  | { event: "listed"; count: number }
  | { event: "start" | "ok" | "panic"; position: number }
  | { event: "end" | "done" };

/** The event of a marked line, or undefined for a line of the tests' own output (or a mangled mark). */
export function parseEvent(line: string): HarnessEvent | undefined {
  if (!line.startsWith(MARK)) return undefined;
  const rest = line.slice(MARK.length);
  const [event, a, b] = rest.split(" ", 3);
  const n = Number(a);
  const tail = (skip: number) => rest.split(" ").slice(skip).join(" ");
  switch (event) {
    case "test":
      return Number.isInteger(n) && b !== undefined ? { event, position: n, timeoutMs: Number(b) || 0, name: tail(3) } : undefined;
    case "ignore":
      return Number.isInteger(n) ? { event, position: n, reason: unescapeRustString(tail(2)) } : undefined;
    case "should-panic":
      return Number.isInteger(n) ? { event, position: n, expected: unescapeRustString(tail(2)) } : undefined;
    case "listed":
      return Number.isInteger(n) ? { event, count: n } : undefined;
    case "start":
    case "ok":
    case "panic":
      return Number.isInteger(n) ? { event, position: n } : undefined;
    case "end":
    case "done":
      return { event };
    default:
      return undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'" };

/** A string as Rust's `{:?}` prints it (`"a\"b\n"`), back to its text. */
export function unescapeRustString(quoted: string): string {
  const body = quoted.startsWith('"') && quoted.endsWith('"') && quoted.length >= 2 ? quoted.slice(1, -1) : quoted;
  return body.replace(/\\(u\{([0-9a-fA-F]{1,6})\}|.)/g, (whole, esc: string, hex: string | undefined) => {
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
    return SIMPLE_ESCAPES[esc] ?? whole;
  });
}
